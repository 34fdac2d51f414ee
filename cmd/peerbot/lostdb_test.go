package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLostDatabaseIsNotStartedAsNew ensures that peerbot refuses to start,
// with one line saying what happened and how to restore, when the database
// is missing or empty but its key file (or, with the key in the
// environment, its marker file) says there was one, and creates nothing.
func TestLostDatabaseIsNotStartedAsNew(t *testing.T) {
	for _, tc := range []struct {
		name     string
		env      map[string]string
		evidence string
		lose     func(db string) error
		state    string
	}{
		{"missing, key file", nil, ".key", os.Remove, "missing"},
		{"empty, key file", nil, ".key", func(db string) error { return os.Truncate(db, 0) }, "empty"},
		{"missing, key in the environment", map[string]string{"PEERBOT_SECRET_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},
			".created", os.Remove, "missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "peerbot.db")
			if r := run(t, beforeBackup, tc.env, "console", "-db", db, "-facilitators", "alice"); r.code != 0 {
				t.Fatalf("meeting: exit %d, stderr %q", r.code, r.stderr)
			}
			if err := tc.lose(db); err != nil {
				t.Fatal(err)
			}
			before := files(t, dir)
			r := run(t, "alice: !round start 30\n", tc.env, "console", "-db", db, "-facilitators", "alice")
			want := "peerbot: database " + db + " is " + tc.state + ", but " + db + tc.evidence + " says there was one: its data was lost or moved. " +
				"Restore a backup with 'peerbot restore -db " + db + " BACKUP'"
			if r.code != 1 || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
				t.Errorf("start: exit %d, stdout %q, stderr %q; want one line starting %q", r.code, r.stdout, r.stderr, want)
			}
			if after := files(t, dir); after != before {
				t.Errorf("files changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}
