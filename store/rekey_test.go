package store

import (
	"context"
	"errors"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// rekeyFixture stores a member and a round with two check-ins, one with
// words, under testKey, and closes the store.
func rekeyFixture(t *testing.T) (path string, round int64) {
	t.Helper()
	ctx := context.Background()
	s, path := openTest(t)
	if err := s.SaveMember(ctx, memberRec("console:ann", "Ann")); err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []bot.CheckIn{
		{Round: r.ID, Member: "console:ann", MemberName: "Ann", Colour: bot.Red, Words: "hard week", At: t0},
		{Round: r.ID, Member: "console:bo", MemberName: "Bo", Colour: bot.Green, At: t0},
	} {
		if err := s.PutCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, r.ID
}

// ChangeKey re-encrypts the words under the new key: the new key reads
// them, the old one no longer opens the database, and a wrong old key
// changes nothing.
func TestChangeKey(t *testing.T) {
	ctx := context.Background()
	path, round := rekeyFixture(t)
	newKey := GenerateKey()
	if err := ChangeKey(ctx, path, GenerateKey(), newKey); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("ChangeKey with a wrong old key error = %v, want ErrWrongKey", err)
	}
	if err := ChangeKey(ctx, path, testKey, newKey); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(ctx, path, WithKey(testKey)); !errors.Is(err, ErrWrongKey) {
		if err == nil {
			s.Close()
		}
		t.Errorf("Open with the old key after ChangeKey error = %v, want ErrWrongKey", err)
	}
	s, err := Open(ctx, path, WithKey(newKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.CheckIns(ctx, round)
	if err != nil || len(cs) != 2 || cs[0].Words != "hard week" || cs[1].Words != "" {
		t.Errorf("CheckIns under the new key = %+v, %v; want ann's words back", cs, err)
	}
}

// ResetLostKey deletes the words, which nobody can read without the key,
// keeps everything else, and makes the new key the database's key.
func TestResetLostKey(t *testing.T) {
	ctx := context.Background()
	path, round := rekeyFixture(t)
	newKey := GenerateKey()
	n, err := ResetLostKey(ctx, path, newKey)
	if err != nil || n != 1 {
		t.Fatalf("ResetLostKey = %d, %v; want 1 check-in's words deleted", n, err)
	}
	if s, err := Open(ctx, path, WithKey(testKey)); !errors.Is(err, ErrWrongKey) {
		if err == nil {
			s.Close()
		}
		t.Errorf("Open with the lost key after the reset error = %v, want ErrWrongKey", err)
	}
	s, err := Open(ctx, path, WithKey(newKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.CheckIns(ctx, round)
	if err != nil || len(cs) != 2 || cs[0].Words != "" || cs[0].Colour != bot.Red || cs[1].Colour != bot.Green {
		t.Errorf("CheckIns after the reset = %+v, %v; want colours kept, no words", cs, err)
	}
	if m, err := s.Member(ctx, "console:ann"); err != nil || m.Name != "Ann" {
		t.Errorf("member after the reset = %+v, %v; want kept", m, err)
	}
	if err := s.PutCheckIn(ctx, bot.CheckIn{Round: round, Member: "console:cy", Words: "new words", At: t0}); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.CheckIns(ctx, round); err != nil || len(cs) != 3 || cs[2].Words != "new words" {
		t.Errorf("CheckIns with new words = %+v, %v", cs, err)
	}
}
