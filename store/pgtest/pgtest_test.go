package pgtest_test

import (
	"database/sql"
	"testing"

	"github.com/peerbot/peerbot/store/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Each URL is a fresh, empty database of its own on a running server.
func TestURLIsFreshAndIsolated(t *testing.T) {
	a, b := pgtest.URL(t), pgtest.URL(t)
	if a == b {
		t.Fatalf("two URLs are the same: %s", a)
	}
	da, err := sql.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	defer da.Close()
	if _, err := da.Exec(`CREATE TABLE t (x BIGINT)`); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", b)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("second database has %d tables; want 0", n)
	}
}
