package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// A support request reaches the facilitators with a reference and the
// command to answer; the facilitator's answer reaches only the member,
// naming the facilitator; the member's answer reaches only the
// facilitators; !done closes it and tells the member privately.
func TestThreadAnsweredThroughTheBot(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement") // dana acts: the fallback facilitator
	h.join("alex")
	out := h.dm("alex", "!support rough day")
	mustHave(t, out, "facilitators", "Reference 1. To answer them privately through me: !reply 1 …")
	mustHave(t, out, "facilitators", "(buttons: Reply privately · Close the conversation)")
	mustHave(t, out, "dm alex", "A facilitator may answer you here, through me. To write back, send me !reply followed by your words.")

	out = h.dm("dana", "!reply 1 I'm here. Do you want to talk tonight?")
	mustHave(t, out, "dm alex", "dana, one of the facilitators, wrote to you privately through me:")
	mustHave(t, out, "dm alex", "I'm here. Do you want to talk tonight?")
	mustHave(t, out, "dm alex", "(buttons: Answer)")
	mustHave(t, out, "dm dana", "Sent to them privately (reference 1).")
	if pub := publicLines(h.p.Sent()); strings.Contains(pub, "talk tonight") || strings.Contains(pub, "rough day") {
		t.Fatalf("thread words in public:\n%s", pub)
	}

	out = h.dm("alex", "!reply yes please, after 8")
	mustHave(t, out, "facilitators", "alex answered privately (reference 1).")
	mustHave(t, out, "facilitators", "yes please, after 8")
	mustHave(t, out, "dm alex", "Sent. Only the facilitators see it.")
	mustNot(t, out, "group", "after 8")

	out = h.dm("dana", "!done 1")
	mustHave(t, out, "dm dana", "Closed (reference 1). I've let them know privately.")
	mustHave(t, out, "dm alex", "The facilitators have closed this conversation for now.")

	out = h.dm("alex", "!reply are you there")
	mustHave(t, out, "dm alex", "There's no open conversation with the facilitators right now.")
	mustNot(t, out, "facilitators", "are you there")
	out = h.dm("dana", "!reply 1 one more thing")
	mustHave(t, out, "dm dana", "That conversation (reference 1) is closed.")
	mustNot(t, out, "dm alex", "one more thing")
}

// Only the group's current facilitators can answer: a member naming
// another's thread writes in their own (or is told they have none), and a
// facilitator who was demoted is refused in a private message.
func TestThreadOnlyCurrentFacilitators(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement")
	h.join("alex")
	h.join("bob")
	h.say("dana", "!round start 30")
	h.dm("alex", "!checkin private amber hard week")
	h.p.Demoted = map[bot.MemberID]bool{"test:bob": true}

	// bob is no facilitator: in the group and privately, his words never
	// reach alex.
	out := h.say("bob", "!reply 1 tell me what happened")
	mustHave(t, out, "dm bob", "There's no open conversation with the facilitators right now.")
	mustNot(t, out, "dm alex", "what happened")
	out = h.dm("bob", "!reply to 1 tell me what happened")
	mustHave(t, out, "dm bob", "That one is for facilitators")
	mustNot(t, out, "dm alex", "what happened")
	out = h.dm("bob", "!done 1")
	mustHave(t, out, "dm bob", "That one is for facilitators")

	// dana answers through the button's command; then she is demoted.
	out = h.dm("dana", "!reply to 1 I'm glad you said")
	mustHave(t, out, "dm alex", "I'm glad you said")
	h.p.Demoted["test:dana"] = true
	out = h.dm("dana", "!reply 1 still here")
	mustNot(t, out, "dm alex", "still here")
	mustHave(t, out, "dm dana", "I can't find an open conversation with reference 1.")
}

// A thread closes by itself after a day without messages; a new support
// request then opens a new one.
func TestThreadClosesAfterADay(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement")
	h.join("alex")
	h.join("bob")
	h.dm("alex", "!support")
	h.advance(25 * time.Hour)
	out := h.dm("dana", "!reply 1 checking in")
	mustHave(t, out, "dm dana", "That conversation (reference 1) is closed.")
	mustNot(t, out, "dm alex", "checking in")
	out = h.dm("alex", "!support")
	mustHave(t, out, "facilitators", "Reference 2.")
}

// Thread words are sealed at rest, listed by !mydata, deleted by
// !forgetme and by retention.
func TestThreadWordsDataForgetRetention(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!agreement")
	h.join("alex")
	h.join("bob")
	h.dm("alex", "!support")
	h.dm("dana", "!reply 1 words from dana")
	h.dm("alex", "!reply words from alex")

	out := h.dm("alex", "!mydata")
	mustHave(t, out, "dm alex", "Conversations with the facilitators: 2 messages")
	mustHave(t, out, "dm alex", "(reference 1), dana: words from dana")
	mustHave(t, out, "dm alex", "(reference 1), you: words from alex")
	raw := rawDatabase(t, h)
	for _, w := range []string{"words from dana", "words from alex"} {
		if strings.Contains(raw, w) {
			t.Fatalf("%q is in the database file in plain text", w)
		}
	}

	// Retention: older than the cutoff, gone.
	if _, err := h.st.PurgeWords(context.Background(), h.clock.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	out = h.dm("alex", "!mydata")
	mustHave(t, out, "dm alex", "Conversations with the facilitators: none")

	// !forgetme: the member's thread and words go.
	h.dm("alex", "!support")
	h.dm("alex", "!reply more words")
	h.dm("alex", "!forgetme confirm")
	d, err := h.st.MemberData(context.Background(), "test:alex")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ThreadWords) != 0 {
		t.Fatalf("after forgetme: %d thread words left", len(d.ThreadWords))
	}
	if _, err := h.st.LatestThread(context.Background(), "", "test:alex"); err == nil {
		t.Fatal("after forgetme: the thread is still there")
	}
}

// rawDatabase is the bytes of the harness's database file and its
// write-ahead log, as text.
func rawDatabase(t *testing.T, h *harness) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{h.path, h.path + "-wal"} {
		data, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}
