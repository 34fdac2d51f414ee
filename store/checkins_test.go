package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// A later check-in replaces the member's earlier one but keeps their place
// in the order of first check-in.
func TestPutCheckInReplacesInPlace(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:d", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	puts := []bot.CheckIn{
		{Round: r.ID, Member: "console:ann", MemberName: "Ann", Colour: bot.Amber, Words: "tired", At: t0},
		{Round: r.ID, Member: "console:bo", MemberName: "Bo", Passed: true, At: t0.Add(time.Minute)},
		{Round: other.ID, Member: "console:cy", MemberName: "Cy", Colour: bot.Green, At: t0},
		{Round: r.ID, Member: "console:ann", MemberName: "Annie", Colour: bot.Red, Words: "worse now", Private: true, At: t0.Add(2 * time.Minute)},
	}
	for _, c := range puts {
		if err := s.PutCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.CheckIns(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.CheckIn{puts[3], puts[1]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CheckIns = %+v\nwant %+v", got, want)
	}
	if got, _ := s.CheckIns(ctx, 999); len(got) != 0 {
		t.Errorf("CheckIns(unknown round) = %+v, want none", got)
	}
}

// Empty words are stored as NULL, not as an empty string, so nothing is kept
// where a member wrote nothing.
func TestCheckInEmptyWordsStoredAsNull(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutCheckIn(ctx, bot.CheckIn{Round: r.ID, Member: "console:ann", Colour: bot.Green, At: t0}); err != nil {
		t.Fatal(err)
	}
	var nulls int
	if err := s.raw().QueryRow(`SELECT COUNT(*) FROM check_ins WHERE words IS NULL`).Scan(&nulls); err != nil || nulls != 1 {
		t.Errorf("check-ins with NULL words = %d (%v), want 1", nulls, err)
	}
}

// A check-in for a round that does not exist is ErrNotFound.
func TestPutCheckInUnknownRound(t *testing.T) {
	s, _ := openTest(t)
	err := s.PutCheckIn(context.Background(), bot.CheckIn{Round: 42, Member: "console:ann", At: t0})
	if !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("PutCheckIn(unknown round) error = %v, want ErrNotFound", err)
	}
}

// Many goroutines checking in at once all succeed (no SQLITE_BUSY) and every
// check-in is stored, also through InTx and with a second Store on the same
// file (another process's connection).
func TestPutCheckInConcurrent(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	s2, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			st := s
			if i%4 == 0 {
				st = s2
			}
			c := bot.CheckIn{Round: r.ID, Member: bot.MemberID(fmt.Sprintf("console:m%d", i)), Colour: bot.Green, At: t0}
			var err error
			if i%2 == 0 {
				err = st.InTx(ctx, func(tx bot.Store) error { return tx.PutCheckIn(ctx, c) })
			} else {
				err = st.PutCheckIn(ctx, c)
			}
			if err != nil {
				t.Errorf("check-in %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got, err := s.CheckIns(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Errorf("stored %d check-ins, want %d", len(got), n)
	}
}
