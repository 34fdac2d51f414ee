package store

import (
	"context"
	"testing"

	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/sqlstatestore"

	"github.com/peerbot/peerbot/bot"
)

// The Matrix adapter keeps mautrix's crypto and state stores in the same
// file through DB(): their upgrades run on the one-connection pool without
// deadlock, leave peerbot's tables and version alone, and the file re-opens.
func TestMautrixStoresShareTheFile(t *testing.T) {
	ctx := context.Background()
	const room = id.RoomID("!room:example.org")
	s, path := openTest(t)
	db, err := dbutil.NewWithDB(s.DB(), s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	cs := crypto.NewSQLCryptoStore(db, nil, "@peerbot:example.org", id.DeviceID("DEVICE"), []byte("pickle key"))
	if err := cs.DB.Upgrade(ctx); err != nil {
		t.Fatalf("crypto store upgrade: %v", err)
	}
	ss := sqlstatestore.NewSQLStateStore(db, nil, false)
	if err := ss.Upgrade(ctx); err != nil {
		t.Fatalf("state store upgrade: %v", err)
	}
	if err := ss.SetMembership(ctx, room, "@ann:example.org", event.MembershipJoin); err != nil {
		t.Fatalf("state store write: %v", err)
	}
	if err := s.SaveGroup(ctx, bot.Group{ID: "matrix:!room:example.org"}); err != nil {
		t.Fatal(err)
	}
	want, _ := s.SchemaVersion(ctx)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = OpenURL(ctx, path, WithKey(testKey))
	if err != nil {
		t.Fatalf("re-open with mautrix tables: %v", err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != want {
		t.Errorf("schema version = %d, %v; want %d", v, err, want)
	}
	if _, err := s.Group(ctx, "matrix:!room:example.org"); err != nil {
		t.Errorf("group after re-open: %v", err)
	}
	db, err = dbutil.NewWithDB(s.DB(), s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	cs = crypto.NewSQLCryptoStore(db, nil, "@peerbot:example.org", id.DeviceID("DEVICE"), []byte("pickle key"))
	if err := cs.DB.Upgrade(ctx); err != nil {
		t.Fatalf("crypto store re-upgrade: %v", err)
	}
	ss = sqlstatestore.NewSQLStateStore(db, nil, false)
	if err := ss.Upgrade(ctx); err != nil {
		t.Fatalf("state store re-upgrade: %v", err)
	}
	if m, err := ss.GetMembership(ctx, room, "@ann:example.org"); err != nil || m != event.MembershipJoin {
		t.Errorf("state store membership = %q, %v; want join", m, err)
	}
}
