package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/peerbot/peerbot/bot"
)

// Writes made inside InTx are all kept when fn returns nil.
func TestInTxCommits(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	err := s.InTx(ctx, func(st bot.Store) error {
		if err := st.SaveGroup(ctx, bot.Group{ID: "console:g", Name: "Tuesday"}); err != nil {
			return err
		}
		return st.SaveMember(ctx, memberRec("console:ann", "Ann"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if g, err := s.Group(ctx, "console:g"); err != nil || g.Name != "Tuesday" {
		t.Errorf("group after commit = %+v, %v", g, err)
	}
	if _, err := s.Member(ctx, "console:ann"); err != nil {
		t.Errorf("member after commit: %v", err)
	}
}

// When fn fails, none of its writes are kept, including those made by nested
// InTx calls, and fn's error is returned unchanged.
func TestInTxRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	boom := errors.New("boom")
	err := s.InTx(ctx, func(st bot.Store) error {
		if err := st.SaveGroup(ctx, bot.Group{ID: "console:g"}); err != nil {
			return err
		}
		if _, err := st.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0}); err != nil {
			return err
		}
		if err := st.InTx(ctx, func(inner bot.Store) error {
			if _, err := inner.MarkHandled(ctx, "ev1", "test:m", t0); err != nil {
				return err
			}
			return inner.SaveMember(ctx, memberRec("console:ann", "Ann"))
		}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx error = %v, want boom", err)
	}
	assertEmpty(t, s)
	// The event was not recorded, so a retry handles it.
	if fresh, err := s.MarkHandled(ctx, "ev1", "test:m", t0); err != nil || !fresh {
		t.Errorf("MarkHandled after rollback = %v, %v; want true", fresh, err)
	}
}

// A panic in fn rolls back and leaves the store usable.
func TestInTxRollsBackOnPanic(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	func() {
		defer func() { _ = recover() }()
		_ = s.InTx(ctx, func(st bot.Store) error {
			if err := st.SaveMember(ctx, memberRec("console:ann", "Ann")); err != nil {
				return err
			}
			panic("handler bug")
		})
	}()
	assertEmpty(t, s)
	if err := s.SaveMember(ctx, memberRec("console:bo", "Bo")); err != nil {
		t.Fatalf("store unusable after panic: %v", err)
	}
}

// A nested InTx joins the outer transaction: its writes are visible to the
// outer fn and commit with it.
func TestInTxNestedJoins(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	err := s.InTx(ctx, func(outer bot.Store) error {
		return outer.InTx(ctx, func(inner bot.Store) error {
			if inner != outer {
				t.Error("nested InTx got a different Store")
			}
			if err := inner.SaveMember(ctx, memberRec("console:ann", "Ann")); err != nil {
				return err
			}
			_, err := outer.Member(ctx, "console:ann")
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Member(ctx, "console:ann"); err != nil {
		t.Errorf("member after nested commit: %v", err)
	}
}

// assertEmpty fails unless every peerbot table is empty.
func assertEmpty(t *testing.T, s *Store) {
	t.Helper()
	for _, table := range dataTables {
		var n int
		if err := s.raw().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("table %s has %d rows, want 0", table, n)
		}
	}
}

var dataTables = []string{"groups", "members", "memberships", "agreements", "acceptances",
	"rounds", "check_ins", "message_refs", "handled_events", "round_aggregates",
	"schedules", "schedule_runs", "reminders"}

// Domain errors keep the driver's error, with its result code, in the chain.
func TestTranslateKeepsDriverError(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0}
	if _, err := s.CreateRound(ctx, r); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateRound(ctx, r)
	var se *sqlite.Error
	var pe *pgconn.PgError
	switch {
	case s.Postgres():
		if !errors.Is(err, bot.ErrAlreadyExists) || !errors.As(err, &pe) || pe.Code != "23505" {
			t.Errorf("duplicate open round error = %v; want ErrAlreadyExists wrapping unique_violation", err)
		}
	case !errors.Is(err, bot.ErrAlreadyExists) || !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		t.Errorf("duplicate open round error = %v; want ErrAlreadyExists wrapping SQLITE_CONSTRAINT_UNIQUE", err)
	}
	if err := translate(errors.New("disk on fire")); errors.Is(err, bot.ErrNotFound) || errors.Is(err, bot.ErrAlreadyExists) {
		t.Errorf("translate(other error) = %v; want neither domain error", err)
	}
}

// Open refuses a path the driver would misread and a file that is not a
// database, naming the path.
func TestOpenBadPath(t *testing.T) {
	onlySQLite(t, "file paths")
	ctx := context.Background()
	dir := t.TempDir()
	for _, p := range []string{"", filepath.Join(dir, "a?b.db")} {
		if s, err := OpenURL(ctx, p, WithKey(testKey)); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte("this is not an SQLite database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := OpenURL(ctx, junk, WithKey(testKey))
	if err == nil {
		s.Close()
		t.Fatal("Open(junk file) succeeded")
	}
	if !strings.Contains(err.Error(), junk) {
		t.Errorf("error %q does not name the file", err)
	}
}

// A statement that fails with a domain error inside InTx (a channel's second
// open round, an occurrence claimed before, a check-in for no round) leaves
// the transaction usable, as the bot expects: on PostgreSQL, where a failed
// statement aborts the transaction, each such write runs in a savepoint.
func TestInTxCarriesOnAfterDomainErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	sc, err := s.AddSchedule(ctx, bot.Schedule{Group: "console:g", Channel: "console:c",
		Days: []time.Weekday{time.Monday}, Hour: 9, Minutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	r := bot.Round{Group: "console:g", Channel: "console:c", OpenedAt: t0}
	err = s.InTx(ctx, func(tx bot.Store) error {
		if ok, err := tx.ClaimOccurrence(ctx, sc.ID, t0); err != nil || !ok {
			return fmt.Errorf("first claim = %v, %v", ok, err)
		}
		if ok, err := tx.ClaimOccurrence(ctx, sc.ID, t0); err != nil || ok {
			return fmt.Errorf("second claim = %v, %v; want false, nil", ok, err)
		}
		if _, err := tx.CreateRound(ctx, r); err != nil {
			return err
		}
		if _, err := tx.CreateRound(ctx, r); !errors.Is(err, bot.ErrAlreadyExists) {
			return fmt.Errorf("second open round: %v; want ErrAlreadyExists", err)
		}
		if err := tx.PutCheckIn(ctx, bot.CheckIn{Round: 999999, Member: "console:ann", At: t0}); !errors.Is(err, bot.ErrNotFound) {
			return fmt.Errorf("check-in for no round: %v; want ErrNotFound", err)
		}
		return tx.SaveGroup(ctx, bot.Group{ID: "console:g", Name: "After the errors"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if g, err := s.Group(ctx, "console:g"); err != nil || g.Name != "After the errors" {
		t.Errorf("Group = %+v, %v; want the write made after the errors", g, err)
	}
	if _, err := s.OpenRound(ctx, "console:c"); err != nil {
		t.Errorf("OpenRound: %v; want the first round committed", err)
	}
	if ok, err := s.ClaimOccurrence(ctx, sc.ID, t0); err != nil || ok {
		t.Errorf("claim after commit = %v, %v; want false (claimed once)", ok, err)
	}
}

// Code sharing the database through DB() (the Matrix adapter's tables)
// writes SQLite-style SQL with ? and ?N placeholders; it runs unchanged on
// either dialect, and DialectOf names the dialect for mautrix's dbutil.
func TestDBTakesSQLitePlaceholders(t *testing.T) {
	s, _ := openTest(t)
	db := s.DB()
	if got := DialectOf(db); got != s.Dialect() || got != testDialect {
		t.Errorf("DialectOf = %q, Dialect = %q; want %q", got, s.Dialect(), testDialect)
	}
	if _, err := db.Exec(`CREATE TABLE shared (k TEXT PRIMARY KEY, n BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i, k := range []string{"b", "a", "c"} {
		if _, err := db.Exec(`INSERT INTO shared (k, n) VALUES (?, ?)`, k, i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`UPDATE shared SET n = ?2 WHERE k = ?1`, "a", 10); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.QueryRow(`SELECT n FROM shared WHERE k = ?`, "a").Scan(&n); err != nil || n != 10 {
		t.Errorf("n = %d, %v; want 10", n, err)
	}
	var keys []string
	rows, err := db.Query(`SELECT k FROM shared WHERE k <> ? ORDER BY rowid`, "x")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if strings.Join(keys, "") != "bac" && !s.Postgres() {
		t.Errorf("keys in rowid order = %v; want b a c", keys)
	}
	if len(keys) != 3 {
		t.Errorf("keys = %v; want 3", keys)
	}
}
