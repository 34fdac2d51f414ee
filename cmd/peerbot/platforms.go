package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/adapters/discord"
	"github.com/peerbot/peerbot/adapters/matrix"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// statusDelay is how often, at most, a round's live status message is
// edited on Matrix and Discord: often enough to feel live, rarely enough to
// stay far below the platforms' rate limits however many check in at once.
const statusDelay = 2 * time.Second

// runner is a platform adapter that serves until ctx is done.
type runner interface {
	Run(ctx context.Context, core bot.Core) error
}

// runConfig runs what cfg enables: Matrix and/or Discord in one process,
// sharing one core and one database, or the console when neither is on.
func (m *Main) runConfig(ctx context.Context, cfg *Config) error {
	level, _ := zerolog.ParseLevel(cfg.Log.Level)
	log := m.logger(level)
	if !cfg.Matrix.Enabled() && !cfg.Discord.Enabled() {
		return m.console(ctx, cfg, nil, log)
	}
	st, err := m.openStore(ctx, cfg, false, store.WithLogger(log))
	if err != nil {
		return err
	}
	router := bot.Router{}
	prefixes := map[string]string{}
	runners := map[string]runner{}
	if cfg.Matrix.Enabled() {
		a, err := matrix.New(cfg.Matrix, st.DB(), log.With().Str("adapter", "matrix").Logger())
		if err != nil {
			return err
		}
		router["matrix"], runners["matrix"] = a, a
	}
	if cfg.Discord.Enabled() {
		a, err := discord.New(cfg.Discord, log)
		if err != nil {
			return err
		}
		router["discord"], runners["discord"] = a, a
		prefixes["discord"] = "/" // slash commands
	}
	core, err := newCore(cfg, st, router, bot.SystemClock{}, prefixes, statusDelay, log)
	if err != nil {
		return err
	}
	stop := startRetention(ctx, st, bot.SystemClock{}, cfg.Retention.Days, log)
	defer stop()
	// The core's one loop (rounds that became due while peerbot was down
	// close first) runs before the adapters and ends after them.
	loop, stopLoop := context.WithCancel(ctx)
	wait := core.Start(loop)
	defer func() { stopLoop(); wait() }()
	log.Info().Str("database", cfg.Database.Path).Msg("Starting")
	return runAll(ctx, core, runners, log)
}

// runAll runs every adapter until ctx is done. When one stops with an
// error, the others are stopped too and its error is returned.
func runAll(ctx context.Context, core *bot.Bot, runners map[string]runner, log zerolog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for name, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := r.Run(ctx, core)
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
				log.Error().Err(err).Str("adapter", name).Msg("Adapter stopped")
			}
			cancel() // one stopping stops the others
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
