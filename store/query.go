package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmts caches prepared statements by their SQL text. Preparing costs about
// a third of a small write's CPU time in modernc's SQLite, and peerbot runs
// the same few dozen statements over and over. The cache is shared by the
// root Store and its transactions; a transaction uses a statement through
// Tx.StmtContext, which reuses the preparation on its (single) connection.
type stmts struct {
	mu    sync.Mutex
	db    *sql.DB
	m     map[string]*sql.Stmt
	later map[string]bool // first seen inside a transaction
}

// get returns the prepared statement for query, preparing it once.
func (c *stmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok { // prepared meanwhile by another goroutine
		st.Close()
		return old, nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

// prepareLater prepares the statements first seen inside a transaction.
// It runs after the transaction ended, when the connection is free.
func (c *stmts) prepareLater(ctx context.Context) {
	c.mu.Lock()
	later := c.later
	c.later = nil
	c.mu.Unlock()
	for q := range later {
		_, _ = c.get(ctx, q) // an error shows when the statement runs unprepared
	}
}

// close closes every cached statement.
func (c *stmts) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// stmt returns query's prepared statement, bound to s's transaction if any.
// Inside a transaction the statement must be prepared first on the root
// database, which waits for the one connection the transaction holds; so a
// statement not yet in the cache runs unprepared there instead.
func (s *Store) stmt(ctx context.Context, query string) *sql.Stmt {
	if s.stmts == nil {
		return nil
	}
	if s.tx != nil {
		s.stmts.mu.Lock()
		st := s.stmts.m[query]
		s.stmts.mu.Unlock()
		if st == nil {
			s.pending(query)
			return nil
		}
		return s.tx.StmtContext(ctx, st)
	}
	st, err := s.stmts.get(ctx, query)
	if err != nil {
		return nil // the statement's own error shows when it runs unprepared
	}
	return st
}

// pending remembers a statement first seen inside a transaction, to be
// prepared once the transaction has ended.
func (s *Store) pending(query string) {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if s.stmts.later == nil {
		s.stmts.later = map[string]bool{}
	}
	s.stmts.later[query] = true
}

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = s.sql(query), s.pgArgs(args)
	if st := s.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return s.q.ExecContext(ctx, query, args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = s.sql(query), s.pgArgs(args)
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.q.QueryContext(ctx, query, args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = s.sql(query), s.pgArgs(args)
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.q.QueryRowContext(ctx, query, args...)
}

// pgArgs converts, for PostgreSQL, the Go values SQLite's driver stores as
// integers (bools, kept in INTEGER columns as 0 and 1) into int64.
func (s *Store) pgArgs(args []any) []any {
	if s.dialect != DialectPostgres {
		return args
	}
	copied := false
	for i, a := range args {
		if b, ok := a.(bool); ok {
			if !copied { // never change the caller's slice
				args, copied = append([]any(nil), args...), true
			}
			args[i] = int64(0)
			if b {
				args[i] = int64(1)
			}
		}
	}
	return args
}

// savepoint runs fn, on PostgreSQL inside a transaction, within a savepoint
// that is rolled back when fn fails. A failed statement aborts a whole
// PostgreSQL transaction, but not a SQLite one; with the savepoint the
// transaction carries on after a statement whose failure is a documented
// answer (a claimed schedule occurrence, a channel's second open round, a
// check-in for a round that is gone), as on SQLite. The other writes cannot
// fail that way (ON CONFLICT … DO NOTHING / DO UPDATE, no references) or
// end the transaction when they fail, so they go without (a savepoint is
// two more round trips).
func (s *Store) savepoint(ctx context.Context, fn func() error) error {
	if s.tx == nil || s.dialect != DialectPostgres {
		return fn()
	}
	if _, err := s.q.ExecContext(ctx, `SAVEPOINT peerbot`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, err2 := s.q.ExecContext(ctx, `ROLLBACK TO SAVEPOINT peerbot`); err2 != nil {
			return errors.Join(err, err2)
		}
		_, _ = s.q.ExecContext(ctx, `RELEASE SAVEPOINT peerbot`)
		return err
	}
	_, err := s.q.ExecContext(ctx, `RELEASE SAVEPOINT peerbot`)
	return err
}
