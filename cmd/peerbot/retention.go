package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// retentionEvery is how often the retention job runs after the start.
const retentionEvery = 24 * time.Hour

// purgeOld deletes what members wrote more than retention.days ago by the
// core's clock (see store.PurgeWords), and logs how much, never what; it
// also forgets handled event ids that old.
func purgeOld(ctx context.Context, st *store.Store, clock bot.Clock, days int, log zerolog.Logger) error {
	before := clock.Now().Add(-time.Duration(days) * 24 * time.Hour)
	n, err := st.PurgeWords(ctx, before)
	if err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	if n > 0 {
		log.Info().Int64("check_ins", n).Int("retention_days", days).Msg("Deleted members' words past the retention period")
	}
	// Event ids are remembered to ignore redeliveries, which come within
	// minutes or hours: older ones only take space.
	if _, err := st.PruneHandled(ctx, before); err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	return nil
}

// retentionRetry is how soon a failed run is tried again.
const retentionRetry = 10 * time.Minute

// startRetention runs the retention job once now and then daily until the
// returned stop is called, which waits for a run in progress to finish. A
// failing run is logged and tried again after retentionRetry: it never
// stops the bot from starting, because members in distress must still be
// answered when the database is struggling. With several processes on one
// database, holds says whether this one holds the job's lease
// (bot.RetentionKey); the others look again every retentionRetry, so one
// takes over when the holder stops. nil: always this process.
func startRetention(ctx context.Context, st *store.Store, clock bot.Clock, days int, holds func() bool, log zerolog.Logger) (stop func()) {
	run := func() time.Duration {
		if holds != nil && !holds() {
			return retentionRetry
		}
		if err := purgeOld(ctx, st, clock, days, log); err != nil && ctx.Err() == nil {
			log.Error().Err(err).Dur("retry_in", retentionRetry).Msg("Retention job failed")
			return retentionRetry
		}
		return retentionEvery
	}
	next := run()
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTimer(next)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				t.Reset(run())
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}
