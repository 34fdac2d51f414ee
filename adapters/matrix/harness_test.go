package matrix

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
)

// botUnderTest is a running Adapter with its account and database.
type botUnderTest struct {
	a      *Adapter
	acc    account
	cancel context.CancelFunc
	done   chan error
	stop   sync.Once
}

// testLogger writes the adapter's logs to stderr when PEERBOT_TEST_LOG is
// set, and nowhere otherwise.
func testLogger() zerolog.Logger {
	if os.Getenv("PEERBOT_TEST_LOG") != "" {
		return zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).With().Timestamp().Logger()
	}
	return zerolog.Nop()
}

// botConfig is a valid config for acc on the test homeserver.
func botConfig(acc account, encrypted bool) Config {
	return Config{
		Homeserver:  hs.URL,
		UserID:      acc.UserID.String(),
		AccessToken: acc.Token,
		DeviceID:    acc.Device.String(),
		Encryption:  &encrypted,
		PickleKey:   "a test pickle key, long enough",
	}
}

// startBot runs an adapter for cfg on db with core c until the test ends
// or stopBot is called.
func startBot(t testing.TB, cfg Config, db *sql.DB, c core) *botUnderTest {
	t.Helper()
	a, err := New(cfg, db, testLogger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return runAdapter(t, a, c)
}

// runAdapter runs a with core c and waits until its stores are ready.
func runAdapter(t testing.TB, a *Adapter, c core) *botUnderTest {
	t.Helper()
	a.maxBackoff = 2 * time.Second
	b := &botUnderTest{a: a, acc: account{UserID: a.cli.UserID}, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	started := make(chan struct{})
	a.onStarted = func() { close(started) }
	go func() { b.done <- a.run(ctx, c) }()
	select {
	case <-started:
	case err := <-b.done:
		t.Fatalf("adapter stopped at start: %v", err)
	case <-time.After(waitLimit):
		t.Fatal("adapter did not start")
	}
	t.Cleanup(func() { b.stopBot(t) })
	return b
}

// stopBot ends Run and checks it returned nil.
func (b *botUnderTest) stopBot(t testing.TB) {
	b.stop.Do(func() {
		b.cancel()
		select {
		case err := <-b.done:
			if err != nil {
				t.Errorf("Run returned %v", err)
			}
		case <-time.After(waitLimit):
			t.Error("Run did not return after cancel")
		}
	})
}

// fakeCore records events and answers them with a test-chosen function.
type fakeCore struct {
	mu     sync.Mutex
	events []bot.Event
	notify chan struct{}
	answer func(ctx context.Context, ev bot.Event) error
}

func newFakeCore(answer func(ctx context.Context, ev bot.Event) error) *fakeCore {
	return &fakeCore{notify: make(chan struct{}, 1), answer: answer}
}

func (f *fakeCore) Handle(ctx context.Context, ev bot.Event) error {
	f.mu.Lock()
	f.events = append(f.events, ev)
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
	if f.answer != nil {
		return f.answer(ctx, ev)
	}
	return nil
}

func (f *fakeCore) Tick(context.Context) error { return nil }
func (f *fakeCore) Prefix() string             { return "!" }
func (f *fakeCore) IsSensitive(c bot.Command) bool {
	return c.Name == "crisis"
}

// waitEvent waits until the core got an event matching ok.
func (f *fakeCore) waitEvent(t *testing.T, what string, ok func(bot.Event) bool) bot.Event {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		f.mu.Lock()
		for _, e := range f.events {
			if ok(e) {
				f.mu.Unlock()
				return e
			}
		}
		f.mu.Unlock()
		select {
		case <-f.notify:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the core never got %s", what)
		}
	}
}

func (f *fakeCore) count(ok func(bot.Event) bool) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, e := range f.events {
		if ok(e) {
			n++
		}
	}
	return n
}
