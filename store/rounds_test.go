package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// A created round is open, reads back as created, and is the channel's open
// and latest round.
func TestCreateRound(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.OpenRound(ctx, "console:c"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("OpenRound(none) error = %v, want ErrNotFound", err)
	}
	if _, err := s.LatestRound(ctx, "console:c"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("LatestRound(none) error = %v, want ErrNotFound", err)
	}
	r, err := s.CreateRound(ctx, bot.Round{ID: 99, Group: "console:g", Channel: "console:c", Prompt: "How are you?",
		OpenedBy: "console:fay", OpenedAt: t0, ClosesAt: t0.Add(time.Hour), ClosedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == 99 || r.ID == 0 || !r.Open() {
		t.Fatalf("CreateRound = %+v: want a fresh ID and an open round", r)
	}
	for name, get := range map[string]func(context.Context, bot.ChannelID) (bot.Round, error){
		"OpenRound": s.OpenRound, "LatestRound": s.LatestRound,
	} {
		got, err := get(ctx, "console:c")
		if err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("%s = %+v, %v; want %+v", name, got, err, r)
		}
	}
}

// A channel has at most one open round; other channels are independent, and
// after closing, a new round may open.
func TestOneOpenRoundPerChannel(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r1, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if !errors.Is(err, bot.ErrAlreadyExists) {
		t.Fatalf("second open round error = %v, want ErrAlreadyExists", err)
	}
	if _, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:d", OpenedAt: t0}); err != nil {
		t.Fatalf("round in another channel: %v", err)
	}
	if err := s.CloseRound(ctx, r1.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	r3, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0.Add(2 * time.Minute)})
	if err != nil {
		t.Fatalf("round after closing: %v", err)
	}
	if latest, err := s.LatestRound(ctx, "console:c"); err != nil || latest.ID != r3.ID {
		t.Errorf("LatestRound = %+v, %v; want round %d", latest, err, r3.ID)
	}
}

// CloseRound closes an open round once; closing again or an unknown round is
// ErrNotFound; the closed round is latest but not open.
func TestCloseRound(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CloseRound(ctx, r.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseRound(ctx, r.ID, t0.Add(2*time.Minute)); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("closing again error = %v, want ErrNotFound", err)
	}
	if err := s.CloseRound(ctx, 12345, t0); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("closing unknown round error = %v, want ErrNotFound", err)
	}
	if _, err := s.OpenRound(ctx, "console:c"); !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("OpenRound after close error = %v, want ErrNotFound", err)
	}
	latest, err := s.LatestRound(ctx, "console:c")
	if err != nil || latest.Open() || !latest.ClosedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("LatestRound = %+v, %v; want closed at %v", latest, err, t0.Add(time.Minute))
	}
}

// OpenRounds lists only the group's open rounds; DueRounds lists open rounds
// due at or before now, earliest first, and never rounds without an end.
func TestOpenAndDueRounds(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	mk := func(g bot.GroupID, ch bot.ChannelID, closes time.Time) bot.Round {
		r, err := s.CreateRound(ctx, bot.Round{Group: g, Channel: ch, OpenedAt: t0, ClosesAt: closes})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	late := mk("console:g", "console:c1", t0.Add(2*time.Hour))
	early := mk("console:g", "console:c2", t0.Add(time.Hour))
	endless := mk("console:g", "console:c3", time.Time{})
	closed := mk("console:g", "console:c4", t0.Add(time.Minute))
	other := mk("console:h", "console:c5", t0.Add(time.Hour))
	if err := s.CloseRound(ctx, closed.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}

	open, err := s.OpenRounds(ctx, "console:g")
	if err != nil {
		t.Fatal(err)
	}
	if ids(open...) != ids(late, early, endless) {
		t.Errorf("OpenRounds = %v, want %v", ids(open...), ids(late, early, endless))
	}
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{t0.Add(59 * time.Minute), ids()},
		{t0.Add(time.Hour), ids(early, other)},
		{t0.Add(3 * time.Hour), ids(early, other, late)},
	} {
		due, err := s.DueRounds(ctx, tc.now)
		if err != nil {
			t.Fatal(err)
		}
		if ids(due...) != tc.want {
			t.Errorf("DueRounds(%v) = %v, want %v", tc.now, ids(due...), tc.want)
		}
	}
}

func ids(rs ...bot.Round) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%d ", r.ID)
	}
	return b.String()
}
