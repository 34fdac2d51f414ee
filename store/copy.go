package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// TableCount is how many rows one table holds in the source and the target
// of CopyToPostgres.
type TableCount struct {
	Table          string
	Source, Target int64
}

// EmptyPostgres returns an error unless the PostgreSQL database at dbURL
// has no tables in its schema: CopyToPostgres copies only into a new,
// empty database, so that nothing is mixed or overwritten.
func EmptyPostgres(ctx context.Context, dbURL string) error {
	s, err := openPostgresDB(ctx, dbURL)
	if err != nil {
		return err
	}
	defer s.db.Close()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n); err != nil {
		return fmt.Errorf("read %s: %w", RedactURL(dbURL), err)
	}
	if n > 0 {
		return fmt.Errorf("the PostgreSQL database %s is not empty (%d tables): copy only into a new, empty database", RedactURL(dbURL), n)
	}
	return nil
}

// CopyToPostgres copies every row of every table of the SQLite store src
// into the PostgreSQL store dst, in one transaction, and verifies that each
// table then holds as many rows in dst as in src. dst must hold every
// table of src already: OpenPostgres creates peerbot's own tables; other
// tables kept in the same database (the Matrix adapter's and mautrix's)
// must have been created by their owners first. Rows those set-ups wrote
// (schema versions, the key check) are replaced by the source's. Both must be open with the same key: the sealed
// values are copied as they are, bound to their rows, not re-encrypted.
// Identity sequences (round, check-in and schedule ids) continue after the
// copied ids.
func CopyToPostgres(ctx context.Context, src, dst *Store) ([]TableCount, error) {
	if src.dialect != DialectSQLite || dst.dialect != DialectPostgres {
		return nil, errors.New("copy: from a SQLite store to a PostgreSQL store only")
	}
	tables, err := src.sqliteTables(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	if tables, err = dst.parentsFirst(ctx, tables); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	var counts []TableCount
	tx, err := dst.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	defer tx.Rollback()
	if err := dst.lockTx(ctx, tx); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	for _, t := range tables {
		cols, err := dst.pgColumns(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		if len(cols) == 0 {
			return nil, fmt.Errorf("copy %s: the PostgreSQL database has no such table (its owner must create it first)", t)
		}
		// The rows the target's setup wrote (schema versions, the key
		// check, mautrix's owner) give way to the source's, which go with
		// its data.
		if _, err := tx.ExecContext(ctx, `DELETE FROM "`+t+`"`); err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		n, err := copyTable(ctx, src, tx, t, cols)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		var got int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM "`+t+`"`).Scan(&got); err != nil {
			return nil, fmt.Errorf("copy %s: count: %w", t, err)
		}
		counts = append(counts, TableCount{Table: t, Source: n, Target: got})
	}
	// Identity columns: the next id follows the highest copied one.
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return nil, fmt.Errorf("copy: identity columns: %w", err)
	}
	var idents [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return nil, fmt.Errorf("copy: identity columns: %w", err)
		}
		idents = append(idents, [2]string{t, c})
	}
	rows.Close()
	for _, ic := range idents {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE((SELECT MAX("%s") FROM "%s"), 0) + 1, false)`,
			ic[0], ic[1], ic[1], ic[0])
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("copy: sequence of %s.%s: %w", ic[0], ic[1], err)
		}
	}
	var bad []string
	for _, c := range counts {
		if c.Source != c.Target {
			bad = append(bad, fmt.Sprintf("%s: %d rows in SQLite, %d in PostgreSQL", c.Table, c.Source, c.Target))
		}
	}
	if len(bad) > 0 {
		return counts, fmt.Errorf("copy: row counts differ, nothing was copied: %s", strings.Join(bad, "; "))
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("copy: commit: %w", err)
	}
	return counts, nil
}

// sqliteTables lists the tables of a SQLite store, SQLite's own excepted.
func (s *Store) sqliteTables(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_schema
		WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// pgColumns maps the columns of a PostgreSQL table to their data types.
func (s *Store) pgColumns(ctx context.Context, table string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]string{}
	for rows.Next() {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			return nil, err
		}
		cols[c] = t
	}
	return cols, rows.Err()
}

// copyTable copies the rows of one table, converting SQLite's values to
// the PostgreSQL column's type where they differ (0/1 to boolean, text and
// blob to each other).
func copyTable(ctx context.Context, src *Store, tx *sql.Tx, table string, pgCols map[string]string) (int64, error) {
	rows, err := src.db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(cols))
	params := make([]string, len(cols))
	for i, c := range cols {
		if _, ok := pgCols[c]; !ok {
			return 0, fmt.Errorf("the PostgreSQL table has no column %s", c)
		}
		quoted[i] = `"` + c + `"`
		params[i] = fmt.Sprintf("$%d", i+1)
	}
	insert := `INSERT INTO "` + table + `" (` + strings.Join(quoted, ", ") + `) VALUES (` +
		strings.Join(params, ", ") + `)`
	stmt, err := tx.PrepareContext(ctx, insert)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	var n int64
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			vals[i] = pgValue(v, pgCols[cols[i]])
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
	}
	return n, rows.Err()
}

// pgValue converts a value read from SQLite for a PostgreSQL column of
// type typ.
func pgValue(v any, typ string) any {
	switch typ {
	case "boolean":
		if i, ok := v.(int64); ok {
			return i != 0
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "text", "character varying", "jsonb", "json":
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	}
	return v
}

// parentsFirst orders tables so that a table comes after the tables its
// foreign keys in the PostgreSQL database reference.
func (s *Store) parentsFirst(ctx context.Context, tables []string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT conrelid::regclass::text, confrelid::regclass::text
		FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, err
		}
		parents[strings.Trim(child, `"`)] = append(parents[strings.Trim(child, `"`)], strings.Trim(parent, `"`))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	done := map[string]bool{}
	var visit func(t string, depth int)
	visit = func(t string, depth int) {
		if done[t] || depth > len(tables) {
			return
		}
		for _, p := range parents[t] {
			if p != t {
				visit(p, depth+1)
			}
		}
		if !done[t] {
			done[t] = true
			out = append(out, t)
		}
	}
	in := map[string]bool{}
	for _, t := range tables {
		in[t] = true
	}
	for _, t := range tables {
		visit(t, 0)
	}
	// Keep only the source's tables (a parent only in the target is not copied).
	res := out[:0]
	for _, t := range out {
		if in[t] {
			res = append(res, t)
		}
	}
	return res, nil
}
