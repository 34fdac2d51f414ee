package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Distinct strings that must never appear in the files in plain text.
const (
	secretMember = "Zebedee-Quillfeather"
	secretGroup  = "Marigold Harbour Circle"
	secretSetter = "Oberon-Tarragon"
	secretWords  = "a lighthouse of marmalade"
)

// sealedFixture stores one of everything that is encrypted: a named group
// and its agreement, a named member with a country and a support time, a
// round with a private red check-in, a hidden amber one and a passed one,
// and a purged round reduced to counts.
func sealedFixture(t *testing.T, s *Store) (round, purged int64) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SaveGroup(ctx, bot.Group{ID: "console:g", Name: secretGroup}))
	_, err := s.AddAgreement(ctx, bot.Agreement{Group: "console:g", Text: "Be kind.", SetBy: "console:ob", SetName: secretSetter})
	must(err)
	must(s.SaveMember(ctx, bot.MemberRecord{ID: "console:zq", Name: secretMember, Country: "NZ", LastSupportAt: t0}))
	old, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:old", OpenedAt: t0.Add(-48 * time.Hour)})
	must(err)
	must(s.PutCheckIn(ctx, bot.CheckIn{Round: old.ID, Member: "console:zq", MemberName: secretMember, Colour: bot.Red, At: old.OpenedAt}))
	must(s.CloseRound(ctx, old.ID, old.OpenedAt.Add(time.Hour)))
	_, err = s.PurgeWords(ctx, t0.Add(-24*time.Hour))
	must(err)
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0})
	must(err)
	for _, c := range []bot.CheckIn{
		{Round: r.ID, Member: "console:zq", MemberName: secretMember, Colour: bot.Red, Words: secretWords, Private: true, At: t0},
		{Round: r.ID, Member: "console:am", MemberName: "Amber-Sender", Colour: bot.Amber, Hidden: true, At: t0},
		{Round: r.ID, Member: "console:pa", MemberName: "Passer", Passed: true, At: t0},
	} {
		must(s.PutCheckIn(ctx, c))
	}
	return r.ID, old.ID
}

// plainColumns are the columns that held health data or names in plain
// text before schema version 6.
var plainColumns = map[string][]string{
	"check_ins":        {"member_name", "colour", "private", "hidden", "passed"},
	"members":          {"name", "country", "last_support_at"},
	"groups":           {"name"},
	"agreements":       {"set_name"},
	"round_aggregates": {"green", "amber", "red", "no_colour", "passed"},
}

