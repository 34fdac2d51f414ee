// Package store implements bot.Store on one SQLite file, through the pure-Go
// modernc.org/sqlite driver (no cgo), or on a PostgreSQL database through
// pgx (see OpenURL and dialect.go).
//
// The schema lives in migrations/NNN_*.sql, applied in order by Open, each
// in its own transaction; the version is kept in the peerbot_schema table.
// Times are stored as UTC unix milliseconds, the zero time as NULL. A
// member's check-in words are kept only in check_ins.words (NULL when
// empty), encrypted with the secret key given to Open (see crypt.go), and
// PurgeWords deletes them by age (see retention.go). Check-in colours and
// flags, display names, members' countries and support times, and purged
// rounds' counts are encrypted the same way (see sealed.go); files are
// created with mode 0600 (see files.go). The Matrix adapter may
// keep mautrix's crypto and state tables in the same file through DB().
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rs/zerolog"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/peerbot/peerbot/bot"
)

var _ bot.Store = (*Store)(nil)

// Store is a bot.Store backed by SQLite. The Store returned by Open owns the
// database; the Stores passed to InTx's function are bound to one
// transaction. All methods are safe for concurrent use.
type Store struct {
	db    *sql.DB
	q     querier // db, or tx inside InTx
	tx    *sql.Tx // nil outside InTx
	box   *sealer // encrypts check-in words
	stmts *stmts  // prepared statements, shared with transactions
	log   zerolog.Logger
	// dialect is DialectSQLite or DialectPostgres.
	dialect string
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// defaultBusyTimeout is how long a statement waits for another process's
// write lock unless WithBusyTimeout says otherwise.
const defaultBusyTimeout = 5 * time.Second

// Option configures Open.
type Option func(*options)

type options struct {
	log         zerolog.Logger
	busyTimeout time.Duration
	key         []byte
}

// WithLogger makes the Store log what it does to the schema (migrations
// applied). It never logs stored content.
func WithLogger(l zerolog.Logger) Option { return func(o *options) { o.log = l } }

// WithBusyTimeout sets how long a statement waits for another process's
// write lock before failing with SQLITE_BUSY (default 5s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// Open opens (creating if needed) the SQLite database at path, migrates
// its schema to the newest version this build knows and checks the secret
// key. It requires WithKey: without it, it fails with an error saying so.
// It fails with an error wrapping ErrWrongKey when the database was first
// opened with another key, and when the file was migrated by a newer build.
// Close the Store when done.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{log: zerolog.Nop(), busyTimeout: defaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open store: invalid database path %q", path)
	}
	if o.key == nil {
		return nil, fmt.Errorf("open store %s: no secret key (check-in words are always encrypted; pass store.WithKey)", path)
	}
	box, err := newSealer(o.key)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	s, err := openDB(ctx, path, o)
	if err != nil {
		return nil, err
	}
	s.box = box
	if err := s.migrate(ctx, migrations); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := s.unlock(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// IsPostgresURL reports whether dbURL names a PostgreSQL database
// (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgresURL(dbURL string) bool {
	return strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://")
}

// OpenURL opens the database dbURL names: a PostgreSQL database for
// postgres://… or postgresql://… (see OpenPostgres), otherwise a SQLite file,
// given as "sqlite:PATH" or as a plain path (see Open).
func OpenURL(ctx context.Context, dbURL string, opts ...Option) (*Store, error) {
	if IsPostgresURL(dbURL) {
		return OpenPostgres(ctx, dbURL, opts...)
	}
	return Open(ctx, strings.TrimPrefix(dbURL, "sqlite:"), opts...)
}

// RedactURL returns dbURL with any password replaced by "xxxxx", for logs
// and error messages.
func RedactURL(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "(unparsable database URL)"
	}
	return u.Redacted()
}

