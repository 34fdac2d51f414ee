package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

// A backup is a complete database that opens with Open and holds the same
// data; an existing file is never overwritten.
func TestBackup(t *testing.T) {
	onlySQLite(t, "a backup is a file (PostgreSQL: pg_dump)")
	ctx := context.Background()
	s, _ := openTest(t)
	seedMember(t, s)
	want, err := s.MemberData(ctx, "console:ann")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, path); err == nil {
		t.Error("second Backup to the same path succeeded; want an error")
	}
	b, err := OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer b.Close()
	got, err := b.MemberData(ctx, "console:ann")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("backup's member data = %+v, %v; want %+v", got, err, want)
	}
	if fresh, err := b.MarkHandled(ctx, "new-event", "test:m", t0); err != nil || !fresh {
		t.Errorf("backup not writable: %v, %v", fresh, err)
	}
}
