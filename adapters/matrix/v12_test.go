package matrix

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// roomsHomeserver answers what the power checks ask of the homeserver:
// joined members (from joined), invite-only join rules, no other state (so
// that the create event and power levels can only come from the state
// store); it takes state events and redactions and records their paths.
type roomsHomeserver struct {
	mu     sync.Mutex
	joined map[id.RoomID][]id.UserID
	create string // the create event answered with ?format=event
	sent   []string
	state  map[id.RoomID]map[string]json.RawMessage // "type|state_key": content, of what was sent
}

func (f *roomsHomeserver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path, _ := url.PathUnescape(r.URL.EscapedPath())
	room := id.RoomID("")
	if i := strings.Index(path, "/rooms/"); i >= 0 {
		room = id.RoomID(strings.SplitN(path[i+len("/rooms/"):], "/", 2)[0])
	}
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/joined_members"):
		joined := map[id.UserID]any{}
		for _, u := range f.joined[room] {
			joined[u] = map[string]any{}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"joined": joined})
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/state/m.room.create/") &&
		r.URL.Query().Get("format") == "event" && f.create != "":
		_, _ = io.WriteString(w, f.create)
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/state/m.room.join_rules/"):
		_, _ = io.WriteString(w, `{"join_rule":"invite"}`)
	case r.Method == http.MethodGet && strings.HasSuffix(path, "/state"):
		var evts []map[string]any
		for k, content := range f.state[room] {
			typ, key, _ := strings.Cut(k, "|")
			evts = append(evts, map[string]any{"type": typ, "state_key": key, "sender": "@bot:x", "content": content,
				"room_id": room, "event_id": "$" + k})
		}
		_ = json.NewEncoder(w).Encode(evts)
	case r.Method == http.MethodPut && (strings.Contains(path, "/state/") || strings.Contains(path, "/redact/")):
		f.sent = append(f.sent, path[strings.Index(path, "/rooms/"):])
		if typ, key, ok := strings.Cut(path[strings.Index(path, "/state/")+len("/state/"):], "/"); ok && strings.Contains(path, "/state/") {
			body, _ := io.ReadAll(r.Body)
			if f.state == nil {
				f.state = map[id.RoomID]map[string]json.RawMessage{}
			}
			if f.state[room] == nil {
				f.state[room] = map[string]json.RawMessage{}
			}
			f.state[room][typ+"|"+key] = body
		}
		_, _ = io.WriteString(w, `{"event_id":"$sent"}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"errcode":"M_NOT_FOUND"}`)
	}
}

func (f *roomsHomeserver) sentPaths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

