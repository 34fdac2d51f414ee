package store

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

const day = 24 * time.Hour

// retentionRounds stores an old closed round (four check-ins), a recent
// closed round and an open round with one old and one new check-in.
func retentionRounds(t *testing.T, s *Store) (old, recent, open bot.Round) {
	t.Helper()
	ctx := context.Background()
	mk := func(ch bot.ChannelID, opened time.Time, closed time.Time) bot.Round {
		r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: ch, OpenedAt: opened})
		if err != nil {
			t.Fatal(err)
		}
		if !closed.IsZero() {
			if err := s.CloseRound(ctx, r.ID, closed); err != nil {
				t.Fatal(err)
			}
			r.ClosedAt = closed
		}
		return r
	}
	old = mk("console:a", t0, t0.Add(time.Hour))
	recent = mk("console:b", t0.Add(40*day), t0.Add(40*day+time.Hour))
	open = mk("console:c", t0.Add(2*day), time.Time{})
	for _, c := range []bot.CheckIn{
		{Round: old.ID, Member: "console:ann", MemberName: "Ann", Colour: bot.Green, Words: "old words", At: t0},
		{Round: old.ID, Member: "console:bo", MemberName: "Bo", Passed: true, At: t0},
		{Round: old.ID, Member: "console:cy", MemberName: "Cy", Colour: bot.Red, Words: "old private words", Private: true, At: t0},
		{Round: old.ID, Member: "console:dee", MemberName: "Dee", At: t0},
		{Round: recent.ID, Member: "console:ann", MemberName: "Ann", Colour: bot.Amber, Words: "recent words", At: t0.Add(40 * day)},
		{Round: open.ID, Member: "console:ann", MemberName: "Ann", Colour: bot.Red, Words: "open but old", At: t0.Add(2 * day)},
		{Round: open.ID, Member: "console:bo", MemberName: "Bo", Colour: bot.Green, Words: "open and new", At: t0.Add(45 * day)},
	} {
		if err := s.PutCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return old, recent, open
}

// PurgeWords deletes the words of check-ins older than the cutoff, reduces
// rounds closed before it to the same counts their summary showed, and
// leaves everything newer as it was. A second run changes nothing.
func TestPurgeWords(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	old, recent, open := retentionRounds(t, s)
	oldCounts, err := s.RoundCounts(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (RoundCounts{Green: 1, Red: 1, NoColour: 1, Passed: 1}); oldCounts != want || oldCounts.Total() != 4 {
		t.Fatalf("RoundCounts(old) before purge = %+v, want %+v", oldCounts, want)
	}
	recentBefore, _ := s.CheckIns(ctx, recent.ID)
	openBefore, _ := s.CheckIns(ctx, open.ID)

	n, err := s.PurgeWords(ctx, t0.Add(30*day))
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("PurgeWords deleted %d check-ins' words, want 3 (ann and cy in the old round, ann in the open one)", n)
	}
	if cs, err := s.CheckIns(ctx, old.ID); err != nil || len(cs) != 0 {
		t.Errorf("old round's check-ins = %+v, %v; want none left", cs, err)
	}
	if c, err := s.RoundCounts(ctx, old.ID); err != nil || c != oldCounts {
		t.Errorf("RoundCounts(old) after purge = %+v, %v; want %+v kept", c, err, oldCounts)
	}
	if cs, err := s.CheckIns(ctx, recent.ID); err != nil || !reflect.DeepEqual(cs, recentBefore) {
		t.Errorf("recent round's check-ins = %+v, %v; want unchanged %+v", cs, err, recentBefore)
	}
	wantOpen := append([]bot.CheckIn(nil), openBefore...)
	wantOpen[0].Words = ""
	if cs, err := s.CheckIns(ctx, open.ID); err != nil || !reflect.DeepEqual(cs, wantOpen) {
		t.Errorf("open round's check-ins = %+v, %v; want %+v (old words gone, colour kept)", cs, err, wantOpen)
	}
	if r, err := s.LatestRound(ctx, "console:a"); err != nil || r.ID != old.ID {
		t.Errorf("old round itself = %+v, %v; want it kept", r, err)
	}

	if n, err := s.PurgeWords(ctx, t0.Add(30*day)); err != nil || n != 0 {
		t.Errorf("second PurgeWords = %d, %v; want 0", n, err)
	}
	if c, _ := s.RoundCounts(ctx, old.ID); c != oldCounts {
		t.Errorf("RoundCounts(old) after a second purge = %+v, want %+v (not counted twice)", c, oldCounts)
	}
	// What is left of the old round names nobody.
	if err := s.ForgetMember(ctx, "console:cy"); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.RoundCounts(ctx, old.ID); c != oldCounts {
		t.Errorf("RoundCounts(old) after forgetting cy = %+v, want %+v", c, oldCounts)
	}
	if d, err := s.MemberData(ctx, "console:ann"); err != nil || len(d.CheckIns) != 2 {
		t.Errorf("ann's data after purge = %+v, %v; want her recent and open check-ins", d.CheckIns, err)
	}
}

