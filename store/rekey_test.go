package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// rekeyFixture stores a member, a group with an agreement, a round with two
// check-ins (one with words, one passed), and a purged round reduced to
// counts, under testKey, and closes the store.
func rekeyFixture(t *testing.T) (path string, round, purged int64) {
	t.Helper()
	ctx := context.Background()
	s, path := openTest(t)
	if err := s.SaveMember(ctx, bot.MemberRecord{ID: "console:ann", Name: "Ann", Country: "GB", LastSupportAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveGroup(ctx, bot.Group{ID: "console:g", Name: "Tuesday circle"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAgreement(ctx, bot.Agreement{Group: "console:g", Text: "Be kind.", SetBy: "console:ann", SetName: "Ann"}); err != nil {
		t.Fatal(err)
	}
	old, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:old", OpenedAt: t0.Add(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutCheckIn(ctx, bot.CheckIn{Round: old.ID, Member: "console:ann", Colour: bot.Red, At: old.OpenedAt}); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseRound(ctx, old.ID, old.OpenedAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurgeWords(ctx, t0.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []bot.CheckIn{
		{Round: r.ID, Member: "console:ann", MemberName: "Ann", Colour: bot.Red, Words: "hard week", Private: true, At: t0},
		{Round: r.ID, Member: "console:bo", MemberName: "Bo", Passed: true, At: t0},
	} {
		if err := s.PutCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, r.ID, old.ID
}

// ChangeKey re-encrypts the words under the new key: the new key reads
// them, the old one no longer opens the database, and a wrong old key
// changes nothing.
func TestChangeKey(t *testing.T) {
	ctx := context.Background()
	path, round, purged := rekeyFixture(t)
	newKey := GenerateKey()
	if err := ChangeKey(ctx, path, GenerateKey(), newKey); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("ChangeKey with a wrong old key error = %v, want ErrWrongKey", err)
	}
	if err := ChangeKey(ctx, path, testKey, newKey); err != nil {
		t.Fatal(err)
	}
	if s, err := OpenURL(ctx, path, WithKey(testKey)); !errors.Is(err, ErrWrongKey) {
		if err == nil {
			s.Close()
		}
		t.Errorf("Open with the old key after ChangeKey error = %v, want ErrWrongKey", err)
	}
	s, err := OpenURL(ctx, path, WithKey(newKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.CheckIns(ctx, round)
	if err != nil || len(cs) != 2 || cs[0].Words != "hard week" || cs[1].Words != "" ||
		cs[0].Colour != bot.Red || !cs[0].Private || cs[0].MemberName != "Ann" || !cs[1].Passed {
		t.Errorf("CheckIns under the new key = %+v, %v; want ann's words, colours, flags and names back", cs, err)
	}
	if m, err := s.Member(ctx, "console:ann"); err != nil || m.Name != "Ann" || m.Country != "GB" || !m.LastSupportAt.Equal(t0) {
		t.Errorf("member under the new key = %+v, %v; want name, country and support time back", m, err)
	}
	if g, err := s.Group(ctx, "console:g"); err != nil || g.Name != "Tuesday circle" {
		t.Errorf("group under the new key = %+v, %v", g, err)
	}
	if a, err := s.CurrentAgreement(ctx, "console:g"); err != nil || a.SetName != "Ann" {
		t.Errorf("agreement under the new key = %+v, %v", a, err)
	}
	if c, err := s.RoundCounts(ctx, purged); err != nil || c.Red != 1 {
		t.Errorf("purged round's counts under the new key = %+v, %v; want 1 red", c, err)
	}
	if n, err := s.VerifySealed(ctx); err != nil || n == 0 {
		t.Errorf("VerifySealed under the new key = %d, %v", n, err)
	}
}

// ResetLostKey deletes what nobody can read without the key (check-ins,
// purged rounds' counts, names), keeps every row that has ids only, and
// makes the new key the database's key.
func TestResetLostKey(t *testing.T) {
	ctx := context.Background()
	path, round, purged := rekeyFixture(t)
	newKey := GenerateKey()
	n, err := ResetLostKey(ctx, path, newKey)
	want := LostKeyReset{CheckIns: 2, Counts: 1, Names: 3} // Ann, the group, the agreement's setter
	if err != nil || n != want {
		t.Fatalf("ResetLostKey = %+v, %v; want %+v", n, err, want)
	}
	if s, err := OpenURL(ctx, path, WithKey(testKey)); !errors.Is(err, ErrWrongKey) {
		if err == nil {
			s.Close()
		}
		t.Errorf("Open with the lost key after the reset error = %v, want ErrWrongKey", err)
	}
	s, err := OpenURL(ctx, path, WithKey(newKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if cs, err := s.CheckIns(ctx, round); err != nil || len(cs) != 0 {
		t.Errorf("CheckIns after the reset = %+v, %v; want none", cs, err)
	}
	if c, err := s.RoundCounts(ctx, purged); err != nil || c.Total() != 0 {
		t.Errorf("purged round's counts after the reset = %+v, %v; want none", c, err)
	}
	if m, err := s.Member(ctx, "console:ann"); err != nil || m != (bot.MemberRecord{ID: "console:ann"}) {
		t.Errorf("member after the reset = %+v, %v; want kept, with no name", m, err)
	}
	if g, err := s.Group(ctx, "console:g"); err != nil || g.Name != "" {
		t.Errorf("group after the reset = %+v, %v; want kept, with no name", g, err)
	}
	if a, err := s.CurrentAgreement(ctx, "console:g"); err != nil || a.Text != "Be kind." || a.SetBy != "console:ann" || a.SetName != "" {
		t.Errorf("agreement after the reset = %+v, %v; want its text and setter's id kept, no name", a, err)
	}
	if rd, err := s.LatestRound(ctx, "console:c"); err != nil || rd.ID != round {
		t.Errorf("round after the reset = %+v, %v; want kept", rd, err)
	}
	if err := s.PutCheckIn(ctx, bot.CheckIn{Round: round, Member: "console:cy", Colour: bot.Amber, Words: "new words", At: t0}); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.CheckIns(ctx, round); err != nil || len(cs) != 1 || cs[0].Words != "new words" || cs[0].Colour != bot.Amber {
		t.Errorf("CheckIns with new words = %+v, %v", cs, err)
	}
	if n, err := s.VerifySealed(ctx); err != nil || n == 0 {
		t.Errorf("VerifySealed after the reset = %d, %v", n, err)
	}
}