// stateAdapter is an Adapter (not Run) with its tables and its Matrix state
// store on a fresh SQLite file, whose homeserver is hs.
func stateAdapter(t *testing.T, hs http.Handler) *Adapter {
	t.Helper()
	srv := httptest.NewServer(hs)
	t.Cleanup(srv.Close)
	off := false
	a, err := New(Config{Homeserver: srv.URL, UserID: "@bot:x", AccessToken: "token", Encryption: &off},
		openDB(t, filepath.Join(t.TempDir(), "state.db")), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := a.t.migrate(ctx, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	if err := a.setupStores(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

// putState stores a state event built by hand in a's state store, as sync
// would.
func putState(t *testing.T, a *Adapter, room id.RoomID, typ event.Type, sender id.UserID, key string, content any) {
	t.Helper()
	raw, err := json.Marshal(map[string]any{
		"type": typ.Type, "room_id": room, "sender": sender, "state_key": key,
		"event_id": "$" + typ.Type + key, "content": content,
	})
	if err != nil {
		t.Fatal(err)
	}
	var evt event.Event
	if err := json.Unmarshal(raw, &evt); err != nil {
		t.Fatal(err)
	}
	evt.Type.Class = event.StateEventType
	if err := evt.Content.ParseRaw(evt.Type); err != nil {
		t.Fatal(err)
	}
	mautrix.UpdateStateStore(context.Background(), a.state, &evt)
}

// v12Room gives room, in a's state store, a create event of version
// (sent by creator, with additional creators), power levels pl and the
// joined members.
func v12Room(t *testing.T, a *Adapter, room id.RoomID, version string, creator id.UserID, additional []id.UserID,
	pl map[string]any, joined ...id.UserID) {
	t.Helper()
	create := map[string]any{"room_version": version}
	if additional != nil {
		create["additional_creators"] = additional
	}
	putState(t, a, room, event.StateCreate, creator, "", create)
	putState(t, a, room, event.StatePowerLevels, creator, "", pl)
	for _, u := range joined {
		putState(t, a, room, event.StateMember, u, u.String(), map[string]any{"membership": "join"})
	}
}

const (
	alice id.UserID = "@alice:x" // creates the rooms
	carol id.UserID = "@carol:x" // an additional creator
	dave  id.UserID = "@dave:x"  // listed at 50
	erin  id.UserID = "@erin:x"  // a member
	me    id.UserID = "@bot:x"
)

func facilitatorOf(t *testing.T, a *Adapter, room id.RoomID, u id.UserID) bool {
	t.Helper()
	ok, err := a.IsFacilitator(context.Background(), groupID(room), memberID(u))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestV12CreatorsAreFacilitators ensures the creators of a version 12 room
// (its create event's sender and additional creators), not listed in its
// power levels, are facilitators; a member listed at the kick level is
// too, and a plain member is not.
func TestV12CreatorsAreFacilitators(t *testing.T) {
	a := stateAdapter(t, &roomsHomeserver{})
	ctx := context.Background()
	room := id.RoomID("!group:x")
	v12Room(t, a, room, "12", alice, []id.UserID{carol},
		map[string]any{"users": map[id.UserID]int{dave: 50, me: 50}}, alice, carol, dave, erin, me)

	for u, want := range map[id.UserID]bool{alice: true, carol: true, dave: true, erin: false, me: false} {
		if got := facilitatorOf(t, a, room, u); got != want {
			t.Errorf("IsFacilitator(%s) = %v, want %v", u, got, want)
		}
	}
	got, err := a.facilitators(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	if want := []id.UserID{alice, carol, dave}; !reflect.DeepEqual(got, want) {
		t.Errorf("facilitators = %v, want %v", got, want)
	}
	if !a.isFacilitator(ctx, room, room, carol) {
		t.Error("isFacilitator(additional creator) = false")
	}
}

// TestV11CreatorAsBefore ensures rooms before version 12 work as before:
// a creator listed at 100 is a facilitator; additional_creators (not a
// field of version 11) and an unlisted creator count for nothing.
func TestV11CreatorAsBefore(t *testing.T) {
	a := stateAdapter(t, &roomsHomeserver{})
	listed, unlisted := id.RoomID("!listed:x"), id.RoomID("!unlisted:x")
	v12Room(t, a, listed, "11", alice, []id.UserID{carol},
		map[string]any{"users": map[id.UserID]int{alice: 100}}, alice, carol, erin, me)
	v12Room(t, a, unlisted, "11", alice, nil, map[string]any{}, alice, erin, me)

	if !facilitatorOf(t, a, listed, alice) {
		t.Error("v11 creator listed at 100 is not a facilitator")
	}
	if facilitatorOf(t, a, listed, carol) {
		t.Error("additional_creators counted in a version 11 room")
	}
	if facilitatorOf(t, a, unlisted, alice) {
		t.Error("unlisted creator of a version 11 room is a facilitator")
	}
}

// TestV12UsersDefaultRule ensures a version 12 room whose users_default
// reaches the facilitator level has no facilitators, creators included:
// the rule that keeps private words from going to everyone still holds.
func TestV12UsersDefaultRule(t *testing.T) {
	a := stateAdapter(t, &roomsHomeserver{})
	room := id.RoomID("!open:x")
	v12Room(t, a, room, "12", alice, nil, map[string]any{"users_default": 50}, alice, erin, me)

	if facilitatorOf(t, a, room, alice) || facilitatorOf(t, a, room, erin) {
		t.Error("a room whose default level reaches the threshold has facilitators")
	}
}

// TestV12FacilitatorsRoom ensures a version 12 room whose only other
// members are the group's creators passes the facilitators'-room check,
// and that a plain member in it makes it fail.
func TestV12FacilitatorsRoom(t *testing.T) {
	hs := &roomsHomeserver{joined: map[id.RoomID][]id.UserID{}}
	a := stateAdapter(t, hs)
	ctx := context.Background()
	group, team := id.RoomID("!group:x"), id.RoomID("!team:x")
	v12Room(t, a, group, "12", alice, []id.UserID{carol}, map[string]any{}, alice, carol, erin, me)
	v12Room(t, a, team, "12", carol, []id.UserID{alice}, map[string]any{}, alice, carol, me)
	hs.joined[team] = []id.UserID{alice, carol, me}

	ok, err := a.FacilitatorsOnly(ctx, groupID(group), channelID(team))
	if err != nil || !ok {
		t.Fatalf("FacilitatorsOnly = %v, %v; want true", ok, err)
	}

	putState(t, a, team, event.StateMember, erin, erin.String(), map[string]any{"membership": "join"})
	hs.mu.Lock()
	hs.joined[team] = append(hs.joined[team], erin)
	hs.mu.Unlock()
	ok, err = a.FacilitatorsOnly(ctx, groupID(group), channelID(team))
	var pe *bot.PlaceError
	if ok || !errors.As(err, &pe) || pe.Problem != bot.PlaceOthersCanRead {
		t.Fatalf("FacilitatorsOnly with a member = %v, %v; want PlaceOthersCanRead", ok, err)
	}
}

// TestV12BotCreatorPinsAndRedacts ensures the bot, as creator of a version
// 12 room and not listed in its power levels, pins and redacts there.
func TestV12BotCreatorPinsAndRedacts(t *testing.T) {
	hs := &roomsHomeserver{}
	a := stateAdapter(t, hs)
	ctx := context.Background()
	room := id.RoomID("!mine:x")
	v12Room(t, a, room, "12", me, nil,
		map[string]any{"events": map[string]int{"m.room.pinned_events": 100}, "redact": 100}, me, erin)

	a.pin(room, "$agreement", groupID(room)) // in the background, retried until the state shows it
	pinned := func() bool {
		for _, p := range hs.sentPaths() {
			if strings.HasPrefix(p, "/rooms/!mine:x/state/m.room.pinned_events/") {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(10 * time.Second); !pinned() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	a.pins.close() // the fake does not echo the pin into the room's state: stop retrying it
	evt := &event.Event{RoomID: room, ID: "$private", Sender: erin}
	if !a.hideSensitive(ctx, evt) {
		t.Error("the bot, a creator, did not redact")
	}
	want := []string{"/rooms/!mine:x/state/m.room.pinned_events/", "/rooms/!mine:x/redact/$private/"}
	got := slices.Compact(hs.sentPaths())
	for i := range got {
		if j := strings.LastIndex(got[i], "/redact/"); j >= 0 {
			got[i] = got[i][:strings.LastIndex(got[i], "/")+1] // drop the transaction id
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sent %v, want %v", got, want)
	}
}

// TestV12CreateFetched ensures power levels stored without the room's
// create event (a room joined before the state store kept it) pick it up
// from the homeserver, and the store keeps it.
func TestV12CreateFetched(t *testing.T) {
	room := id.RoomID("!old:x")
	hs := &roomsHomeserver{create: `{"type":"m.room.create","state_key":"","sender":"@alice:x","event_id":"$c",` +
		`"room_id":"!old:x","content":{"room_version":"12"}}`}
	a := stateAdapter(t, hs)
	putState(t, a, room, event.StatePowerLevels, alice, "", map[string]any{})
	putState(t, a, room, event.StateMember, alice, alice.String(), map[string]any{"membership": "join"})

	if !facilitatorOf(t, a, room, alice) {
		t.Fatal("creator not a facilitator after fetching the create event")
	}
	if evt, err := a.state.GetCreate(context.Background(), room); err != nil || evt == nil || evt.Sender != alice {
		t.Errorf("stored create event = %v, %v", evt, err)
	}
}

// rolesCore is a bot.Core that records the events it is handed.
type rolesCore struct {
	bot.Core
	mu     sync.Mutex
	events []bot.Event
}

func (c *rolesCore) Handle(_ context.Context, ev bot.Event) bot.Outcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, ev)
	return bot.Done
}

func (c *rolesCore) Report(context.Context, bot.Condition) {}
func (c *rolesCore) Commands() *bot.Table                  { return bot.CommandTable() }

// TestV12PowerChangeKeepsCreators ensures a power level change in a
// version 12 room tells the core only about the member whose status
// changed: the creators, never listed, stay facilitators.
func TestV12PowerChangeKeepsCreators(t *testing.T) {
	a := stateAdapter(t, &roomsHomeserver{})
	c := &rolesCore{}
	a.core = c
	room := id.RoomID("!group:x")
	v12Room(t, a, room, "12", alice, []id.UserID{carol}, map[string]any{}, alice, carol, erin, me)

	raw := `{"type":"m.room.power_levels","state_key":"","sender":"@alice:x","event_id":"$pl2","room_id":"!group:x",` +
		`"content":{"users":{"@erin:x":50}}}`
	var evt event.Event
	if err := json.Unmarshal([]byte(raw), &evt); err != nil {
		t.Fatal(err)
	}
	evt.Type.Class = event.StateEventType
	if err := evt.Content.ParseRaw(evt.Type); err != nil {
		t.Fatal(err)
	}
	evt.Mautrix.EventSource = event.SourceJoin | event.SourceTimeline
	ctx := context.WithValue(context.Background(), mautrix.SyncTokenContextKey, "s1")
	a.onPowerLevels(ctx, &evt)

	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.events) != 1 || c.events[0].Kind != bot.EventRoles || c.events[0].Member.ID != memberID(erin) || !c.events[0].Member.Facilitator {
		t.Errorf("core got %+v, want erin becoming a facilitator only", c.events)
	}
}

// TestV12RoomReference ensures a version 12 room id (no server name) names
// a facilitators' room, and look-alikes do not.
func TestV12RoomReference(t *testing.T) {
	a := stateAdapter(t, &roomsHomeserver{})
	ctx := context.Background()
	v12 := "!" + strings.Repeat("aB3-_", 8) + "xyz"
	for ref, want := range map[string]bool{
		v12:                 true,
		"!old:example.org":  true,
		"!" + v12[2:]:       false, // 42 characters
		v12[:40] + "+/=x":   false, // not URL-safe base64
		"!" + v12[1:] + "x": false,
	} {
		ch, err := a.ResolveChannel(ctx, "", ref)
		if got := err == nil && ch == channelID(id.RoomID(ref)); got != want {
			t.Errorf("ResolveChannel(%q) = %q, %v; want ok %v", ref, ch, err, want)
		}
	}
}
