package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/bottest"
)

// brokenStore fails like a full disk or a database locked by another
// process: every transaction and every read.
type brokenStore struct{ bot.Store }

var errBusy = errors.New("database is locked")

func (brokenStore) InTx(context.Context, func(bot.Store) error) error { return errBusy }
func (brokenStore) Member(context.Context, bot.MemberID) (bot.MemberRecord, error) {
	return bot.MemberRecord{}, errBusy
}
func (brokenStore) Group(context.Context, bot.GroupID) (bot.Group, error) {
	return bot.Group{}, errBusy
}

// The no-dead-ends invariant, as a property over the distress inputs and
// the ways things fail: whatever a member in distress sends, wherever,
// whatever has failed, their private answer carries a route to help —
// crisis lines they can reach and the offer of !support.
func TestNoDeadEnds(t *testing.T) {
	type input struct {
		name    string
		text    string // typed; "" for a plain private message
		private bool
		setup   func(h *harness) // the state of the group before
	}
	roundOpen := func(h *harness) { h.facil["dana"] = true; h.say("dana", "!round start 30") }
	roundClosed := func(h *harness) { roundOpen(h); h.say("dana", "!round end") }
	roundTimedOut := func(h *harness) { roundOpen(h); h.clock.Advance(time.Hour) }
	member := func(h *harness) { h.say("kit", "!round") } // kit is known in the group
	supported := func(h *harness) { member(h); h.dm("kit", "!support") }
	long := strings.Repeat("words that go on ", 40) // 680 characters
	inputs := []input{
		{"red in a round", "!checkin red", false, roundOpen},
		{"red privately in a round", "!checkin red", true, func(h *harness) { roundOpen(h); member(h) }},
		{"private red with words", "!checkin private red it is bad tonight", true, func(h *harness) { roundOpen(h); member(h) }},
		{"red with no round", "!checkin red I can't keep myself safe tonight", false, nil},
		{"red privately with no round", "!checkin red", true, member},
		{"red after the round closed", "!checkin red", false, roundClosed},
		{"red after its time ran out", "!checkin red", false, roundTimedOut},
		{"red with words over the limit", "!checkin red " + long, false, roundOpen},
		{"red with no round and long words", "!checkin red " + long, false, nil},
		{"colour as an emoji", "!checkin 🔴", false, roundOpen},
		{"support", "!support", true, member},
		{"support in the channel", "!support", false, nil},
		{"support with words", "!support I took some pills", true, member},
		{"support again with new words", "!support I took some pills", true, supported},
		{"support again without words", "!support", true, supported},
		{"support with long words", "!support " + long, true, member},
		{"support from someone in no group", "!support", true, nil},
		{"crisis", "!crisis", true, nil},
		{"crisis in the channel", "!crisis", false, nil},
		{"crisis for an unknown country", "!crisis narnia", true, nil},
		{"safer", "!safer", true, supported},
		{"a private message", "", true, nil},
		{"a private line that is no command", "!iwanttodie", true, nil},
	}
	failures := []struct {
		name  string
		apply func(h *harness)
	}{
		{"nothing failing", func(*harness) {}},
		{"facilitators unreachable", func(h *harness) { h.p.NoFacilitators = true }},
		{"database failing", func(h *harness) {
			b, err := bot.New(bot.Options{Store: brokenStore{h.st}, Platform: h.p, Clock: h.clock, DefaultCountry: "GB"})
			if err != nil {
				t.Fatal(err)
			}
			h.b = b
		}},
	}
	for _, f := range failures {
		for _, in := range inputs {
			t.Run(f.name+"/"+in.name, func(t *testing.T) {
				h := newHarness(t)
				if in.setup != nil {
					in.setup(h)
				}
				h.p.Take()
				f.apply(h)
				var ev bot.Event
				if in.text == "" {
					h.seq++
					ev = bot.Event{ID: fmt.Sprintf("ev%d", h.seq), Kind: bot.EventMessage, Private: true, Member: h.member("kit")}
				} else {
					ev = h.event("kit", in.text, in.private)
				}
				h.b.Handle(context.Background(), ev)
				sent := h.p.Take()
				var mine []bot.Reply
				for _, m := range sent {
					if m.Reply.Visibility == bot.Private && m.Reply.To == "test:kit" {
						mine = append(mine, m.Reply)
					}
				}
				all := bottest.Transcript(sent)
				if len(mine) == 0 {
					t.Fatalf("no private answer:\n%s", all)
				}
				var text strings.Builder
				support := false
				for _, r := range mine {
					text.WriteString(r.Text.String())
					for _, a := range r.Actions {
						support = support || a.Command == "support"
					}
				}
				got := text.String()
				if !strings.Contains(got, "Samaritans: 116 123") && !strings.Contains(got, "findahelpline.com") {
					t.Errorf("no crisis lines in the private answer:\n%s", all)
				}
				asked := strings.HasPrefix(in.text, "!support") && strings.Contains(got, "reached the facilitators")
				if !support && !strings.Contains(got, "!support") && !asked {
					t.Errorf("no offer of !support in the private answer:\n%s", all)
				}
				if strings.Contains(publicLines(sent), "Samaritans") || strings.Contains(publicLines(sent), "pills") {
					t.Errorf("help or words reached the group:\n%s", all)
				}
			})
		}
	}
}

// Long words on a distress path are forwarded cut at the limit, and both
// the member and the facilitators are told they were cut.
func TestDistressWordsCut(t *testing.T) {
	h := newHarness(t)
	h.facil["dana"] = true
	h.say("dana", "!round start")
	h.say("kit", "!round")
	words := strings.Repeat("a", 450) + " " + strings.Repeat("b", 150)
	out := h.dm("kit", "!checkin private red "+words)
	mustHave(t, out, "facilitators", "(Cut at 500 characters; they wrote 601.)")
	mustHave(t, out, "dm kit", "the facilitators got the first 500")
	if strings.Contains(out, strings.Repeat("b", 50)) {
		t.Errorf("the words were not cut:\n%.400s", out)
	}
	out = h.dm("kit", "!checkin amber "+words)
	mustHave(t, out, "dm kit", "Words can be up to 500 characters, and these are 601")
	out = h.dm("kit", "!support "+words)
	mustHave(t, out, "facilitators", "(Cut at 500 characters; they wrote 601.)")
	mustHave(t, out, "dm kit", "Your message reached the facilitators")
}
