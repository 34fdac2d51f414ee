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
		// The test homeserver's registration is open: the default (its
		// whole server) is refused there (see TestOpenRegistration).
		AllowedInviters: []string{":localhost"},
	}
}

// startBot runs an adapter for cfg on db with core c until the test ends
// or stopBot is called.
func startBot(t testing.TB, cfg Config, db *sql.DB, c bot.Core) *botUnderTest {
	t.Helper()
	a, err := New(cfg, db, testLogger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return runAdapter(t, a, c)
}

// runAdapter runs a with core c and waits until its stores are ready.
func runAdapter(t testing.TB, a *Adapter, c bot.Core) *botUnderTest {
	t.Helper()
	crossSignForTest(t, a)
	a.maxBackoff = 2 * time.Second
	b := &botUnderTest{a: a, acc: account{UserID: a.cli.UserID}, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	started := make(chan struct{})
	a.onStarted = func() { close(started) }
	go func() { b.done <- a.Run(ctx, c) }()
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

// fakeCore is a bot.Core that records events and conditions, parses with
// the real command table, and answers events with a test-chosen function
// (an error from it makes the outcome Failed).
type fakeCore struct {
	mu         sync.Mutex
	events     []bot.Event
	conditions []bot.Condition
	notify     chan struct{}
	answer     func(ctx context.Context, ev bot.Event) error
	table      *bot.Table
}

var _ bot.Core = (*fakeCore)(nil)

func newFakeCore(answer func(ctx context.Context, ev bot.Event) error) *fakeCore {
	return &fakeCore{notify: make(chan struct{}, 1), answer: answer, table: bot.CommandTable()}
}

func (f *fakeCore) Handle(ctx context.Context, ev bot.Event) bot.Outcome {
	f.mu.Lock()
	f.events = append(f.events, ev)
	f.mu.Unlock()
	f.wake()
	if f.answer != nil {
		if err := f.answer(ctx, ev); err != nil {
			return bot.Failed
		}
	}
	return bot.Done
}

func (f *fakeCore) Report(_ context.Context, c bot.Condition) {
	f.mu.Lock()
	f.conditions = append(f.conditions, c)
	f.mu.Unlock()
	f.wake()
}

func (f *fakeCore) wake() {
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

func (f *fakeCore) Commands() *bot.Table                { return f.table }
func (f *fakeCore) Prefix() string                      { return "!" }
func (f *fakeCore) Notice(bot.Notice, string) bot.Text  { return nil }
func (f *fakeCore) Countries(string, int) []bot.Country { return nil }

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
