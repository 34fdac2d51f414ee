package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// A retention job that fails at start is logged and retried later; it
// never stops the bot from starting.
func TestRetentionFailureIsNotFatal(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "peerbot.db"), store.WithKey(store.GenerateKey()))
	if err != nil {
		t.Fatal(err)
	}
	st.Close() // every query now fails, as with a broken disk
	var logs bytes.Buffer
	stop := startRetention(ctx, st, bot.SystemClock{}, 30, nil, zerolog.New(&logs))
	stop()
	if !strings.Contains(logs.String(), "Retention job failed") || !strings.Contains(logs.String(), "retry_in") {
		t.Errorf("the failure was not logged with its retry:\n%s", logs.String())
	}
}

// With several processes on one database, only the holder of the
// retention lease runs the job.
func TestRetentionOnlyByItsLeaseHolder(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "peerbot.db"), store.WithKey(store.GenerateKey()))
	if err != nil {
		t.Fatal(err)
	}
	st.Close() // a run would fail and log it: the log tells whether it ran
	for _, holds := range []bool{false, true} {
		var logs bytes.Buffer
		stop := startRetention(ctx, st, bot.SystemClock{}, 30, func() bool { return holds }, zerolog.New(&logs))
		stop()
		if ran := strings.Contains(logs.String(), "Retention job failed"); ran != holds {
			t.Errorf("holding the lease %v: the job ran %v\n%s", holds, ran, logs.String())
		}
	}
}