// OpenPostgres opens the PostgreSQL database at dbURL (postgres://…), as
// Open does a SQLite file: it migrates the schema and checks the key
// (WithKey is required). WithBusyTimeout does not apply.
func OpenPostgres(ctx context.Context, dbURL string, opts ...Option) (*Store, error) {
	o := options{log: zerolog.Nop(), busyTimeout: defaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	name := RedactURL(dbURL)
	if o.key == nil {
		return nil, fmt.Errorf("open store %s: no secret key (check-in words are always encrypted; pass store.WithKey)", name)
	}
	box, err := newSealer(o.key)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	s, err := openPostgresDB(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	s.log = o.log
	s.box = box
	if err := s.migrate(ctx, migrations); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	if err := s.unlock(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	return s, nil
}

// openPostgresDB connects without touching the schema.
func openPostgresDB(ctx context.Context, dbURL string) (*Store, error) {
	name := RedactURL(dbURL)
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, fmt.Errorf("open store %s: invalid PostgreSQL URL", name)
	}
	db := sql.OpenDB(newPGConnector(cfg))
	// Several connections: PostgreSQL runs transactions side by side, and
	// InTx serialises the ones that need it (see InTx).
	db.SetMaxOpenConns(pgMaxConns)
	db.SetMaxIdleConns(pgMaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	// No statement cache of our own: pgx prepares and caches statements
	// per connection itself.
	return &Store{db: db, q: db, log: zerolog.Nop(), dialect: DialectPostgres}, nil
}

// pgMaxConns bounds the connections one process opens to PostgreSQL.
const pgMaxConns = 10

// pgTxLock is the key of the PostgreSQL advisory lock every InTx
// transaction takes: the same one in every peerbot process on the database.
const pgTxLock = 0x7065657262 // "peerb"

// openDB opens the database file with peerbot's settings, without touching
// its schema.
func openDB(ctx context.Context, path string, o options) (*Store, error) {
	// Before SQLite opens the file: it creates -wal and -shm with the
	// database file's mode (see files.go).
	if err := tightenModes(path, o.log); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if _, err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(path, o.busyTimeout))
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// One connection. SQLite allows one writer at a time; with a single
	// connection writes queue in database/sql's pool (cheap, fair, and never
	// SQLITE_BUSY within this process) instead of in SQLite's busy handler,
	// which sleeps and retries. Reads are short, so giving up WAL's
	// concurrent readers costs little at peerbot's scale. mautrix's dbutil,
	// which shares this *sql.DB for the Matrix crypto store, is written to
	// work on one connection too (it keeps the transaction in the context).
	// The cost: code running inside InTx's function must use the Store it
	// was given; a call on the root Store would wait for the connection its
	// own transaction holds.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &Store{db: db, q: db, stmts: &stmts{db: db}, log: o.log, dialect: DialectSQLite}, nil
}

// dsn builds the modernc DSN. Without a "file:" prefix the driver strips the
// query and opens the path as a plain file name.
func dsn(path string, busy time.Duration) string {
	return path +
		// Wait for another process's lock instead of failing at once.
		fmt.Sprintf("?_pragma=busy_timeout(%d)", busy.Milliseconds()) +
		// WAL: readers never block the writer, and commits are one append.
		"&_pragma=journal_mode(WAL)" +
		// Enforce REFERENCES (check-ins belong to rounds). Per connection.
		"&_pragma=foreign_keys(1)" +
		// Overwrite deleted content with zeros, so that words removed by
		// retention or !forgetme (and plain text replaced by migration 002)
		// do not linger in free pages of the file.
		"&_pragma=secure_delete(1)" +
		// synchronous stays FULL (the default): a nil return means the
		// change survives a power cut, as bot.Store promises.
		//
		// BEGIN IMMEDIATE: a transaction takes the write lock up front, so
		// it can never fail half-way with SQLITE_BUSY when upgrading a read
		// lock to a write lock (which the busy handler cannot retry).
		"&_txlock=immediate"
}

// Close closes the database. Only the Store returned by Open may be closed.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("close store: cannot close a transaction's store")
	}
	s.stmts.close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// DB returns the underlying database, for other tables kept in the same file
// (the Matrix crypto and state stores; open them with Dialect()). On SQLite
// its pool has one connection: do not hold a transaction on it while calling
// the Store.
func (s *Store) DB() *sql.DB { return s.db }

// InTx runs fn with a Store bound to one transaction: its writes all commit
// when fn returns nil and none do otherwise (also when fn panics). Called on a
// Store that is already bound to a transaction, it runs fn in that same
// transaction. The database has one connection, which the transaction
// holds: calls on the root Store wait until it ends, so fn must use the
// Store it is given and must not wait for a goroutine that uses the root.
//
// On PostgreSQL the transaction first takes an advisory lock shared by every
// peerbot process on the database, held until it ends: transactions run one
// at a time, as with SQLite's write lock (BEGIN IMMEDIATE), so the
// read-then-write steps inside them (the next agreement version, a round
// closed once, a schedule occurrence claimed once) keep their guarantees
// across processes without retries. Statements outside InTx run side by side.
func (s *Store) InTx(ctx context.Context, fn func(bot.Store) error) (err error) {
	if s.tx != nil {
		return fn(s)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	ts := &Store{db: s.db, q: tx, tx: tx, box: s.box, stmts: s.stmts, log: s.log, dialect: s.dialect}
	if s.stmts != nil {
		defer s.stmts.prepareLater(ctx)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	if s.dialect == DialectPostgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgTxLock)); err != nil {
			return fmt.Errorf("begin transaction: %w", err)
		}
	}
	if err := fn(ts); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	committed = true
	return nil
}

// translate maps driver errors to the domain errors of package bot, keeping
// the driver error in the chain. It decides by result code, not by message.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return bot.ErrNotFound
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", bot.ErrAlreadyExists, err)
		case "23503": // foreign_key_violation
			return fmt.Errorf("%w: %w", bot.ErrNotFound, err)
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", bot.ErrAlreadyExists, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			// Only check-ins reference another row (their round).
			return fmt.Errorf("%w: %w", bot.ErrNotFound, err)
		}
	}
	return err
}

// millis stores t as UTC unix milliseconds; the zero time is NULL.
func millis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromMillis is the inverse of millis: NULL is the zero time.
func fromMillis(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// stored returns t as it will read back from the store.
func stored(t time.Time) time.Time { return fromMillis(millis(t)) }

// checkpoint empties SQLite's write-ahead log into the database file, so
// that overwritten plain text does not linger in it. PostgreSQL has no such
// file of ours to empty: nothing to do there.
func (s *Store) checkpoint(ctx context.Context) error {
	if s.dialect == DialectPostgres {
		return nil
	}
	_, err := s.exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}
