package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/sqlstatestore"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/pgtest"
)

// mautrixTables creates mautrix's state and crypto store tables in s, as
// the Matrix adapter does, and stores one membership.
func mautrixTables(t *testing.T, s *Store, write bool) *sqlstatestore.SQLStateStore {
	t.Helper()
	ctx := context.Background()
	db, err := dbutil.NewWithDB(s.DB(), s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	db.Owner = "peerbot"
	cs := crypto.NewSQLCryptoStore(db, nil, "@peerbot:example.org", id.DeviceID("DEVICE"), []byte("pickle key"))
	if err := cs.DB.Upgrade(ctx); err != nil {
		t.Fatalf("crypto store upgrade: %v", err)
	}
	ss := sqlstatestore.NewSQLStateStore(db, nil, false)
	if err := ss.Upgrade(ctx); err != nil {
		t.Fatalf("state store upgrade: %v", err)
	}
	if write {
		if err := ss.SetMembership(ctx, "!room:example.org", "@ann:example.org", event.MembershipJoin); err != nil {
			t.Fatal(err)
		}
		if err := ss.SetEncryptionEvent(ctx, "!room:example.org", &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}); err != nil {
			t.Fatal(err)
		}
	}
	return ss
}

// A SQLite database copied into an empty PostgreSQL database reads back the
// same under the same key, the Matrix state included; ids continue after
// the copied ones; every table's rows are counted on both sides; and a
// database that is not empty is refused.
func TestCopyToPostgres(t *testing.T) {
	if testDialect != DialectSQLite {
		t.Skip("runs once, in the SQLite pass: it uses both databases")
	}
	ctx := context.Background()
	src, err := Open(ctx, filepath.Join(t.TempDir(), "peerbot.db"), WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	round, err := src.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0, ClosesAt: t0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.SaveGroup(ctx, bot.Group{ID: "console:g", Name: "Tuesday group", Timezone: "Europe/London"}); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveMember(ctx, memberRec("console:ann", "Ann")); err != nil {
		t.Fatal(err)
	}
	if _, err := src.AddMembership(ctx, "console:g", "console:ann", t0); err != nil {
		t.Fatal(err)
	}
	want := bot.CheckIn{Round: round.ID, Member: "console:ann", MemberName: "Ann", Colour: bot.Amber, Words: "a long week", Private: true, At: t0}
	if err := src.PutCheckIn(ctx, want); err != nil {
		t.Fatal(err)
	}
	sc, err := src.AddSchedule(ctx, bot.Schedule{Group: "console:g", Channel: "console:c", Days: []time.Weekday{time.Tuesday}, Hour: 19, Minutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.ClaimOccurrence(ctx, sc.ID, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := src.AddAgreement(ctx, bot.Agreement{Group: "console:g", Text: "Be kind.", SetBy: "console:ann", SetName: "Ann", SetAt: t0}); err != nil {
		t.Fatal(err)
	}
	mautrixTables(t, src, true)

	url := pgtest.URL(t)
	if err := EmptyPostgres(ctx, url); err != nil {
		t.Fatalf("new database: %v", err)
	}
	dst, err := OpenPostgres(ctx, url, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	mautrixTables(t, dst, false)
	counts, err := CopyToPostgres(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range counts {
		seen[c.Table] = true
		if c.Source != c.Target {
			t.Errorf("%s: %d rows copied to %d", c.Table, c.Source, c.Target)
		}
	}
	for _, tb := range []string{"check_ins", "rounds", "schedules", "schedule_runs", "agreements", "members", "mx_user_profile", "crypto_account"} {
		if !seen[tb] {
			t.Errorf("table %s was not copied (copied: %v)", tb, counts)
		}
	}

	got, err := dst.CheckIns(ctx, round.ID)
	if err != nil || len(got) != 1 || got[0] != stored0(want) {
		t.Errorf("CheckIns after copy = %+v, %v; want %+v", got, err, want)
	}
	if g, err := dst.Group(ctx, "console:g"); err != nil || g.Name != "Tuesday group" {
		t.Errorf("Group after copy = %+v, %v", g, err)
	}
	if ok, err := dst.ClaimOccurrence(ctx, sc.ID, t0); err != nil || ok {
		t.Errorf("claim after copy = %v, %v; want claimed before", ok, err)
	}
	next, err := dst.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:d", OpenedAt: t0})
	if err != nil || next.ID <= round.ID {
		t.Errorf("new round after copy: id %d, %v; want after %d", next.ID, err, round.ID)
	}
	ss := mautrixTables(t, dst, false)
	if m, err := ss.GetMembership(ctx, "!room:example.org", "@ann:example.org"); err != nil || m != event.MembershipJoin {
		t.Errorf("Matrix membership after copy = %q, %v; want join", m, err)
	}
	if enc, err := ss.IsEncrypted(ctx, "!room:example.org"); err != nil || !enc {
		t.Errorf("Matrix room encrypted after copy = %v, %v; want true", enc, err)
	}

	if err := EmptyPostgres(ctx, url); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("EmptyPostgres on the copy = %v; want not empty", err)
	}
}

// stored0 is c as it reads back from any store.
func stored0(c bot.CheckIn) bot.CheckIn {
	c.At = stored(c.At)
	return c
}
