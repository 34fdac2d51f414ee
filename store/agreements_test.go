package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Versions are numbered 1, 2, … per group; the newest is current.
func TestAgreementVersions(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.CurrentAgreement(ctx, "console:g"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("CurrentAgreement(none set) error = %v, want ErrNotFound", err)
	}
	a1, err := s.AddAgreement(ctx, bot.Agreement{Group: "console:g", Version: 7, Text: "Be kind.",
		SetBy: "console:fay", SetName: "Fay", SetAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if a1.Version != 1 {
		t.Errorf("first version = %d, want 1", a1.Version)
	}
	other, err := s.AddAgreement(ctx, bot.Agreement{Group: "console:other", Text: "x", SetAt: t0})
	if err != nil || other.Version != 1 {
		t.Errorf("other group's first version = %d, %v; want 1", other.Version, err)
	}
	a2, err := s.AddAgreement(ctx, bot.Agreement{Group: "console:g", Text: "Default text.",
		SetBy: "console:fay", SetName: "Fay", SetAt: t0.Add(time.Hour), Default: true})
	if err != nil {
		t.Fatal(err)
	}
	if a2.Version != 2 {
		t.Errorf("second version = %d, want 2", a2.Version)
	}
	cur, err := s.CurrentAgreement(ctx, "console:g")
	if err != nil || !reflect.DeepEqual(cur, a2) {
		t.Errorf("CurrentAgreement = %+v, %v; want %+v", cur, err, a2)
	}
}

// Concurrent AddAgreement calls never get the same version.
func TestAddAgreementConcurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	const n = 20
	versions := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			a, err := s.AddAgreement(ctx, bot.Agreement{Group: "console:g", Text: "t", SetAt: t0})
			if err != nil {
				t.Error(err)
				return
			}
			versions <- a.Version
		})
	}
	wg.Wait()
	close(versions)
	seen := map[int]bool{}
	for v := range versions {
		if seen[v] || v < 1 || v > n {
			t.Errorf("version %d duplicated or out of range", v)
		}
		seen[v] = true
	}
	if len(seen) != n {
		t.Errorf("got %d distinct versions, want %d", len(seen), n)
	}
}

// Agree is idempotent (the first time is kept) and Acceptances lists only
// the asked version's acceptances, oldest first. Version 0 (the built-in
// agreement) can be accepted without being stored.
func TestAgreeAndAcceptances(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for _, a := range []bot.Acceptance{
		{Group: "console:g", Member: "console:bo", Version: 1, At: t0.Add(2 * time.Minute)},
		{Group: "console:g", Member: "console:ann", Version: 1, At: t0.Add(time.Minute)},
		{Group: "console:g", Member: "console:ann", Version: 1, At: t0.Add(time.Hour)}, // again
		{Group: "console:g", Member: "console:ann", Version: 0, At: t0},
		{Group: "console:other", Member: "console:cy", Version: 1, At: t0},
	} {
		if err := s.Agree(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Acceptances(ctx, "console:g", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Acceptance{
		{Group: "console:g", Member: "console:ann", Version: 1, At: t0.Add(time.Minute)},
		{Group: "console:g", Member: "console:bo", Version: 1, At: t0.Add(2 * time.Minute)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Acceptances(v1) = %+v, want %+v", got, want)
	}
	if got, _ := s.Acceptances(ctx, "console:g", 0); len(got) != 1 || got[0].Member != "console:ann" {
		t.Errorf("Acceptances(v0) = %+v, want ann's", got)
	}
	if got, _ := s.Acceptances(ctx, "console:g", 2); len(got) != 0 {
		t.Errorf("Acceptances(v2) = %+v, want none", got)
	}
}
