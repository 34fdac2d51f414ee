package matrix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// TestRetryBackoff ensures retryBackoff tries until f succeeds, waiting
// longer each time up to the ceiling, gives up with f's last error when
// the next try would pass its patience, and stops when ctx ends.
func TestRetryBackoff(t *testing.T) {
	ms := time.Millisecond
	var waits []time.Duration
	last := time.Now()
	n := 0
	err := retryBackoff(context.Background(), 10*ms, 40*ms, time.Minute, func() error {
		waits = append(waits, time.Since(last))
		last = time.Now()
		if n++; n < 6 {
			return errors.New("refused")
		}
		return nil
	})
	if err != nil || n != 6 {
		t.Fatalf("retryBackoff = %v after %d tries, want nil after 6", err, n)
	}
	for i, want := range []time.Duration{10 * ms, 20 * ms, 40 * ms, 40 * ms, 40 * ms} {
		if got := waits[i+1]; got < want {
			t.Errorf("wait before try %d = %v, want at least %v", i+2, got, want)
		}
	}

	n = 0
	start := time.Now()
	err = retryBackoff(context.Background(), 10*ms, 10*ms, 55*ms, func() error {
		n++
		return fmt.Errorf("refused %d", n)
	})
	if err == nil || err.Error() != fmt.Sprintf("refused %d", n) || time.Since(start) > time.Second {
		t.Errorf("retryBackoff past patience = %v after %d tries, want the last error", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*ms, cancel)
	start = time.Now()
	err = retryBackoff(ctx, 10*ms, time.Hour, time.Hour, func() error { return errors.New("refused") })
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("retryBackoff with ctx ended = %v after %v, want an error at once", err, time.Since(start))
	}
}

// refusingProxy stands in front of the test homeserver and answers 500
// "database is locked" (as Dendrite on SQLite does when overloaded) to the
// first read of a room's pinned events and to every write of them until
// allowed.
type refusingProxy struct {
	*httptest.Server
	readsRefused, writesRefused atomic.Int32
	allow                       atomic.Bool
}

func newRefusingProxy(t *testing.T) *refusingProxy {
	u, err := url.Parse(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := &refusingProxy{}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/state/m.room.pinned_events") {
			refuse := false
			switch r.Method {
			case http.MethodGet:
				refuse = p.readsRefused.CompareAndSwap(0, 1)
			case http.MethodPut:
				if refuse = !p.allow.Load(); refuse {
					p.writesRefused.Add(1)
				}
			}
			if refuse {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"errcode":"M_UNKNOWN","error":"database is locked"}`))
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	// Close waits for the stopped bot's last long-poll (up to 30 s), which
	// the adapter lets finish on purpose (see syncLoop): not the test.
	t.Cleanup(func() { go p.Close() })
	return p
}

// TestPinRetried ensures a pin the homeserver refuses is retried in the
// background until it lands: Deliver answers at once, a failed read of
// the pinned events never unpins what was there, and the pin is made once
// the homeserver accepts it. When the adapter stops, the retries stop.
func TestPinRetried(t *testing.T) {
	proxy := newRefusingProxy(t)
	botAcc := register(t, "peerbot")
	fran := newPerson(t, "fran", false)
	cfg := botConfig(botAcc, false)
	cfg.Homeserver = proxy.URL
	a, err := New(cfg, openDB(t, filepath.Join(t.TempDir(), "bot.db")), testLogger())
	if err != nil {
		t.Fatal(err)
	}
	a.pins.first, a.pins.ceiling = 100*time.Millisecond, 400*time.Millisecond
	// One refused PUT is one attempt of the pin: the transport's own
	// retries (see rateLimitTransport) would hide the pin's.
	a.cli.Client.Transport.(*rateLimitTransport).maxTries = 1
	fc := newFakeCore(nil)
	b := runAdapter(t, a, fc)

	room := fran.createRoom(false, map[id.UserID]int{botAcc.UserID: 50}, botAcc.UserID)
	fran.waitJoined(room, botAcc.UserID)
	earlier := fran.say(room, "pinned before")
	if _, err := fran.cli.SendStateEvent(context.Background(), room, event.StatePinnedEvents, "",
		&event.PinnedEventsEventContent{Pinned: []id.EventID{earlier}}); err != nil {
		t.Fatal(err)
	}
	pinned := func() []id.EventID {
		var c event.PinnedEventsEventContent
		if err := fran.cli.StateEvent(context.Background(), room, event.StatePinnedEvents, "", &c); err != nil {
			return nil
		}
		return c.Pinned
	}

	start := time.Now()
	ref, err := a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Group: groupID(room), Text: bot.T("the agreement"), Pin: true})
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Deliver took %v, want it not to wait for the pin", d)
	}
	_, ev, _ := parseRef(ref)
	waitFor(t, "four refused pins", func() bool { return proxy.writesRefused.Load() >= 4 })
	if proxy.readsRefused.Load() != 1 {
		t.Errorf("refused reads = %d, want 1", proxy.readsRefused.Load())
	}
	if got := pinned(); slices.Contains(got, ev) || !slices.Contains(got, earlier) {
		t.Fatalf("pinned while refused = %v, want only %s", got, earlier)
	}
	proxy.allow.Store(true)
	waitFor(t, "the message pinned", func() bool { return slices.Contains(pinned(), ev) })
	if got := pinned(); !slices.Equal(got, []id.EventID{earlier, ev}) {
		t.Errorf("pinned = %v, want %s then %s", got, earlier, ev)
	}

	// Refused past the bot's patience: it gives up and tells the core,
	// which tells the facilitators.
	proxy.allow.Store(false)
	patience := a.pins.patience
	a.pins.patience = time.Second
	if _, err := a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Group: groupID(room), Text: bot.T("given up"), Pin: true}); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	waitFor(t, "the pin reported as failed", func() bool {
		fc.mu.Lock()
		defer fc.mu.Unlock()
		for _, c := range fc.conditions {
			if c.Kind == bot.CannotPin && c.Group == groupID(room) && c.Need == 0 && c.Err != nil {
				return true
			}
		}
		return false
	})
	a.pins.patience = patience

	// Refused for good: the retries end with the adapter.
	if _, err := a.Deliver(context.Background(), bot.Reply{Visibility: bot.Public, Group: groupID(room), Text: bot.T("again"), Pin: true}); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	before := proxy.writesRefused.Load()
	waitFor(t, "a refused pin", func() bool { return proxy.writesRefused.Load() > before })
	b.stopBot(t)
	stopped := proxy.writesRefused.Load()
	time.Sleep(time.Second)
	if n := proxy.writesRefused.Load(); n != stopped {
		t.Errorf("%d pin attempts after the adapter stopped, want none", n-stopped)
	}
}
