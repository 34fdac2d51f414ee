package store

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/pgtest"
)

var t0 = time.Date(2026, 3, 1, 18, 30, 0, 0, time.UTC)

// testKey is the secret key of the stores tests open.
var testKey = GenerateKey()

// testDialect is the database the tests of this run use: TestMain runs
// every test twice, on SQLite and then on PostgreSQL.
var testDialect = DialectSQLite

func TestMain(m *testing.M) {
	pgtest.Setup()
	code := m.Run()
	// Benchmarks choose their database themselves: with -bench, one run.
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		pgtest.Stop()
		os.Exit(code)
	}
	if code == 0 {
		testDialect = DialectPostgres
		fmt.Println("store: the same tests on PostgreSQL")
		if ok, err := pgtest.Available(); !ok {
			if os.Getenv("CI") != "" {
				fmt.Printf("store: no PostgreSQL (CI is set, so this fails): %v\n", err)
				code = 1
			} else {
				fmt.Printf("store: PostgreSQL tests skipped: %v\n", err)
			}
		} else {
			code = m.Run()
		}
	}
	pgtest.Stop()
	os.Exit(code)
}

// onlySQLite skips a test of a SQLite-only behaviour in the PostgreSQL run.
func onlySQLite(t testing.TB, why string) {
	t.Helper()
	if testDialect != DialectSQLite {
		t.Skip("SQLite only: " + why)
	}
}

// testDB returns where a test's fresh database is: a file path in a new
// temporary directory, or a postgres:// URL of a new database; OpenURL
// opens either.
func testDB(t testing.TB) string {
	t.Helper()
	if testDialect == DialectPostgres {
		return pgtest.URL(t)
	}
	return filepath.Join(t.TempDir(), "peerbot.db")
}

func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	path := testDB(t)
	s, err := OpenURL(context.Background(), path, WithKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func memberRec(id bot.MemberID, name string) bot.MemberRecord {
	return bot.MemberRecord{ID: id, Name: name}
}

// rawDB runs a test's own SQL, written for SQLite with ? placeholders, on
// the store's database in its dialect.
type rawDB struct{ s *Store }

func (s *Store) raw() rawDB { return rawDB{s} }

func (r rawDB) Exec(q string, args ...any) (sql.Result, error) {
	q = r.s.sql(q)
	if r.s.Postgres() { // SQLite ignores arguments a query does not use
		for len(args) > 0 && !strings.Contains(q, fmt.Sprintf("$%d", len(args))) {
			args = args[:len(args)-1]
		}
	}
	return r.s.db.Exec(q, r.s.pgArgs(args)...)
}

func (r rawDB) Query(q string, args ...any) (*sql.Rows, error) {
	return r.s.db.Query(r.s.sql(q), r.s.pgArgs(args)...)
}

func (r rawDB) QueryRow(q string, args ...any) *sql.Row {
	return r.s.db.QueryRow(r.s.sql(q), r.s.pgArgs(args)...)
}

func (r rawDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.s.db.QueryRowContext(ctx, r.s.sql(q), r.s.pgArgs(args)...)
}

// storedBytes returns what the database holds, for a search for plain
// text: on SQLite the bytes of its files (see fileBytes), on PostgreSQL the
// text form of every row of every table (BYTEA values as hex).
func storedBytes(t *testing.T, s *Store, path string) []byte {
	t.Helper()
	if !s.Postgres() {
		return fileBytes(t, path)
	}
	tables, err := s.db.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	var all []byte
	for _, n := range names {
		rows, err := s.db.Query(`SELECT t::text FROM "` + n + `" t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var row string
			if err := rows.Scan(&row); err != nil {
				t.Fatal(err)
			}
			all = append(all, row...)
			all = append(all, '\n')
		}
		rows.Close()
	}
	return all
}