// Without the key, the file cannot say who checked in red, privately or at
// all by colour, nor anyone's name: the plain-text columns are gone, the
// names and words are in no byte of the database or its log, and sealed
// values of a red and a green check-in (or a private and a public one) are
// the same length.
func TestNothingHealthRelatedReadableWithoutKey(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	sealedFixture(t, s)
	db := s.raw()

	for _, q := range []string{
		`SELECT COUNT(*) FROM check_ins WHERE private = 1 AND colour = 'red'`,
		`SELECT COUNT(*) FROM check_ins WHERE hidden = 1 OR passed = 1`,
		`SELECT name FROM members`,
		`SELECT member_name FROM check_ins`,
		`SELECT last_support_at FROM members`,
		`SELECT SUM(red) FROM round_aggregates`,
		`SELECT set_name FROM agreements`,
		`SELECT name FROM groups`,
	} {
		var n any
		if err := db.QueryRow(q).Scan(&n); err == nil || !strings.Contains(err.Error(), "no such column") && !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("%s: %v, %v; want no such column", q, n, err)
		}
	}
	for table, cols := range plainColumns {
		q := `SELECT name FROM pragma_table_info(?)`
		if s.Postgres() {
			q = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`
		}
		rows, err := db.Query(q, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			for _, plain := range cols {
				if c == plain {
					t.Errorf("%s.%s still exists", table, c)
				}
			}
		}
		rows.Close()
	}
	for _, c := range sealedColumns[1:] {
		var nulls int
		if err := db.QueryRow(`SELECT COUNT(*) FROM ` + c.table + ` WHERE ` + c.column + ` IS NULL`).Scan(&nulls); err != nil || nulls != 0 {
			t.Errorf("%s: %d NULL values, %v; want every row sealed", c.purpose, nulls, err)
		}
	}

	// Same name length, different colour and flags: same sealed length.
	r, err := s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:len", OpenedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	lengths := map[int]string{}
	for i, c := range []bot.CheckIn{
		{Colour: bot.Red, Private: true}, {Colour: bot.Green}, {Colour: bot.Amber, Hidden: true},
		{Passed: true}, {}, {Colour: bot.Red, MemberName: "A much longer name"},
	} {
		c.Round, c.Member, c.At = r.ID, bot.MemberID(fmt.Sprintf("console:l%d", i)), t0
		if c.MemberName == "" {
			c.MemberName = "Same"
		}
		if err := s.PutCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow(`SELECT length(sealed) FROM check_ins WHERE member_id = ?`, c.Member).Scan(&n); err != nil {
			t.Fatal(err)
		}
		lengths[n] += fmt.Sprintf("%+v; ", c)
	}
	if len(lengths) != 1 {
		t.Errorf("sealed lengths differ by colour or flag: %v", lengths)
	}
	// Same name length, with and without a country and a support time.
	memberLengths := map[int]string{}
	for i, m := range []bot.MemberRecord{{}, {Country: "GB"}, {LastSupportAt: t0}, {Country: "NZ", LastSupportAt: t0}} {
		m.ID, m.Name = bot.MemberID(fmt.Sprintf("console:m%d", i)), strings.Repeat("n", 22) // near a 32-byte edge
		if err := s.SaveMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow(`SELECT length(sealed) FROM members WHERE id = ?`, m.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		memberLengths[n] += fmt.Sprintf("%+v; ", m)
	}
	if len(memberLengths) != 1 {
		t.Errorf("sealed member lengths differ by country or support time: %v", memberLengths)
	}

	check := func(when string) {
		t.Helper()
		raw := storedBytes(t, s, path)
		if !bytes.Contains(raw, []byte("console:zq")) || !bytes.Contains(raw, []byte("Be kind.")) {
			t.Fatalf("%s: the member's id and the agreement text are not in the files: the search sees nothing", when)
		}
		for _, secret := range []string{secretMember, secretGroup, secretSetter, secretWords, "Zebedee", "Marigold", "Oberon", "Amber-Sender", "Passer"} {
			if bytes.Contains(raw, []byte(secret)) {
				t.Errorf("%s: the files contain %q in plain text", when, secret)
			}
		}
	}
	check("while open")
	if s.Postgres() {
		return // no files of ours: "while open" read every row
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check("after close")
}

// Everything sealed reads back as it was stored, also after re-opening.
func TestSealedValuesRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	round, purged := sealedFixture(t, s)
	read := func(s *Store) string {
		t.Helper()
		m, err1 := s.Member(ctx, "console:zq")
		g, err2 := s.Group(ctx, "console:g")
		a, err3 := s.CurrentAgreement(ctx, "console:g")
		cs, err4 := s.CheckIns(ctx, round)
		c, err5 := s.RoundCounts(ctx, purged)
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v\n%+v\n%+v\n%+v\n%+v", m, g, a, cs, c)
	}
	got := read(s)
	for _, want := range []string{
		"Name:" + secretMember + " Country:NZ LastSupportAt:2026-03-01 18:30:00 +0000 UTC",
		"Name:" + secretGroup, "SetName:" + secretSetter,
		"MemberName:" + secretMember + " Colour:red Words:" + secretWords + " Private:true Hidden:false Passed:false",
		"MemberName:Amber-Sender Colour:amber Words: Private:false Hidden:true Passed:false",
		"MemberName:Passer Colour: Words: Private:false Hidden:false Passed:true",
		"{Green:0 Amber:0 Red:1 NoColour:0 Passed:0}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("read back:\n%s\nwant %q in it", got, want)
		}
	}
	s.Close()
	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if again := read(s); again != got {
		t.Errorf("after re-open:\n%s\nwant\n%s", again, got)
	}
}

// A sealed value copied into another row fails to decrypt with
// ErrCannotDecrypt (instead of giving one member another's colour, flags or
// name), and so does a row whose value was removed.
func TestMovedSealedValuesFailToDecrypt(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, change string
		read         func(s *Store, round, purged int64) error
	}{
		{"check-in state to another member",
			`UPDATE check_ins SET sealed = (SELECT sealed FROM check_ins WHERE member_id = 'console:zq' AND round_id = ?1) WHERE member_id = 'console:am'`,
			func(s *Store, round, _ int64) error { _, err := s.CheckIns(ctx, round); return err }},
		{"check-in moved to another round",
			`UPDATE check_ins SET round_id = ?2 WHERE round_id = ?1 AND member_id = 'console:zq'`,
			func(s *Store, _, purged int64) error { _, err := s.RoundCounts(ctx, purged); return err }},
		{"check-in state removed",
			`UPDATE check_ins SET sealed = NULL WHERE member_id = 'console:pa' AND ?1 > 0`,
			func(s *Store, round, _ int64) error { _, err := s.MemberCheckIn(ctx, round, "console:pa"); return err }},
		{"member to another member",
			`INSERT INTO members (id, sealed) SELECT 'console:other', sealed FROM members WHERE id = 'console:zq' AND ?1 > 0`,
			func(s *Store, _, _ int64) error { _, err := s.Member(ctx, "console:other"); return err }},
		{"group to another group",
			`INSERT INTO groups (id, sealed) SELECT 'console:h', sealed FROM groups WHERE id = 'console:g' AND ?1 > 0`,
			func(s *Store, _, _ int64) error { _, err := s.Group(ctx, "console:h"); return err }},
		{"agreement setter to another version",
			`INSERT INTO agreements (group_id, version, text, sealed) SELECT group_id, 2, text, sealed FROM agreements WHERE ?1 > 0`,
			func(s *Store, _, _ int64) error { _, err := s.CurrentAgreement(ctx, "console:g"); return err }},
		{"counts to another round",
			`INSERT INTO round_aggregates (round_id, sealed) SELECT ?1, sealed FROM round_aggregates`,
			func(s *Store, round, _ int64) error { _, err := s.RoundCounts(ctx, round); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t)
			round, purged := sealedFixture(t, s)
			if _, err := s.raw().Exec(tc.change, round, purged); err != nil {
				t.Fatal(err)
			}
			if err := tc.read(s, round, purged); !errors.Is(err, ErrCannotDecrypt) {
				t.Errorf("read after %s: %v; want ErrCannotDecrypt", tc.name, err)
			}
			if _, err := s.VerifySealed(ctx); !errors.Is(err, ErrCannotDecrypt) {
				t.Errorf("VerifySealed after %s: %v; want ErrCannotDecrypt", tc.name, err)
			}
		})
	}
}

// A database of schema version 5 (names, colours, flags, support times and
// counts in plain text) is encrypted at the first Open: every value reads
// back the same, the legacy tables are gone, and no plain text is left in
// the database file or its log.
func TestVersion5PlainTextIsSealed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "peerbot.db")
	old, err := openDB(ctx, path, options{busyTimeout: defaultBusyTimeout})
	if err != nil {
		t.Fatal(err)
	}
	v5 := fstest.MapFS{}
	for _, name := range []string{"001_init.sql", "002_encrypt_words.sql", "003_schedules.sql", "004_handled_member.sql", "005_checkin_hidden.sql"} {
		b, err := fs.ReadFile(migrations, "migrations/"+name)
		if err != nil {
			t.Fatal(err)
		}
		v5["migrations/"+name] = &fstest.MapFile{Data: b}
	}
	if err := old.migrate(ctx, v5); err != nil {
		t.Fatal(err)
	}
	if old.box, err = newSealer(testKey); err != nil {
		t.Fatal(err)
	}
	if err := old.unlock(ctx); err != nil { // as version 5 left it: a key check, no legacy table
		t.Fatal(err)
	}
	words := old.box.sealWords(7, "console:zq", secretWords)
	for _, q := range []string{
		`INSERT INTO groups (id, name) VALUES ('console:g', '` + secretGroup + `')`,
		`INSERT INTO agreements (group_id, version, text, set_by, set_name) VALUES ('console:g', 1, 'Be kind.', 'console:ob', '` + secretSetter + `')`,
		`INSERT INTO members (id, name, country, last_support_at) VALUES ('console:zq', '` + secretMember + `', 'NZ', ` + fmt.Sprint(t0.UnixMilli()) + `)`,
		`INSERT INTO members (id, name) VALUES ('console:am', 'Amber-Sender')`,
		`INSERT INTO rounds (id, group_id, channel_id, opened_at) VALUES (7, 'console:g', 'console:c', 1)`,
		`INSERT INTO rounds (id, group_id, channel_id, opened_at, closed_at) VALUES (3, 'console:g', 'console:old', 1, 2)`,
		`INSERT INTO check_ins (round_id, member_id, member_name, colour, words, private, hidden, passed, at) VALUES
			(7, 'console:zq', '` + secretMember + `', 'red', x'` + fmt.Sprintf("%x", words) + `', 1, 0, 0, 1),
			(7, 'console:am', 'Amber-Sender', 'amber', NULL, 0, 1, 0, 2),
			(7, 'console:pa', 'Passer', '', NULL, 0, 0, 1, 3)`,
		`INSERT INTO round_aggregates (round_id, green, amber, red, no_colour, passed) VALUES (3, 4, 3, 2, 1, 5)`,
	} {
		if _, err := old.raw().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	if raw := fileBytes(t, path); !bytes.Contains(raw, []byte(secretMember)) || !bytes.Contains(raw, []byte(secretGroup)) {
		t.Fatal("the version-5 file does not hold the names in plain text: the test sees nothing")
	}

	s, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.CheckIns(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.CheckIn{
		{Round: 7, Member: "console:zq", MemberName: secretMember, Colour: bot.Red, Words: secretWords, Private: true, At: time.UnixMilli(1).UTC()},
		{Round: 7, Member: "console:am", MemberName: "Amber-Sender", Colour: bot.Amber, Hidden: true, At: time.UnixMilli(2).UTC()},
		{Round: 7, Member: "console:pa", MemberName: "Passer", Passed: true, At: time.UnixMilli(3).UTC()},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Errorf("check-ins after the migration:\n%+v\nwant\n%+v", cs, want)
	}
	if m, err := s.Member(ctx, "console:zq"); err != nil || m.Name != secretMember || m.Country != "NZ" || !m.LastSupportAt.Equal(t0) {
		t.Errorf("member after the migration = %+v, %v", m, err)
	}
	if g, err := s.Group(ctx, "console:g"); err != nil || g.Name != secretGroup {
		t.Errorf("group after the migration = %+v, %v", g, err)
	}
	if a, err := s.CurrentAgreement(ctx, "console:g"); err != nil || a.SetName != secretSetter || a.Text != "Be kind." {
		t.Errorf("agreement after the migration = %+v, %v", a, err)
	}
	if c, err := s.RoundCounts(ctx, 3); err != nil || c != (RoundCounts{Green: 4, Amber: 3, Red: 2, NoColour: 1, Passed: 5}) {
		t.Errorf("purged round's counts after the migration = %+v, %v", c, err)
	}
	if ms, err := s.GroupMembers(ctx, "console:g"); err != nil || len(ms) != 0 {
		t.Errorf("GroupMembers = %+v, %v", ms, err)
	}
	if tables := tableNames(t, s); strings.Contains(tables, "legacy") {
		t.Errorf("tables after the migration: %s; want the plain-text tables dropped", tables)
	}
	s.Close()
	raw := fileBytes(t, path)
	for _, secret := range []string{secretMember, secretGroup, secretSetter, "Amber-Sender", "Passer"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the files still hold %q in plain text after the migration", secret)
		}
	}
}

// A version-5 database whose key is lost keeps what it held in plain text
// (colours, names) through reset-lost-key: only the words, sealed under the
// lost key, are deleted.
func TestResetLostKeyDuringVersion6Migration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "peerbot.db")
	s, err := openDB(ctx, path, options{busyTimeout: defaultBusyTimeout})
	if err != nil {
		t.Fatal(err)
	}
	v5 := fstest.MapFS{}
	names, _ := fs.Glob(migrations, "migrations/00[1-5]_*.sql")
	for _, name := range names {
		b, _ := fs.ReadFile(migrations, name)
		v5[name] = &fstest.MapFile{Data: b}
	}
	if err := s.migrate(ctx, v5); err != nil {
		t.Fatal(err)
	}
	if s.box, err = newSealer(testKey); err != nil {
		t.Fatal(err)
	}
	if err := s.unlock(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO rounds (id, group_id, channel_id, opened_at) VALUES (7, 'console:g', 'console:c', 1)`,
		`INSERT INTO members (id, name) VALUES ('console:zq', 'Zed')`,
		`INSERT INTO check_ins (round_id, member_id, member_name, colour, words, at) VALUES
			(7, 'console:zq', 'Zed', 'red', x'` + fmt.Sprintf("%x", s.box.sealWords(7, "console:zq", "gone")) + `', 1)`,
	} {
		if _, err := s.raw().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	newKey := GenerateKey()
	r, err := ResetLostKey(ctx, path, newKey)
	if err != nil || r != (LostKeyReset{Words: 1}) {
		t.Fatalf("ResetLostKey = %+v, %v; want only the words deleted", r, err)
	}
	s, err = OpenURL(ctx, path, WithKey(newKey))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cs, err := s.CheckIns(ctx, 7)
	if err != nil || len(cs) != 1 || cs[0].Colour != bot.Red || cs[0].MemberName != "Zed" || cs[0].Words != "" {
		t.Errorf("CheckIns = %+v, %v; want the red check-in kept without words", cs, err)
	}
	if m, err := s.Member(ctx, "console:zq"); err != nil || m.Name != "Zed" {
		t.Errorf("Member = %+v, %v; want the name kept", m, err)
	}
}

// pack pads to a multiple of padSize; unpack reads the fields back and
// rejects a length running past the end.
func TestPackUnpack(t *testing.T) {
	for _, fields := range [][][]byte{
		{nil}, {[]byte("x")}, {[]byte{1, 2}, nil, []byte("a name")},
		{bytes.Repeat([]byte("n"), 29)}, {bytes.Repeat([]byte("n"), 30)}, {bytes.Repeat([]byte("n"), 200)},
	} {
		b := pack(fields...)
		if len(b)%padSize != 0 || len(b) == 0 {
			t.Errorf("pack(%q) is %d bytes, want a positive multiple of %d", fields, len(b), padSize)
		}
		got, err := unpack(b, len(fields))
		if err != nil {
			t.Fatalf("unpack(pack(%q)): %v", fields, err)
		}
		for i := range fields {
			if !bytes.Equal(got[i], fields[i]) {
				t.Errorf("field %d = %q, want %q", i, got[i], fields[i])
			}
		}
	}
	if _, err := unpack([]byte{5, 'a'}, 1); !errors.Is(err, ErrCannotDecrypt) {
		t.Errorf("unpack of a too-long field: %v, want ErrCannotDecrypt", err)
	}
}
