package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/adapters/console"
	"github.com/peerbot/peerbot/adapters/matrix"
	"github.com/peerbot/peerbot/store"
	"github.com/peerbot/peerbot/store/pgtest"
)

// migrate-store copies a SQLite database made by a real peerbot (its
// Matrix tables included) into PostgreSQL under the same key, reports each
// table's rows, and refuses a target that is not empty or the wrong key.
func TestMigrateStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "peerbot.db")
	input := "/clock 2030-01-07T19:00:00Z\n@open alice: !round start 60\n@c1 bob: !checkin amber a long week\n"
	if r := run(t, input, nil, "console", "-db", db, "-facilitators", "alice"); r.code != 0 {
		t.Fatalf("console: exit %d, stderr %q", r.code, r.stderr)
	}
	key, _, err := store.LoadOrCreateKeyFile(db + ".key")
	if err != nil {
		t.Fatal(err)
	}
	// The Matrix adapter's and mautrix's tables, as a Matrix bot leaves them.
	st, err := store.Open(ctx, db, store.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	if err := matrix.PrepareDatabase(ctx, st.DB(), zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`INSERT INTO peerbot_matrix_sync (user_id, next_batch) VALUES ('@peerbot:example.org', 's42_1')`); err != nil {
		t.Fatal(err)
	}
	st.Close()

	url := pgtest.URL(t)
	r := run(t, "", map[string]string{"PEERBOT_SECRET_KEY": store.EncodeKey(store.GenerateKey())}, "migrate-store", "-from", "sqlite:"+db, "-to", url)
	if r.code == 0 || !strings.Contains(r.stderr, "key") {
		t.Errorf("another key: exit %d, stderr %q; want refused, naming the key", r.code, r.stderr)
	}
	r = run(t, "", nil, "migrate-store", "-from", "sqlite:"+db, "-to", url)
	if r.code != 0 {
		t.Fatalf("migrate-store: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"check_ins", "1 rows", "peerbot_matrix_sync", "crypto_account", "mx_room_state", "each table's count checked", "database.key_file: " + db + ".key"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}

	pg, err := store.OpenURL(ctx, url, store.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	round, err := pg.LatestRound(ctx, console.Channel)
	if err != nil {
		t.Fatal(err)
	}
	cis, err := pg.CheckIns(ctx, round.ID)
	if err != nil || len(cis) != 1 || cis[0].Words != "a long week" || cis[0].MemberName != "bob" {
		t.Errorf("check-ins in PostgreSQL = %+v, %v; want bob's, words readable", cis, err)
	}
	var batch string
	if err := pg.DB().QueryRow(`SELECT next_batch FROM peerbot_matrix_sync WHERE user_id = ?`, "@peerbot:example.org").Scan(&batch); err != nil || batch != "s42_1" {
		t.Errorf("Matrix sync token in PostgreSQL = %q, %v; want s42_1", batch, err)
	}

	r = run(t, "", nil, "migrate-store", "-from", "sqlite:"+db, "-to", url)
	if r.code == 0 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("second copy: exit %d, stderr %q; want refused: not empty", r.code, r.stderr)
	}
	r = run(t, "", nil, "migrate-store", "-from", db, "-to", url)
	if r.code == 0 || !strings.Contains(r.stderr, "sqlite:FILE") {
		t.Errorf("-from without sqlite: exit %d, stderr %q; want usage", r.code, r.stderr)
	}
}
