package store

import (
	"context"
	"database/sql"
	"sync"

	"github.com/petermattis/goid"
)

// txOwners maps the goroutines running an InTx function to their
// transaction. The database has one connection and a transaction holds it,
// so a call on the root Store from inside fn (a helper that was handed the
// root Store) would wait forever for that connection. Such a call joins the
// goroutine's transaction instead, as a nested InTx does.
type txOwners struct {
	mu sync.Mutex
	m  map[int64]*Store
}

// add records tx as the calling goroutine's transaction and returns the
// function that forgets it again.
func (o *txOwners) add(tx *Store) (release func()) {
	id := goid.Get()
	o.mu.Lock()
	if o.m == nil {
		o.m = map[int64]*Store{}
	}
	o.m[id] = tx
	o.mu.Unlock()
	return func() {
		o.mu.Lock()
		delete(o.m, id)
		o.mu.Unlock()
	}
}

// current returns the calling goroutine's transaction, or nil.
func (o *txOwners) current() *Store {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.m) == 0 {
		return nil
	}
	return o.m[goid.Get()]
}

// conn returns what s's statements run on: its transaction, the calling
// goroutine's transaction when s is the root Store, else the database.
func (s *Store) conn() querier {
	if s.tx == nil {
		if tx := s.owners.current(); tx != nil {
			return tx.q
		}
	}
	return s.q
}

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.conn().ExecContext(ctx, query, args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.conn().QueryContext(ctx, query, args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.conn().QueryRowContext(ctx, query, args...)
}
