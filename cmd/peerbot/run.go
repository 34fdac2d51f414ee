package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/adapters/console"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

const consoleUsage = `peerbot console runs one group in this terminal. Type lines such as
  alice: !checkin green       alice says this in the group
  /dm alice !crisis           alice writes to the bot privately
  /join bob, /facilitator alice, /clock +30m, /help
When the input is not a terminal, only the bot's output is printed, so
meetings can be scripted. The README describes every input line.

Usage:
  peerbot console [-db FILE] [-facilitators a,b] [-config FILE]
`

// runConsole runs the console adapter: with the defaults when args is nil
// (peerbot with no arguments), else as the console command's flags say.
func (m *Main) runConsole(ctx context.Context, args []string) error {
	fs := m.flags("console", consoleUsage)
	db := fs.String("db", "", "the SQLite database file (default "+DefaultDatabasePath+", or database.path from -config)")
	facs := fs.String("facilitators", "", "comma-separated names of the members who are facilitators this session")
	configPath := fs.String("config", "", "a config file for the database, prefix, defaults and crisis lines (matrix and discord are ignored)")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("console takes no arguments, got %q", fs.Arg(0))}
	}
	cfg, level := m.defaultConfig(), zerolog.WarnLevel
	if *configPath != "" {
		var err error
		if cfg, err = LoadConfig(*configPath, m.Getenv); err != nil {
			return err
		}
		level, _ = zerolog.ParseLevel(cfg.Log.Level)
	}
	if *db != "" {
		cfg.setDB(*db)
	}
	var names []string
	for _, n := range strings.Split(*facs, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return m.console(ctx, cfg, names, m.logger(level))
}

// console runs the console adapter on cfg's database until its input ends
// or ctx is cancelled.
func (m *Main) console(ctx context.Context, cfg *Config, facilitators []string, log zerolog.Logger) error {
	log = log.With().Str("adapter", "console").Logger()
	st, err := m.openStore(ctx, cfg, false, store.WithLogger(log))
	if err != nil {
		return err
	}
	con := console.New(console.Options{
		Facilitators: facilitators,
		Interactive:  m.Terminal,
		RealTime:     m.Terminal,
		Errors:       m.Stderr,
		Out:          m.Stdout,
	})
	core, err := newCore(cfg, st, bot.Router{"console": con}, con.Clock(), nil, 0, log)
	if err != nil {
		return err
	}
	stop := startRetention(ctx, st, con.Clock(), cfg.Retention.Days, nil, log)
	defer stop()
	// Start closes (and prints) the rounds that became due while peerbot
	// was not running before the console reads its first line, then runs
	// the core's loop (every second, and at once when /clock moves the
	// clock) until the console is done.
	loop, stopLoop := context.WithCancel(ctx)
	wait := core.Start(loop)
	defer func() { stopLoop(); wait() }()
	log.Info().Str("database", cfg.dbName()).Msg("Console started")
	return con.Run(ctx, core, m.Stdin)
}

// defaultConfig is the configuration without a file: the defaults, and the
// secret key from PEERBOT_SECRET_KEY if it is set.
func (m *Main) defaultConfig() *Config {
	c := DefaultConfig()
	c.Database.SecretKey = m.Getenv("PEERBOT_SECRET_KEY")
	c.Database.URL = m.Getenv("PEERBOT_DATABASE_URL")
	return c
}

