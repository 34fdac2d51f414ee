package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
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
	var coreStore bot.Store = st
	var more []func(*bot.Options)
	if cfg.HTTP.Listen != "" {
		met := newMetrics(st.Stats)
		coreStore = timedStore{Store: st, h: met.database}
		more = append(more, func(o *bot.Options) { o.Observer = met })
		stopHTTP, err := serveHTTP(cfg.HTTP.Listen, httpHandler(readyChecks(st.DB().PingContext, runners), met.Handler()), log)
		if err != nil {
			return err
		}
		defer stopHTTP()
	}
	// On PostgreSQL several processes (Discord shards) may share the
	// database: each group's timed work is done by the one holding its
	// lease. SQLite allows one process per database (the flock).
	var holds func() bool
	if st.Postgres() {
		holder := leaseHolder()
		more = append(more, func(o *bot.Options) { o.Leases, o.Holder = st, holder })
		log.Info().Str("holder", holder).Msg("Sharing timed work with other processes on this database")
	}
	core, err := newCore(cfg, coreStore, router, bot.SystemClock{}, prefixes, statusDelay, log, more...)
	if err != nil {
		return err
	}
	if st.Postgres() {
		holds = func() bool { return core.Holds(bot.RetentionKey) }
	}
	stop := startRetention(ctx, st, bot.SystemClock{}, cfg.Retention.Days, holds, log)
	defer stop()
	log.Info().Str("database", cfg.dbName()).Msg("Starting")
	return runAll(ctx, core, runners, log)
}

// readyTimeout bounds how long the core's clock waits for the adapters.
var readyTimeout = 2 * time.Minute

// readier is an adapter that says when it can deliver.
type readier interface {
	Ready() <-chan struct{}
}

// startWhenReady starts the core's one loop once every adapter that says
// when it can deliver is ready (or ctx ends): its first tick closes the
// rounds that ran out while peerbot was down, and their summaries must not
// be lost to a platform that is not connected yet. The returned stop ends
// the loop and waits for it.
func startWhenReady(ctx context.Context, core *bot.Bot, runners map[string]runner, stopped <-chan struct{}, log zerolog.Logger) (stop func()) {
	// A platform that cannot connect must not hold up the others' rounds
	// and schedules for ever.
	timeout := time.NewTimer(readyTimeout)
	defer timeout.Stop()
wait:
	for name, r := range runners {
		if rd, ok := r.(readier); ok {
			select {
			case <-rd.Ready():
			case <-timeout.C:
				log.Warn().Str("adapter", name).Dur("waited", readyTimeout).Msg("Adapter not ready yet; starting the core's clock anyway")
				break wait
			case <-ctx.Done():
				return func() {}
			case <-stopped:
				return func() {}
			}
		}
	}
	loop, stopLoop := context.WithCancel(ctx)
	wait := core.Start(loop)
	return func() { stopLoop(); wait() }
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
	stopped := make(chan struct{})
	var once sync.Once
	for name, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer once.Do(func() { close(stopped) })
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
	// The core's clock runs once the adapters can deliver, and ends before
	// they have stopped delivering.
	stopLoop := startWhenReady(ctx, core, runners, stopped, log)
	<-ctx.Done()
	stopLoop()
	wg.Wait()
	return errors.Join(errs...)
}

// leaseHolder names this process in the shared leases: host, process id
// and a random part, so a restarted process with a reused id is another
// holder.
func leaseHolder() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}