// Purged values are gone from the database file and its log, not only from
// query results: secure_delete overwrites them and the log is truncated.
func TestPurgedWordsLeaveTheFile(t *testing.T) {
	onlySQLite(t, "reads the database file and its write-ahead log")
	ctx := context.Background()
	s, path := openTest(t)
	old, _, open := retentionRounds(t, s)
	sealed := func(round int64, m bot.MemberID) []byte {
		var b []byte
		if err := s.raw().QueryRow(`SELECT words FROM check_ins WHERE round_id = ? AND member_id = ?`, round, m).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	gone := [][]byte{sealed(old.ID, "console:ann"), sealed(old.ID, "console:cy"), sealed(open.ID, "console:ann")}
	kept := sealed(open.ID, "console:bo")
	if _, err := s.raw().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, b := range append(gone, kept) {
		if !bytes.Contains(fileBytes(t, path), b) {
			t.Fatal("a stored value is not in the file before the purge: the search sees nothing")
		}
	}
	if _, err := s.PurgeWords(ctx, t0.Add(30*day)); err != nil {
		t.Fatal(err)
	}
	raw := fileBytes(t, path)
	for i, b := range gone {
		if bytes.Contains(raw, b) {
			t.Errorf("purged value %d is still in the file", i)
		}
	}
	if !bytes.Contains(raw, kept) {
		t.Error("a value newer than the cutoff is missing from the file")
	}
}

// Check-ins without a time count as old; PurgeWords works inside InTx and
// rolls back with it.
func TestPurgeWordsEdges(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutCheckIn(ctx, bot.CheckIn{Round: r.ID, Member: "console:ann", Colour: bot.Amber, Words: "no time"}); err != nil {
		t.Fatal(err)
	}
	_ = s.InTx(ctx, func(st bot.Store) error {
		if n, err := st.(*Store).PurgeWords(ctx, t0); err != nil || n != 1 {
			t.Errorf("PurgeWords in a transaction = %d, %v; want 1", n, err)
		}
		return context.Canceled
	})
	if cs, _ := s.CheckIns(ctx, r.ID); len(cs) != 1 || cs[0].Words != "no time" {
		t.Errorf("check-ins after a rolled-back purge = %+v; want the words kept", cs)
	}
	if n, err := s.PurgeWords(ctx, t0); err != nil || n != 1 {
		t.Errorf("PurgeWords = %d, %v; want 1", n, err)
	}
	if cs, _ := s.CheckIns(ctx, r.ID); len(cs) != 1 || cs[0].Words != "" || cs[0].Colour != bot.Amber {
		t.Errorf("check-ins after purge = %+v; want the words gone, the colour kept", cs)
	}
	if c, err := s.RoundCounts(ctx, 999); err != nil || c != (RoundCounts{}) {
		t.Errorf("RoundCounts(unknown) = %+v, %v; want zero", c, err)
	}
}