// newCore builds the core on cfg's settings.
// statusDelay, when not 0, debounces live status edits (Matrix, Discord).
// obs, when given, is told what the core handles (metrics).
// more sets further options (the metrics observer, shared leases).
func newCore(cfg *Config, st bot.Store, p bot.Platform, clock bot.Clock, prefixes map[string]string, statusDelay time.Duration, log zerolog.Logger, more ...func(*bot.Options)) (*bot.Bot, error) {
	dir, err := cfg.Directory()
	if err != nil {
		return nil, err
	}
	o := bot.Options{
		Store:           st,
		Platform:        p,
		Clock:           clock,
		Prefix:          cfg.CommandPrefix,
		Prefixes:        prefixes,
		DefaultCountry:  cfg.Defaults.Country,
		DefaultTimezone: cfg.Defaults.Timezone,
		DefaultLanguage: cfg.Defaults.Language,
		Crisis:          dir,
		StatusDelay:     statusDelay,
		Log:             &log,
	}
	for _, f := range more {
		f(&o)
	}
	core, err := bot.New(o)
	if err != nil {
		return nil, fmt.Errorf("start core: %w", err)
	}
	return core, nil
}

// logger returns the logger on Stderr: human-readable on a terminal, JSON
// lines otherwise.
func (m *Main) logger(level zerolog.Level) zerolog.Logger {
	var w io.Writer = m.Stderr
	if m.StderrTerminal {
		w = zerolog.ConsoleWriter{Out: m.Stderr, TimeFormat: time.TimeOnly}
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger()
}

const checkConfigUsage = `peerbot check-config reads a config file, applies the environment's
PEERBOT_... secrets and the defaults, and lists every problem, each naming
its key. It exits 0 when the file is fine and 1 otherwise.

Usage:
  peerbot check-config -config FILE
`

// runCheckConfig validates a config file and prints the verdict.
func (m *Main) runCheckConfig(args []string) error {
	fs := m.flags("check-config", checkConfigUsage)
	path := fs.String("config", "", "the config file to check")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if *path == "" && fs.NArg() == 1 {
		*path = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return &usageError{"check-config takes one file: check-config -config FILE"}
	}
	if *path == "" {
		return &usageError{"check-config needs a file: check-config -config FILE"}
	}
	cfg, err := LoadConfig(*path, m.Getenv)
	if err != nil {
		fmt.Fprintln(m.Stderr, err)
		return &reportedError{err}
	}
	var runs []string
	if cfg.Matrix.Enabled() {
		runs = append(runs, "matrix")
	}
	if cfg.Discord.Enabled() {
		runs = append(runs, "discord")
	}
	if len(runs) == 0 {
		runs = append(runs, "console")
	}
	_, err = fmt.Fprintf(m.Stdout, "config %s: OK (runs %s, database %s)\n", *path, strings.Join(runs, " and "), cfg.dbName())
	return err
}

const backupUsage = `peerbot backup writes a consistent copy of the database to OUT, also
while peerbot is running. OUT must not exist yet.

Usage:
  peerbot backup [-config FILE | -db FILE] OUT
`

// runBackup copies the database with the store's online backup.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.flags("backup", backupUsage)
	db := fs.String("db", "", "the database to copy (default "+DefaultDatabasePath+", or database.path from -config)")
	configPath := fs.String("config", "", "the config file naming the database")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"backup needs one output file: backup [-config FILE | -db FILE] OUT"}
	}
	cfg := m.defaultConfig()
	if *configPath != "" {
		var err error
		if cfg, err = LoadConfig(*configPath, m.Getenv); err != nil {
			return err
		}
	}
	if *db != "" {
		cfg.setDB(*db)
	}
	if cfg.postgres() {
		return errPostgresBackup("backup")
	}
	st, err := m.openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	if err := st.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	msg := fmt.Sprintf("backup of %s written to %s\n", cfg.Database.Path, fs.Arg(0))
	if cfg.Database.SecretKey == "" {
		msg += "Check-ins and names in it are encrypted with the key in " + cfg.keyFile() + ": keep a copy of that file with the backup.\n"
	}
	_, err = io.WriteString(m.Stdout, msg)
	return err
}

// errPostgresBackup is backup's and restore's answer on PostgreSQL.
func errPostgresBackup(cmd string) error {
	return fmt.Errorf("%s works on a SQLite database file; this database is PostgreSQL (database.url): "+
		"back it up with pg_dump -Fc and restore it with pg_restore, and keep the secret key with the dump", cmd)
}
