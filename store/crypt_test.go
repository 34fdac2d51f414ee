package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Words come back exactly as written, through CheckIns and MemberData, and
// after the file is re-opened with the same key.
func TestWordsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	words := []string{
		"tired but here",
		"",
		"ünïcödé, emoji 🌧️ and\nnew lines\x00with a NUL",
		strings.Repeat("long words ", 46),
	}
	var want []bot.CheckIn
	for i, w := range words {
		c := bot.CheckIn{Round: r.ID, Member: bot.MemberID("console:m" + string(rune('a'+i))), MemberName: "M",
			Colour: bot.Amber, Words: w, Private: i%2 == 0, At: t0}
		if err := s.PutCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
		want = append(want, c)
	}
	if got, err := s.CheckIns(ctx, r.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("CheckIns = %+v, %v\nwant %+v", got, err, want)
	}
	if d, err := s.MemberData(ctx, "console:mc"); err != nil || len(d.CheckIns) != 1 || d.CheckIns[0].Words != words[2] {
		t.Errorf("MemberData check-ins = %+v, %v; want the words %q", d.CheckIns, err, words[2])
	}
	s.Close()
	s, err = OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.CheckIns(ctx, r.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("CheckIns after re-open = %+v, %v\nwant %+v", got, err, want)
	}
}

// The database file and its write-ahead log never hold a check-in's words
// or the member's name in plain text: not while the store is open, not after
// it is closed. The member's id, which is not encrypted, is found the same
// way, so the search does see what is stored.
func TestWordsNeverInFileInPlainText(t *testing.T) {
	onlySQLite(t, "reads the database file and its write-ahead log")
	ctx := context.Background()
	s, path := openTest(t)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	const name, words, private = "Zebedee-Quill", "marmalade skies over the harbour", "a quiet lighthouse secret"
	for _, c := range []bot.CheckIn{
		{Round: r.ID, Member: "console:zq", MemberName: name, Colour: bot.Red, Words: words, At: t0},
		{Round: r.ID, Member: "console:pv", MemberName: "P", Colour: bot.Amber, Words: private, Private: true, At: t0},
	} {
		if err := s.InTx(ctx, func(tx bot.Store) error { return tx.PutCheckIn(ctx, c) }); err != nil {
			t.Fatal(err)
		}
	}
	// Replace one, so an old version of the row exists in the log too.
	if err := s.PutCheckIn(ctx, bot.CheckIn{Round: r.ID, Member: "console:zq", MemberName: name,
		Colour: bot.Amber, Words: words + " again", At: t0}); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		raw := fileBytes(t, path)
		if !bytes.Contains(raw, []byte("console:zq")) {
			t.Fatalf("%s: the member's id is not in the files either: the search sees nothing", when)
		}
		for _, w := range []string{words, private, "marmalade", "lighthouse", name, "Zebedee"} {
			if bytes.Contains(raw, []byte(w)) {
				t.Errorf("%s: the files contain %q in plain text", when, w)
			}
		}
	}
	check("while open")
	if _, err := s.raw().Exec(`PRAGMA wal_checkpoint(FULL)`); err != nil {
		t.Fatal(err)
	}
	check("after a checkpoint")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check("after close")
}

// fileBytes returns the database file followed by its -wal and -shm files
// (those that exist).
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) && p != path {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// A database written before encryption (schema version 1, words in plain
// text) is encrypted at the first Open with a key: the words read back the
// same, and the plain text is gone from the file.
func TestPlainTextWordsFromVersion1AreEncrypted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "peerbot.db")
	init, err := migrations.ReadFile("migrations/001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	old, err := openDB(ctx, path, options{busyTimeout: defaultBusyTimeout})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.migrate(ctx, fstest.MapFS{"migrations/001_init.sql": {Data: init}}); err != nil {
		t.Fatal(err)
	}
	const words = "words from before encryption existed"
	for _, q := range []string{
		`INSERT INTO rounds (id, group_id, channel_id, opened_at) VALUES (7, 'console:g', 'console:c', 1)`,
		`INSERT INTO check_ins (round_id, member_id, member_name, colour, words, at) VALUES (7, 'console:ann', 'Ann', 'red', '` + words + `', 1)`,
		`INSERT INTO check_ins (round_id, member_id, member_name, colour, words, at) VALUES (7, 'console:bo', 'Bo', 'green', NULL, 2)`,
	} {
		if _, err := old.raw().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	if !bytes.Contains(fileBytes(t, path), []byte(words)) {
		t.Fatal("version-1 file does not hold the words in plain text: the test sees nothing")
	}

	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.CheckIns(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Words != words || got[0].Colour != bot.Red || got[1].Words != "" || got[1].Member != "console:bo" {
		t.Errorf("CheckIns after migration = %+v; want ann's words kept, bo without words", got)
	}
	if tables := tableNames(t, s); strings.Contains(tables, "legacy") {
		t.Errorf("tables after migration: %s; want the plain-text table dropped", tables)
	}
	s.Close()
	if bytes.Contains(fileBytes(t, path), []byte(words)) {
		t.Error("the file still holds the words in plain text after they were encrypted")
	}
}

// Open needs the key the database was first opened with: another key fails
// at once with ErrWrongKey and a clear message, and changes nothing; no key
// or a key of the wrong size fails too.
func TestOpenNeedsTheRightKey(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	want := bot.CheckIn{Round: r.ID, Member: "console:ann", Colour: bot.Red, Words: "keep me", At: t0}
	if err := s.PutCheckIn(ctx, want); err != nil {
		t.Fatal(err)
	}
	s.Close()

	other, err := OpenURL(ctx, path, WithKey(GenerateKey()))
	if err == nil {
		other.Close()
		t.Fatal("Open with another key succeeded")
	}
	if !errors.Is(err, ErrWrongKey) || !strings.Contains(err.Error(), "the secret key does not match this database") ||
		!strings.Contains(err.Error(), path) {
		t.Errorf("wrong key error = %q; want ErrWrongKey, saying the key does not match, naming %s", err, path)
	}
	for _, opts := range [][]Option{nil, {WithKey(nil)}, {WithKey(testKey[:16])}} {
		if s, err := OpenURL(ctx, path, opts...); err == nil {
			s.Close()
			t.Errorf("Open(%d options) without a valid key succeeded", len(opts))
		} else if !strings.Contains(err.Error(), "key") {
			t.Errorf("error %q does not mention the key", err)
		}
	}
	if _, err := OpenURL(ctx, path); err == nil || !strings.Contains(err.Error(), "no secret key") {
		t.Errorf("Open without WithKey error = %v; want one saying there is no secret key", err)
	}

	s, err = OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatalf("Open with the right key after a wrong one: %v", err)
	}
	defer s.Close()
	if got, err := s.CheckIns(ctx, r.ID); err != nil || len(got) != 1 || got[0] != want {
		t.Errorf("CheckIns = %+v, %v; want %+v", got, err, want)
	}
}

