package matrix

import (
	"context"
	"database/sql"
	"sync"
)

// stmts caches the adapter's prepared statements by their SQL text:
// preparing was about a third of the adapter's SQL time per message
// (docs/benchmarks.md, issue 13). Statements are prepared on the root
// database only: with one SQLite connection, preparing while a transaction
// holds it would wait for ever, so inside a transaction a statement not yet
// cached runs unprepared (see tables.txExec).
type stmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (c *stmts) cached(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// get returns query's statement prepared on db, preparing it once; nil when
// it cannot be prepared (its error shows when it runs unprepared).
func (c *stmts) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st := c.cached(query); st != nil {
		return st
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[query]; old != nil {
		_ = st.Close()
		return old
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

func (t tables) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.st.get(ctx, t.db, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.db.ExecContext(ctx, query, args...)
}

func (t tables) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.st.get(ctx, t.db, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.db.QueryContext(ctx, query, args...)
}

func (t tables) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.st.get(ctx, t.db, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.db.QueryRowContext(ctx, query, args...)
}

// txExec runs query in tx, prepared when the statement is already cached.
func (t tables) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if t.st != nil {
		if st := t.st.cached(query); st != nil {
			return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
		}
	}
	return tx.ExecContext(ctx, query, args...)
}
