package matrix

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"
)

// oldSchema is what the adapter created with CREATE TABLE IF NOT EXISTS on
// every start before its tables had versioned migrations. Kept verbatim so
// that such a database can be built and upgraded.
var oldSchema = []string{
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_sync (
		user_id    TEXT PRIMARY KEY,
		next_batch TEXT NOT NULL DEFAULT '',
		filter_id  TEXT NOT NULL DEFAULT ''
	)`,
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_actions (
		event_id    TEXT NOT NULL,
		emoji       TEXT NOT NULL,
		command     TEXT NOT NULL,
		reaction_id TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (event_id, emoji)
	)`,
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_dm (
		user_id  TEXT PRIMARY KEY,
		room_id  TEXT NOT NULL,
		declined INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX IF NOT EXISTS peerbot_matrix_dm_room ON peerbot_matrix_dm (room_id)`,
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_rooms (
		room_id   TEXT PRIMARY KEY,
		joined_ms INTEGER NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_once (
		key TEXT PRIMARY KEY
	)`,
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_lock (
		device_id  TEXT PRIMARY KEY,
		owner      TEXT NOT NULL,
		expires_ms INTEGER NOT NULL
	)`,
}

var adapterTables = []string{
	"peerbot_matrix_sync", "peerbot_matrix_actions", "peerbot_matrix_dm",
	"peerbot_matrix_rooms", "peerbot_matrix_once", "peerbot_matrix_lock",
}

// tableShape describes a table's columns and indexes as SQLite sees them.
func tableShape(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT 'col ' || name || ' ' || type || ' notnull=' || "notnull" || ' default=' || IFNULL(dflt_value, 'NULL') || ' pk=' || pk FROM pragma_table_info(?) ORDER BY cid`,
		`SELECT 'index ' || name || ' unique=' || "unique" || ' origin=' || origin FROM pragma_index_list(?) ORDER BY name`,
		`SELECT 'indexcol ' || il.name || ' ' || ii.seqno || ' ' || ii.name FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii ORDER BY il.name, ii.seqno`,
	} {
		rows, err := db.Query(q, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(out) == 0 {
		t.Fatalf("table %s does not exist", table)
	}
	return out
}

// schemaVersion returns the recorded version rows of the adapter's tables.
func schemaVersion(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT version || '/' || IFNULL(compat, 'NULL') FROM ` + versionTable)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func latestVersion() string { return fmt.Sprintf("%d/%d", len(upgrades), len(upgrades)) }

// TestTablesMigrateFresh ensures a new database gets every table, shaped as
// the old ad-hoc schema made them, and the version recorded.
func TestTablesMigrateFresh(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fresh := openDB(t, filepath.Join(dir, "fresh.db"))
	if err := (tables{db: fresh}).migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if got := schemaVersion(t, fresh); !reflect.DeepEqual(got, []string{latestVersion()}) {
		t.Errorf("version rows = %v, want [%s]", got, latestVersion())
	}
	old := openDB(t, filepath.Join(dir, "old.db"))
	for _, q := range oldSchema {
		if _, err := old.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, table := range adapterTables {
		if got, want := tableShape(t, fresh, table), tableShape(t, old, table); !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got  %q\n want %q", table, got, want)
		}
	}
	// Nothing but the adapter's tables and version table.
	var n int
	if err := fresh.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(adapterTables)+1 {
		t.Errorf("%d tables, want %d", n, len(adapterTables)+1)
	}
}

// TestTablesMigrateOldDatabase ensures a database made by the old ad-hoc
// schema, rows included, is adopted as version 1 and keeps its rows.
func TestTablesMigrateOldDatabase(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, filepath.Join(t.TempDir(), "old.db"))
	for _, q := range oldSchema {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO peerbot_matrix_sync (user_id, next_batch, filter_id) VALUES ('@b:x', 's42', 'f1')`,
		`INSERT INTO peerbot_matrix_actions (event_id, emoji, command, reaction_id) VALUES ('$e', '👍', 'join', '$r')`,
		`INSERT INTO peerbot_matrix_dm (user_id, room_id, declined) VALUES ('@m:x', '!dm:x', 1)`,
		`INSERT INTO peerbot_matrix_rooms (room_id, joined_ms) VALUES ('!g:x', 1700000000000)`,
		`INSERT INTO peerbot_matrix_once (key) VALUES ('power:!g:x')`,
		`INSERT INTO peerbot_matrix_lock (device_id, owner, expires_ms) VALUES ('DEV', 'other', 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tb := tables{db: db}
	if err := tb.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if got := schemaVersion(t, db); !reflect.DeepEqual(got, []string{latestVersion()}) {
		t.Errorf("version rows = %v, want [%s]", got, latestVersion())
	}
	if got, _ := (&syncStore{t: tb}).LoadNextBatch(ctx, "@b:x"); got != "s42" {
		t.Errorf("sync token = %q, want s42", got)
	}
	if got, err := tb.actions(ctx, "$e"); err != nil || len(got) != 1 || got[0] != (storedAction{Emoji: "👍", Command: "join", Reaction: "$r"}) {
		t.Errorf("actions = %v, %v", got, err)
	}
	if room, declined, err := tb.dm(ctx, "@m:x"); err != nil || room != "!dm:x" || !declined {
		t.Errorf("dm = %s, %v, %v", room, declined, err)
	}
	if at, err := tb.joined(ctx, "!g:x"); err != nil || !at.Equal(time.UnixMilli(1700000000000)) {
		t.Errorf("joined = %v, %v", at, err)
	}
	if first, err := tb.once(ctx, "power:!g:x"); err != nil || first {
		t.Errorf("once = %v, %v; want the note remembered", first, err)
	}
	var owner string
	if err := db.QueryRow(`SELECT owner FROM peerbot_matrix_lock WHERE device_id = 'DEV'`).Scan(&owner); err != nil || owner != "other" {
		t.Errorf("lock owner = %q, %v", owner, err)
	}
}

// TestTablesMigrateTwice ensures migrating an up-to-date database, in the
// same process or after reopening the file, writes nothing.
func TestTablesMigrateTwice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "twice.db")
	db := openDB(t, path)
	tb := tables{db: db}
	if err := tb.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if err := tb.setDM(ctx, "@m:x", "!dm:x"); err != nil {
		t.Fatal(err)
	}
	// total_changes counts the connection's writes; there is one connection.
	changes := func(db *sql.DB) int {
		var n int
		if err := db.QueryRow(`SELECT total_changes()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := changes(db)
	if err := tb.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if after := changes(db); after != before {
		t.Errorf("second migrate made %d changes", after-before)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openDB(t, path)
	tb = tables{db: db}
	if err := tb.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if n := changes(db); n != 0 {
		t.Errorf("migrate after reopening made %d changes", n)
	}
	if got := schemaVersion(t, db); !reflect.DeepEqual(got, []string{latestVersion()}) {
		t.Errorf("version rows = %v, want [%s]", got, latestVersion())
	}
	if room, _, err := tb.dm(ctx, "@m:x"); err != nil || room != id.RoomID("!dm:x") {
		t.Errorf("dm after reopening = %s, %v", room, err)
	}
}

// TestTablesMigrateNewerRefused ensures a database a newer peerbot migrated
// further is refused rather than used.
func TestTablesMigrateNewerRefused(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, filepath.Join(t.TempDir(), "newer.db"))
	tb := tables{db: db}
	if err := tb.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	newer := len(upgrades) + 1
	if _, err := db.Exec(`UPDATE `+versionTable+` SET version = ?, compat = ?`, newer, newer); err != nil {
		t.Fatal(err)
	}
	err := tb.migrate(ctx, zerolog.Nop())
	if !errors.Is(err, dbutil.ErrUnsupportedDatabaseVersion) {
		t.Fatalf("migrate = %v, want %v", err, dbutil.ErrUnsupportedDatabaseVersion)
	}
	t.Log(err)
	if got := schemaVersion(t, db); !reflect.DeepEqual(got, []string{fmt.Sprintf("%d/%d", newer, newer)}) {
		t.Errorf("version rows after refusal = %v", got)
	}
}
