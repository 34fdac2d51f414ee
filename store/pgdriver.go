package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The *sql.DB of a PostgreSQL Store (DB) translates statements written for
// SQLite, with ? placeholders, as the Store's own are (see pgQuery), so that
// code sharing the database through DB() with plain `?` SQL (the Matrix
// adapter's tables) runs on both. Statements without a `?` (mautrix's, in
// its postgres dialect, which uses $1) pass through unchanged.

// pgConnector wraps pgx's connector with the translation.
type pgConnector struct{ c driver.Connector }

func newPGConnector(cfg *pgx.ConnConfig) pgConnector {
	return pgConnector{stdlib.GetConnector(*cfg)}
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn: conn}, nil
}

func (c pgConnector) Driver() driver.Driver { return pgDriver{c.c.Driver()} }

// pgDriver marks a database as PostgreSQL for DialectOf.
type pgDriver struct{ driver.Driver }

// DialectOf returns the dialect of a database opened by this package:
// "postgres" for a PostgreSQL Store's DB(), otherwise "sqlite".
func DialectOf(db *sql.DB) string {
	if _, ok := db.Driver().(pgDriver); ok {
		return DialectPostgres
	}
	return DialectSQLite
}

func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	return pgQuery(q)
}

// pgConn passes everything to pgx's connection, translating statements.
type pgConn struct{ conn driver.Conn }

var (
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
)

func (c *pgConn) Prepare(q string) (driver.Stmt, error) { return c.conn.Prepare(rebind(q)) }
func (c *pgConn) Close() error                          { return c.conn.Close() }

//lint:ignore SA1019 driver.Conn requires Begin; database/sql calls BeginTx.
func (c *pgConn) Begin() (driver.Tx, error) { return c.conn.Begin() }

func (c *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.conn.(driver.ConnPrepareContext).PrepareContext(ctx, rebind(q))
}

func (c *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.conn.(driver.ExecerContext).ExecContext(ctx, rebind(q), args)
}

func (c *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.conn.(driver.QueryerContext).QueryContext(ctx, rebind(q), args)
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *pgConn) Ping(ctx context.Context) error { return c.conn.(driver.Pinger).Ping(ctx) }

func (c *pgConn) ResetSession(ctx context.Context) error {
	return c.conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *pgConn) CheckNamedValue(v *driver.NamedValue) error {
	return c.conn.(driver.NamedValueChecker).CheckNamedValue(v)
}
