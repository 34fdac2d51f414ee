package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/mattn/go-isatty"

	"github.com/peerbot/peerbot/store"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// Main is the peerbot program: what main runs, and what end-to-end tests
// drive with their own input, output, environment and working directory.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Terminal says a person is typing on Stdin: the console then shows a
	// welcome and follows real time. StderrTerminal selects human-readable
	// logs instead of JSON lines.
	Terminal, StderrTerminal bool

	mu     sync.Mutex
	stores []*store.Store
	locks  []func() error // database locks, released by Close
}

// NewMain returns a Main on the process's standard streams and environment.
func NewMain() *Main {
	return &Main{
		Stdin:          os.Stdin,
		Stdout:         os.Stdout,
		Stderr:         os.Stderr,
		Getenv:         os.Getenv,
		Terminal:       isTerminal(os.Stdin),
		StderrTerminal: isTerminal(os.Stderr),
	}
}

// isTerminal reports whether f is a terminal (not a pipe, a file or
// /dev/null).
func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// reportedError is an error whose details were already printed (check-config).
type reportedError struct{ err error }

func (e *reportedError) Error() string { return e.err.Error() }
func (e *reportedError) Unwrap() error { return e.err }

const usageText = `peerbot holds the structure of online peer-support groups: the group
agreement, check-in rounds, and crisis lines. It runs on Matrix, on Discord,
or here in the terminal.

Usage:
  peerbot                               the console, with ./peerbot.db
  peerbot console [-db FILE] [-facilitators a,b] [-config FILE]
  peerbot -config FILE                  run what the config file enables
  peerbot check-config -config FILE     list every problem in a config file
  peerbot backup [-config FILE | -db FILE] OUT
                                        write a consistent copy of the database
  peerbot change-key [-config FILE | -db FILE]
                                        re-encrypt check-ins and names with a new key
  peerbot reset-lost-key -confirm [-config FILE | -db FILE]
                                        lost the key: delete what it encrypted, set a new key
  peerbot restore [-config FILE | -db FILE] BACKUP
                                        put a backup in place of the database (stop peerbot first)
  peerbot migrate-store -from sqlite:FILE -to postgres://…
                                        copy a SQLite database into a new PostgreSQL one
  peerbot crisis-lines [-config FILE] [COUNTRY]
                                        the crisis lines members see, with sources and dates
  peerbot matrix-setup [-config FILE] [-replace]
                                        once: cross-sign the bot's Matrix device, print its recovery key
  peerbot healthcheck [-url URL]        exit 0 if a running peerbot's /healthz or /readyz says so
  peerbot version

"peerbot COMMAND -h" shows a command's options. config.example.yaml
documents every setting; the README explains the console's input lines and
every bot command.
`

// Run runs the command in args (without the program name) until it is done
// or ctx is cancelled. A cancelled ctx is a clean shutdown: the event being
// handled is finished and Run returns nil. Call Close afterwards.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return m.runConsole(ctx, nil)
	}
	switch args[0] {
	case "console":
		return m.runConsole(ctx, args[1:])
	case "check-config":
		return m.runCheckConfig(args[1:])
	case "backup":
		return m.runBackup(ctx, args[1:])
	case "change-key":
		return m.runChangeKey(ctx, args[1:])
	case "reset-lost-key":
		return m.runResetLostKey(ctx, args[1:])
	case "restore":
		return m.runRestore(ctx, args[1:])
	case "migrate-store":
		return m.runMigrateStore(ctx, args[1:])
	case "crisis-lines":
		return m.runCrisisLines(args[1:])
	case "matrix-setup":
		return m.runMatrixSetup(ctx, args[1:])
	case "healthcheck":
		return m.runHealthcheck(ctx, args[1:])
	case "version":
		if len(args) > 1 {
			return &usageError{"version takes no arguments"}
		}
		_, err := fmt.Fprintln(m.Stdout, versionText())
		return err
	case "help":
		_, err := io.WriteString(m.Stdout, usageText)
		return err
	}
	if !strings.HasPrefix(args[0], "-") {
		return &usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	fs := m.flags("", usageText)
	configPath := fs.String("config", "", "the config file (see config.example.yaml)")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if *configPath == "" {
		return m.runConsole(ctx, nil)
	}
	cfg, err := LoadConfig(*configPath, m.Getenv)
	if err != nil {
		return err
	}
	return m.runConfig(ctx, cfg)
}

// Close closes the databases Run opened and releases their locks. It is safe to call more than once.
func (m *Main) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var errs []error
	for _, s := range m.stores {
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	m.stores = nil
	for _, release := range m.locks {
		if err := release(); err != nil {
			errs = append(errs, err)
		}
	}
	m.locks = nil
	return errors.Join(errs...)
}

// Exit prints err (if any, and not printed already) on Stderr and returns
// the exit status: 0 for success or -h, 2 for a command-line mistake, 1 for
// anything else.
func (m *Main) Exit(err error) int {
	var ue *usageError
	var re *reportedError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "peerbot: %s\nRun 'peerbot -h' for help.\n", ue.msg)
		return 2
	case errors.As(err, &re):
		return 1
	}
	fmt.Fprintf(m.Stderr, "peerbot: %v\n", err)
	return 1
}

// flags returns a flag set that prints nothing by itself: -h prints usage on
// Stdout, other mistakes become a usageError.
func (m *Main) flags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("peerbot "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprint(m.Stdout, usage)
		if name != "" {
			fmt.Fprintln(m.Stdout, "\nOptions:")
			fs.SetOutput(m.Stdout)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
	}
	return fs
}

// parse parses args into fs, turning mistakes into a usageError.
func (m *Main) parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return err
	case err != nil:
		return &usageError{err.Error()}
	}
	return nil
}

// versionText is "peerbot VERSION (GO, REVISION)".
func versionText() string {
	s := "peerbot " + version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return s
	}
	extra := []string{info.GoVersion}
	for _, kv := range info.Settings {
		if kv.Key == "vcs.revision" && len(kv.Value) >= 12 {
			extra = append(extra, "revision "+kv.Value[:12])
		}
		if kv.Key == "vcs.modified" && kv.Value == "true" {
			extra = append(extra, "modified")
		}
	}
	return s + " (" + strings.Join(extra, ", ") + ")"
}