// A sealed value copied into another row (another member, or the same
// member in another round), or altered, fails to decrypt with
// ErrCannotDecrypt rather than reading as someone's words.
func TestMovedOrAlteredWordsFailToDecrypt(t *testing.T) {
	ctx := context.Background()
	copyWords := func(from, to string) func(t *testing.T, s *Store, r1, r2 int64) {
		return func(t *testing.T, s *Store, r1, r2 int64) {
			q := `UPDATE check_ins SET words = (SELECT words FROM check_ins WHERE ` + from + `) WHERE ` + to
			if _, err := s.raw().Exec(q, r1, r2); err != nil {
				t.Fatal(err)
			}
		}
	}
	alter := func(f func([]byte) []byte) func(t *testing.T, s *Store, r1, r2 int64) {
		return func(t *testing.T, s *Store, r1, r2 int64) {
			var b []byte
			const row = `member_id = 'console:ann' AND round_id = ?`
			if err := s.raw().QueryRow(`SELECT words FROM check_ins WHERE `+row, r1).Scan(&b); err != nil {
				t.Fatal(err)
			}
			if _, err := s.raw().Exec(`UPDATE check_ins SET words = ?1 WHERE member_id = 'console:ann' AND round_id = ?2`, f(b), r1); err != nil {
				t.Fatal(err)
			}
		}
	}
	const ann1, bo1, ann2 = `member_id = 'console:ann' AND round_id = ?1`, `member_id = 'console:bo' AND round_id = ?1`, `member_id = 'console:ann' AND round_id = ?2`
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, s *Store, r1, r2 int64)
	}{
		{"copied to another member", copyWords(ann1, bo1)},
		{"copied to another round", copyWords(ann1, ann2)},
		{"last byte altered", alter(func(b []byte) []byte { b[len(b)-1] ^= 1; return b })},
		{"nonce altered", alter(func(b []byte) []byte { b[5] ^= 0x80; return b })},
		{"truncated", alter(func(b []byte) []byte { return b[:20] })},
		{"empty", alter(func(b []byte) []byte { return []byte{} })},
		{"other version byte", alter(func(b []byte) []byte { b[0] = 2; return b })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t)
			r1, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			r2, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:d", OpenedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []bot.CheckIn{
				{Round: r1.ID, Member: "console:ann", Colour: bot.Red, Words: "ann's words", At: t0},
				{Round: r1.ID, Member: "console:bo", Colour: bot.Green, Words: "bo's words", At: t0},
				{Round: r2.ID, Member: "console:ann", Colour: bot.Green, Words: "ann elsewhere", At: t0},
			} {
				if err := s.PutCheckIn(ctx, c); err != nil {
					t.Fatal(err)
				}
			}
			tc.change(t, s, r1.ID, r2.ID)
			_, err1 := s.CheckIns(ctx, r1.ID)
			_, err2 := s.CheckIns(ctx, r2.ID)
			if !errors.Is(err1, ErrCannotDecrypt) && !errors.Is(err2, ErrCannotDecrypt) {
				t.Errorf("CheckIns errors = %v, %v; want ErrCannotDecrypt from one", err1, err2)
			}
			_, errAnn := s.MemberData(ctx, "console:ann")
			_, errBo := s.MemberData(ctx, "console:bo")
			if !errors.Is(errAnn, ErrCannotDecrypt) && !errors.Is(errBo, ErrCannotDecrypt) {
				t.Errorf("MemberData errors = %v, %v; want ErrCannotDecrypt from one", errAnn, errBo)
			}
		})
	}
}

// Opening a database that is already set up only reads it, so a second
// Store (peerbot backup beside the running bot) opens while the first holds
// the write lock.
func TestOpenWhileAnotherHoldsTheWriteLock(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	err := s.InTx(ctx, func(tx bot.Store) error {
		if err := tx.SaveGroup(ctx, bot.Group{ID: "console:g"}); err != nil {
			return err
		}
		s2, err := OpenURL(ctx, path, WithKey(testKey), WithBusyTimeout(50*time.Millisecond))
		if err != nil {
			return fmt.Errorf("second Open while the first holds the write lock: %w", err)
		}
		return s2.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}
