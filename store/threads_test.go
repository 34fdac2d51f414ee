package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// threadsFixture stores a thread with words both ways and an approved and
// a pending tip, under testKey, and closes the store.
func threadsFixture(t *testing.T) (path string, thread int64) {
	t.Helper()
	ctx := context.Background()
	s, path := openTest(t)
	th, err := s.StartThread(ctx, bot.Thread{Group: "console:g", Member: "console:ann", OpenedAt: t0, LastAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []bot.ThreadWords{
		{Thread: th.ID, Author: "console:dana", AuthorName: "Dana", Facilitator: true, Words: "I'm here for you", At: t0},
		{Thread: th.ID, Author: "console:ann", AuthorName: "Ann", Words: "thank you, tonight", At: t0.Add(time.Minute)},
	} {
		if err := s.AddThreadWords(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddTip(ctx, bot.Tip{Group: "console:g", Member: "console:ann", Words: "ice in my hand", Approved: true, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTip(ctx, bot.Tip{Group: "console:g", Member: "console:bo", Words: "a walk at night", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, th.ID
}

// Thread words and tips are sealed in the file; ChangeKey re-encrypts
// them and VerifySealed opens them; ResetLostKey deletes them.
func TestThreadsAndTipsAtRest(t *testing.T) {
	ctx := context.Background()
	path, thread := threadsFixture(t)
	s0, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	raw := storedBytes(t, s0, path)
	s0.Close()
	for _, w := range []string{"I'm here for you", "thank you, tonight", "ice in my hand", "a walk at night", "Dana"} {
		if strings.Contains(string(raw), w) {
			t.Errorf("%q is stored in plain text", w)
		}
	}
	newKey := GenerateKey()
	if err := ChangeKey(ctx, path, testKey, newKey); err != nil {
		t.Fatal(err)
	}
	s, err := OpenURL(ctx, path, WithKey(newKey))
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.MemberData(ctx, "console:ann")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ThreadWords) != 2 || d.ThreadWords[0].Words != "I'm here for you" || !d.ThreadWords[0].Facilitator ||
		d.ThreadWords[0].AuthorName != "Dana" || d.ThreadWords[1].Words != "thank you, tonight" || d.ThreadWords[1].Thread != thread {
		t.Errorf("thread words under the new key = %+v", d.ThreadWords)
	}
	if len(d.Tips) != 1 || d.Tips[0].Words != "ice in my hand" || !d.Tips[0].Approved {
		t.Errorf("tips under the new key = %+v", d.Tips)
	}
	if n, err := s.VerifySealed(ctx); err != nil || n == 0 {
		t.Errorf("VerifySealed under the new key = %d, %v", n, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	path2, _ := threadsFixture(t)
	lost := GenerateKey()
	if _, err := ResetLostKey(ctx, path2, lost); err != nil {
		t.Fatal(err)
	}
	s, err = OpenURL(ctx, path2, WithKey(lost))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if d, err := s.MemberData(ctx, "console:ann"); err != nil || len(d.ThreadWords) != 0 || len(d.Tips) != 0 {
		t.Errorf("after a lost-key reset: %+v, %v; want no thread words or tips", d, err)
	}
	if n, err := s.VerifySealed(ctx); err != nil {
		t.Errorf("VerifySealed after the reset = %d, %v", n, err)
	}
}

// Retention deletes old thread words with quiet threads, deletes pending
// tips and unlinks approved ones; ForgetMember deletes a member's thread,
// words they wrote elsewhere, and their tips.
func TestThreadsAndTipsRetentionAndForget(t *testing.T) {
	ctx := context.Background()
	path, thread := threadsFixture(t)
	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ForgetMember(ctx, "console:dana"); err != nil {
		t.Fatal(err)
	}
	d, err := s.MemberData(ctx, "console:ann")
	if err != nil || len(d.ThreadWords) != 1 || d.ThreadWords[0].Author != "console:ann" {
		t.Fatalf("after forgetting the facilitator: %+v, %v; want only ann's words", d.ThreadWords, err)
	}
	if _, err := s.PurgeWords(ctx, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Thread(ctx, thread); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("a thread quiet since before the cutoff: %v; want deleted", err)
	}
	if d, err := s.MemberData(ctx, "console:ann"); err != nil || len(d.ThreadWords) != 0 || len(d.Tips) != 0 {
		t.Errorf("after retention: %+v, %v; want no words or tips naming ann", d, err)
	}
	pending, _ := s.Tips(ctx, "console:g", false)
	approved, _ := s.Tips(ctx, "console:g", true)
	if len(pending) != 0 || len(approved) != 1 || approved[0].Member != "" || approved[0].Words != "ice in my hand" {
		t.Errorf("after retention: pending %+v, approved %+v; want no pending, the approved one without its author", pending, approved)
	}
	if _, err := s.AddTip(ctx, bot.Tip{Group: "console:g", Member: "console:cy", Words: "music", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetMember(ctx, "console:cy"); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.Tips(ctx, "console:g", false); len(pending) != 0 {
		t.Errorf("after forgetting cy: %+v", pending)
	}
}
