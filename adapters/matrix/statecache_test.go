package matrix

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/sqlstatestore"
)

// TestCachedStateFollowsWrites ensures what the adapter keeps in memory
// about a room changes with every write to the state store, including the
// state events of a sync (mautrix.UpdateStateStore), and that callers
// changing what they got do not change what is kept.
func TestCachedStateFollowsWrites(t *testing.T) {
	ctx := context.Background()
	db, err := dbutil.NewWithDB(openDB(t, filepath.Join(t.TempDir(), "state.db")), "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	sql := sqlstatestore.NewSQLStateStore(db, dbutil.ZeroLogger(zerolog.Nop()), false)
	if err := sql.Upgrade(ctx); err != nil {
		t.Fatal(err)
	}
	c := newCachedState(sql)
	const room, alice = id.RoomID("!r:x"), id.UserID("@alice:x")

	if err := c.SetPowerLevels(ctx, room, &event.PowerLevelsEventContent{Users: map[id.UserID]int{alice: 50}}); err != nil {
		t.Fatal(err)
	}
	pl, err := c.GetPowerLevels(ctx, room)
	if err != nil || pl.GetUserLevel(alice) != 50 {
		t.Fatalf("levels = %v, %v; want alice at 50", pl, err)
	}
	pl.Users[alice] = 0 // a caller's change stays the caller's
	pl.CreateEvent = &event.Event{}
	if pl, _ := c.GetPowerLevels(ctx, room); pl.GetUserLevel(alice) != 50 || pl.CreateEvent != nil {
		t.Fatalf("cached levels changed through a returned copy: %+v", pl)
	}

	// A sync's state events go through the same writes.
	sync := func(evtType event.Type, key string, content any) {
		t.Helper()
		evt := &event.Event{Type: evtType, RoomID: room, StateKey: &key, Content: event.Content{Parsed: content}}
		mautrix.UpdateStateStore(ctx, c, evt)
	}
	sync(event.StatePowerLevels, "", &event.PowerLevelsEventContent{Users: map[id.UserID]int{alice: 100}})
	if pl, _ := c.GetPowerLevels(ctx, room); pl.GetUserLevel(alice) != 100 {
		t.Errorf("levels after a sync = %d for alice, want 100", pl.GetUserLevel(alice))
	}

	if m, _ := c.GetMember(ctx, room, alice); m.Membership != event.MembershipLeave || m.Displayname != "" {
		t.Errorf("unknown member = %+v, want left without a name", m)
	}
	sync(event.StateMember, alice.String(), &event.MemberEventContent{Membership: event.MembershipJoin, Displayname: "Alice"})
	if m, _ := c.GetMember(ctx, room, alice); m.Displayname != "Alice" {
		t.Errorf("name after joining = %q, want Alice", m.Displayname)
	}
	sync(event.StateMember, alice.String(), &event.MemberEventContent{Membership: event.MembershipJoin, Displayname: "Al"})
	if m, _ := c.GetMember(ctx, room, alice); m.Displayname != "Al" {
		t.Errorf("name after a rename = %q, want Al", m.Displayname)
	}

	if enc, _ := c.IsEncrypted(ctx, room); enc {
		t.Error("room encrypted before its encryption event")
	}
	sync(event.StateEncryption, "", &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1})
	if enc, _ := c.IsEncrypted(ctx, room); !enc {
		t.Error("room not encrypted after its encryption event")
	}

	if evt, _ := c.GetCreate(ctx, room); evt != nil {
		t.Errorf("create event before one was seen: %+v", evt)
	}
	key := ""
	create := &event.Event{Type: event.StateCreate, RoomID: room, StateKey: &key, Sender: alice, ID: "$create",
		Content: event.Content{Parsed: &event.CreateEventContent{RoomVersion: "12"}}}
	mautrix.UpdateStateStore(ctx, c, create)
	if evt, _ := c.GetCreate(ctx, room); evt == nil || evt.Sender != alice {
		t.Errorf("create event after a sync = %+v, want alice's", evt)
	}
}

// TestMemoFollowsWrites ensures the join times and DM rooms kept in memory
// change with the adapter's own writes.
func TestMemoFollowsWrites(t *testing.T) {
	ctx := context.Background()
	tb := tables{db: openDB(t, filepath.Join(t.TempDir(), "memo.db")), st: &stmts{}, m: &memo{}}
	if err := tb.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	const room, alice = id.RoomID("!dm:x"), id.UserID("@alice:x")
	if at, err := tb.joined(ctx, room); err != nil || !at.IsZero() {
		t.Fatalf("joined = %v, %v; want unknown", at, err)
	}
	if u, err := tb.dmMember(ctx, room); err != nil || u != "" {
		t.Fatalf("dm member = %q, %v; want none", u, err)
	}
	at := time.UnixMilli(1700000000000)
	if err := tb.setJoined(ctx, room, at); err != nil {
		t.Fatal(err)
	}
	if err := tb.setDM(ctx, alice, room); err != nil {
		t.Fatal(err)
	}
	if got, _ := tb.joined(ctx, room); !got.Equal(at) {
		t.Errorf("joined after setJoined = %v, want %v", got, at)
	}
	if u, _ := tb.dmMember(ctx, room); u != alice {
		t.Errorf("dm member after setDM = %q, want alice", u)
	}
	if err := tb.retireDM(ctx, alice, room); err != nil {
		t.Fatal(err)
	}
	if got, _ := tb.joined(ctx, room); !got.IsZero() {
		t.Errorf("joined after retireDM = %v, want unknown", got)
	}
	if u, _ := tb.dmMember(ctx, room); u != "" {
		t.Errorf("dm member after retireDM = %q, want none", u)
	}
}
