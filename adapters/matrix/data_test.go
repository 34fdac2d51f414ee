package matrix

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// fakeHomeserver answers what ForgetMember asks of the homeserver (leaving
// a room, m.direct) and records it.
type fakeHomeserver struct {
	mu     sync.Mutex
	left   []id.RoomID
	direct map[id.UserID][]id.RoomID
}

func (f *fakeHomeserver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path, _ := url.PathUnescape(r.URL.EscapedPath())
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/leave"):
		room := strings.TrimSuffix(path[strings.Index(path, "/rooms/")+len("/rooms/"):], "/leave")
		f.left = append(f.left, id.RoomID(room))
		_, _ = io.WriteString(w, `{}`)
	case strings.HasSuffix(path, "/account_data/m.direct") && r.Method == http.MethodGet:
		_ = json.NewEncoder(w).Encode(f.direct)
	case strings.HasSuffix(path, "/account_data/m.direct") && r.Method == http.MethodPut:
		f.direct = nil
		_ = json.NewDecoder(r.Body).Decode(&f.direct)
		_, _ = io.WriteString(w, `{}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"errcode":"M_UNRECOGNIZED"}`)
	}
}

// dataAdapter is an Adapter on a fresh SQLite file whose homeserver is hs,
// with its tables migrated; it is not Run.
func dataAdapter(t *testing.T, hs *fakeHomeserver) *Adapter {
	t.Helper()
	srv := httptest.NewServer(hs)
	t.Cleanup(srv.Close)
	off := false
	a, err := New(Config{Homeserver: srv.URL, UserID: "@bot:x", AccessToken: "token", Encryption: &off},
		openDB(t, filepath.Join(t.TempDir(), "data.db")), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.t.migrate(context.Background(), zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestMemberData ensures !mydata lists a member's DM room and the count of
// notes sent to them once, and !forgetme deletes exactly those: another
// member whose id starts the same (@alice:x for @al:x), lives on a server
// whose name does (@al:x.org) or has a port (@al:x:8448) keeps theirs, and
// so does a room's note. The bot leaves the forgotten DM room and drops it
// from m.direct, and that room is no longer taken for a DM or a group.
func TestMemberData(t *testing.T) {
	ctx := context.Background()
	hs := &fakeHomeserver{direct: map[id.UserID][]id.RoomID{"@al:x": {"!dm1:x"}, "@alice:x": {"!dm2:x"}}}
	a := dataAdapter(t, hs)
	for user, room := range map[id.UserID]id.RoomID{"@al:x": "!dm1:x", "@alice:x": "!dm2:x", "@al:x.org": "!dm3:x"} {
		if err := a.t.setDM(ctx, user, room); err != nil {
			t.Fatal(err)
		}
		if err := a.t.setJoined(ctx, room, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	for _, key := range []string{
		undecryptableKey("@al:x", "s1"), undecryptableKey("@al:x", "s2"),
		undecryptableKey("@alice:x", "s3"), undecryptableKey("@al:x.org", "s4"),
		undecryptableKey("@al:x:8448", "s5"), "redact-power:!group:x",
		// A session id is the sender's to choose: this one must not pass
		// for a note to @al:x:8448.
		undecryptableKey("@al:x", "8448:s6"),
	} {
		if _, err := a.t.once(ctx, key); err != nil {
			t.Fatal(err)
		}
	}
	data := func(user id.UserID) []bot.DataItem {
		t.Helper()
		items, err := a.MemberData(ctx, memberID(user))
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	want := map[id.UserID][]bot.DataItem{
		"@al:x":      {{Kind: bot.DataDirectChat, Value: "!dm1:x"}, {Kind: bot.DataOnceNotes, Value: "3"}},
		"@alice:x":   {{Kind: bot.DataDirectChat, Value: "!dm2:x"}, {Kind: bot.DataOnceNotes, Value: "1"}},
		"@al:x.org":  {{Kind: bot.DataDirectChat, Value: "!dm3:x"}, {Kind: bot.DataOnceNotes, Value: "1"}},
		"@al:x:8448": {{Kind: bot.DataOnceNotes, Value: "1"}},
		"@nobody:x":  nil,
	}
	for user, w := range want {
		if got := data(user); !reflect.DeepEqual(got, w) {
			t.Errorf("MemberData(%s) = %v, want %v", user, got, w)
		}
	}

	if err := a.ForgetMember(ctx, memberID("@al:x")); err != nil {
		t.Fatal(err)
	}
	want["@al:x"] = nil
	for user, w := range want {
		if got := data(user); !reflect.DeepEqual(got, w) {
			t.Errorf("after forgetting @al:x, MemberData(%s) = %v, want %v", user, got, w)
		}
	}
	if first, err := a.t.once(ctx, "redact-power:!group:x"); err != nil || first {
		t.Errorf("the room's note was forgotten too (once = %v, %v)", first, err)
	}
	if u, err := a.t.dmMember(ctx, "!dm1:x"); err != nil || u != "" {
		t.Errorf("the forgotten DM room is still @al:x's: %q, %v", u, err)
	}
	if j, err := a.t.joined(ctx, "!dm1:x"); err != nil || !j.IsZero() {
		t.Errorf("the forgotten DM room still has a join time (%v, %v): it would be taken for a group", j, err)
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if !reflect.DeepEqual(hs.left, []id.RoomID{"!dm1:x"}) {
		t.Errorf("left rooms %v, want the forgotten DM room", hs.left)
	}
	if w := map[id.UserID][]id.RoomID{"@alice:x": {"!dm2:x"}}; !reflect.DeepEqual(hs.direct, w) {
		t.Errorf("m.direct = %v, want %v", hs.direct, w)
	}
}

// TestForgetMemberWithoutDM ensures forgetting a member the adapter never
// opened a DM room with deletes their notes and asks nothing of the
// homeserver.
func TestForgetMemberWithoutDM(t *testing.T) {
	ctx := context.Background()
	hs := &fakeHomeserver{}
	a := dataAdapter(t, hs)
	if _, err := a.t.once(ctx, undecryptableKey("@bo:x", "s1")); err != nil {
		t.Fatal(err)
	}
	if err := a.ForgetMember(ctx, memberID("@bo:x")); err != nil {
		t.Fatal(err)
	}
	if items, err := a.MemberData(ctx, memberID("@bo:x")); err != nil || items != nil {
		t.Errorf("MemberData after forgetting = %v, %v; want nothing", items, err)
	}
	if len(hs.left) != 0 || hs.direct != nil {
		t.Errorf("the homeserver was asked to leave %v / set m.direct %v", hs.left, hs.direct)
	}
}
