package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

func TestLeases(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	other, err := OpenURL(ctx, path, WithKey(testKey)) // a second process's handle
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ttl := 30 * time.Second

	if err := s.SaveGroup(ctx, bot.Group{ID: "g1"}); err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRound(ctx, bot.Round{Group: "g2", Channel: "c2", OpenedAt: t0, ClosesAt: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSchedule(ctx, bot.Schedule{Group: "g3", Channel: "c3", Days: []time.Weekday{time.Monday}, Hour: 18, Minutes: 30, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}

	all := map[bot.GroupID]bool{"g1": true, "g2": true, "g3": true, bot.RetentionKey: true}
	held, err := s.HoldGroups(ctx, "a", t0, ttl, bot.RetentionKey)
	if err != nil || !reflect.DeepEqual(held, all) {
		t.Fatalf("a holds %v, %v; want %v", held, err, all)
	}
	if held, err = other.HoldGroups(ctx, "b", t0.Add(time.Second), ttl, bot.RetentionKey); err != nil || len(held) != 0 {
		t.Fatalf("b holds %v, %v while a's leases run", held, err)
	}
	// a renews; b still gets nothing after a's first lease would have run out.
	if _, err := s.HoldGroups(ctx, "a", t0.Add(20*time.Second), ttl, bot.RetentionKey); err != nil {
		t.Fatal(err)
	}
	if held, _ = other.HoldGroups(ctx, "b", t0.Add(40*time.Second), ttl, bot.RetentionKey); len(held) != 0 {
		t.Fatalf("b took renewed leases: %v", held)
	}
	// a stops renewing: its leases run out and b takes them all.
	if held, _ = other.HoldGroups(ctx, "b", t0.Add(51*time.Second), ttl, bot.RetentionKey); !reflect.DeepEqual(held, all) {
		t.Fatalf("b holds %v after a's leases ran out; want %v", held, all)
	}
	if held, _ = s.HoldGroups(ctx, "a", t0.Add(52*time.Second), ttl, bot.RetentionKey); len(held) != 0 {
		t.Fatalf("a, back, holds %v while b's leases run", held)
	}
	// b releases: a takes them at once.
	if err := other.ReleaseGroups(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if held, _ = s.HoldGroups(ctx, "a", t0.Add(53*time.Second), ttl, bot.RetentionKey); !reflect.DeepEqual(held, all) {
		t.Fatalf("a holds %v after b released; want %v", held, all)
	}

	// Status edits: marked by either handle, taken by the holder only,
	// at most once per delay.
	now := t0.Add(60 * time.Second)
	if err := other.MarkStatus(ctx, r, now, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if due, err := other.TakeStatuses(ctx, "b", now); err != nil || len(due) != 0 {
		t.Fatalf("b, not holding g2, took %v, %v", due, err)
	}
	due, err := s.TakeStatuses(ctx, "a", now)
	if err != nil || len(due) != 1 || due[0].ID != r.ID || due[0].Group != "g2" || due[0].Channel != "c2" {
		t.Fatalf("a took %+v, %v; want round %d of g2 in c2", due, err, r.ID)
	}
	if due, _ = s.TakeStatuses(ctx, "a", now); len(due) != 0 {
		t.Fatalf("taken twice: %v", due)
	}
	// Marked again at once: due only delay after the last edit.
	if err := s.MarkStatus(ctx, r, now.Add(500*time.Millisecond), 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if due, _ = s.TakeStatuses(ctx, "a", now.Add(1999*time.Millisecond)); len(due) != 0 {
		t.Fatalf("edited within the delay: %v", due)
	}
	if due, _ = s.TakeStatuses(ctx, "a", now.Add(2*time.Second)); len(due) != 1 {
		t.Fatalf("not edited after the delay: %v", due)
	}
	// A closed round's status is never taken.
	if err := s.MarkStatus(ctx, r, now.Add(time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseRound(ctx, r.ID, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if due, _ = s.TakeStatuses(ctx, "a", now.Add(2*time.Minute)); len(due) != 0 {
		t.Fatalf("took a closed round's status: %v", due)
	}
}
