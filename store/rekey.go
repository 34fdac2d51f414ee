package store

import (
	"context"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// sealedValue is one stored sealed value and its row.
type sealedValue struct {
	rowid  any // int64 (SQLite rowid) or string (PostgreSQL ctid)
	num    int64
	id     string
	sealed []byte
}

// sealedValues reads every non-NULL value of column c.
func (s *Store) sealedValues(ctx context.Context, c sealedColumn) ([]sealedValue, error) {
	// PostgreSQL's ctid (for SQLite's rowid) reads as text; the rows are
	// locked, so it stays theirs until this transaction updates them.
	q := `SELECT rowid, ` + c.num + `, ` + c.id + `, ` + c.column + ` FROM ` + c.table +
		` WHERE ` + c.column + ` IS NOT NULL`
	if s.dialect == DialectPostgres {
		q = `SELECT ctid::text, ` + c.num + `, ` + c.id + `, ` + c.column + ` FROM ` + c.table +
			` WHERE ` + c.column + ` IS NOT NULL FOR UPDATE`
	}
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", c.purpose, err)
	}
	defer rows.Close()
	var out []sealedValue
	for rows.Next() {
		var v sealedValue
		if err := rows.Scan(&v.rowid, &v.num, &v.id, &v.sealed); err != nil {
			return nil, fmt.Errorf("read %s: %w", c.purpose, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.purpose, err)
	}
	return out, nil
}

// ChangeKey re-encrypts every encrypted value of the database at path (a
// file, or a postgres:// URL as OpenURL takes) under newKey, in one
// transaction, for an operator who fears the old key leaked. It fails, changing nothing, when oldKey is not the database's key
// (ErrWrongKey), and when a stored value does not decrypt
// (ErrCannotDecrypt). Stop the bot first: a process still running with the
// old key would write values the new key cannot read.
func ChangeKey(ctx context.Context, path string, oldKey, newKey []byte, opts ...Option) error {
	next, err := newSealer(newKey)
	if err != nil {
		return fmt.Errorf("change key: new key: %w", err)
	}
	s, err := OpenURL(ctx, path, append(opts, WithKey(oldKey))...)
	if err != nil {
		return fmt.Errorf("change key: %w", err)
	}
	defer s.Close()
	err = s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		for _, c := range sealedColumns {
			vs, err := tx.sealedValues(ctx, c)
			if err != nil {
				return err
			}
			for _, v := range vs {
				pt, err := tx.box.open(v.sealed, c.ad(v.num, v.id))
				if err != nil {
					return fmt.Errorf("%s of %d/%s: %w", c.purpose, v.num, v.id, err)
				}
				if _, err := tx.exec(ctx, `UPDATE `+c.table+` SET `+c.column+` = ? WHERE rowid = `+tx.rowidParam(),
					next.seal(pt, c.ad(v.num, v.id)), v.rowid); err != nil {
					return err
				}
			}
		}
		_, err := tx.exec(ctx, `UPDATE peerbot_meta SET value = ? WHERE name = ?`,
			next.seal([]byte(keyCheckText), additionalData(keyCheckName, 0, "")), keyCheckName)
		return err
	})
	if err != nil {
		return fmt.Errorf("change key: %w", err)
	}
	if err := s.checkpoint(ctx); err != nil {
		return fmt.Errorf("change key: checkpoint: %w", err)
	}
	return s.Close()
}

// LostKeyReset says what ResetLostKey deleted.
type LostKeyReset struct {
	// CheckIns were deleted: their colours, flags and names were encrypted.
	CheckIns int64
	// Words were deleted from check-ins kept (whose colour an older
	// schema version still held in plain text).
	Words int64
	// Names of members and groups were blanked (with members' countries and
	// last support times, and who set each agreement); the platforms tell
	// peerbot names again as members speak.
	Names int64
	// Counts of purged rounds were deleted.
	Counts int64
}

// ResetLostKey is for an operator who lost the secret key. Without it
// nobody can read the encrypted values, so it deletes them: check-ins
// (their colour, flags, name and words), the counts of purged rounds, and
// members', groups' and agreement setters' names (the rows stay: ids,
// memberships, rounds, agreements, schedules and settings are kept). Then
// it makes newKey the database's key. Stop the bot first.
func ResetLostKey(ctx context.Context, path string, newKey []byte, opts ...Option) (LostKeyReset, error) {
	var r LostKeyReset
	o := options{busyTimeout: defaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	next, err := newSealer(newKey)
	if err != nil {
		return r, fmt.Errorf("reset lost key: new key: %w", err)
	}
	var s *Store
	if IsPostgresURL(path) {
		s, err = openPostgresDB(ctx, path)
	} else {
		s, err = openDB(ctx, path, o)
	}
	if err != nil {
		return r, fmt.Errorf("reset lost key: %w", err)
	}
	defer s.Close()
	if err := s.migrate(ctx, migrations); err != nil {
		return r, fmt.Errorf("reset lost key: %w", err)
	}
	err = s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		// Rows still NULL were migrated from plain text (legacy.go): Open
		// seals them under the new key below.
		for _, q := range []struct {
			n *int64
			q string
		}{
			{&r.CheckIns, `DELETE FROM check_ins WHERE sealed IS NOT NULL`},
			{&r.Words, `UPDATE check_ins SET words = NULL WHERE words IS NOT NULL`},
			{&r.Counts, `DELETE FROM round_aggregates WHERE sealed IS NOT NULL`},
			{&r.Names, `UPDATE agreements SET sealed = NULL WHERE sealed IS NOT NULL`},
			{nil, `DELETE FROM peerbot_meta WHERE name = '` + keyCheckName + `'`},
		} {
			res, err := tx.exec(ctx, q.q)
			if err != nil {
				return err
			}
			if q.n != nil {
				if *q.n, err = res.RowsAffected(); err != nil {
					return err
				}
			}
		}
		for _, c := range []sealedColumn{memberColumn, groupColumn} {
			vs, err := tx.sealedValues(ctx, c)
			if err != nil {
				return err
			}
			for _, v := range vs {
				empty := next.sealMember(bot.MemberRecord{ID: bot.MemberID(v.id)})
				if c == groupColumn {
					empty = next.sealName(c, 0, v.id, "")
				}
				if _, err := tx.exec(ctx, `UPDATE `+c.table+` SET sealed = ? WHERE rowid = `+tx.rowidParam(), empty, v.rowid); err != nil {
					return err
				}
			}
			r.Names += int64(len(vs))
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("reset lost key: %w", err)
	}
	if err := s.checkpoint(ctx); err != nil {
		return r, fmt.Errorf("reset lost key: checkpoint: %w", err)
	}
	if err := s.Close(); err != nil {
		return r, fmt.Errorf("reset lost key: %w", err)
	}
	// Open writes the new key check (and encrypts any values an older
	// schema version still holds in plain text).
	s2, err := OpenURL(ctx, path, append(opts, WithKey(newKey))...)
	if err != nil {
		return r, fmt.Errorf("reset lost key: %w", err)
	}
	return r, s2.Close()
}

// rowidParam is the placeholder for a sealedValue's rowid.
func (s *Store) rowidParam() string {
	if s.dialect == DialectPostgres {
		return `CAST(? AS tid)`
	}
	return `?`
}
