package store

import (
	"context"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// ChangeKey re-encrypts every encrypted value of the database at path
// under newKey, in one transaction, for an operator who fears the old key
// leaked. It fails, changing nothing, when oldKey is not the database's key
// (ErrWrongKey). Stop the bot first: a process still running with the old
// key would write words the new key cannot read.
func ChangeKey(ctx context.Context, path string, oldKey, newKey []byte, opts ...Option) error {
	next, err := newSealer(newKey)
	if err != nil {
		return fmt.Errorf("change key: new key: %w", err)
	}
	s, err := Open(ctx, path, append(opts, WithKey(oldKey))...)
	if err != nil {
		return fmt.Errorf("change key: %w", err)
	}
	defer s.Close()
	err = s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		rows, err := tx.query(ctx, `SELECT id, round_id, member_id, words FROM check_ins WHERE words IS NOT NULL`)
		if err != nil {
			return err
		}
		type row struct {
			id       int64
			resealed []byte
		}
		var todo []row
		for rows.Next() {
			var id, round int64
			var member bot.MemberID
			var sealed []byte
			if err := rows.Scan(&id, &round, &member, &sealed); err != nil {
				rows.Close()
				return err
			}
			words, err := tx.box.openWords(round, member, sealed)
			if err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, row{id, next.sealWords(round, member, words)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range todo {
			if _, err := tx.exec(ctx, `UPDATE check_ins SET words = ? WHERE id = ?`, r.resealed, r.id); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `UPDATE peerbot_meta SET value = ? WHERE name = ?`,
			next.seal([]byte(keyCheckText), additionalData(keyCheckName, 0, "")), keyCheckName)
		return err
	})
	if err != nil {
		return fmt.Errorf("change key: %w", err)
	}
	if _, err := s.exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("change key: checkpoint: %w", err)
	}
	return s.Close()
}

// ResetLostKey is for an operator who lost the secret key. Without it the
// stored words cannot be read by anyone, so it deletes them (every check-in
// keeps its colour, and everything else is kept), and makes newKey the
// database's key. It returns how many check-ins lost their words. Stop the
// bot first.
func ResetLostKey(ctx context.Context, path string, newKey []byte, opts ...Option) (int64, error) {
	o := options{busyTimeout: defaultBusyTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if _, err := newSealer(newKey); err != nil {
		return 0, fmt.Errorf("reset lost key: new key: %w", err)
	}
	s, err := openDB(ctx, path, o)
	if err != nil {
		return 0, fmt.Errorf("reset lost key: %w", err)
	}
	defer s.Close()
	if err := s.migrate(ctx, migrations); err != nil {
		return 0, fmt.Errorf("reset lost key: %w", err)
	}
	var n int64
	err = s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		res, err := tx.exec(ctx, `UPDATE check_ins SET words = NULL WHERE words IS NOT NULL`)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM peerbot_meta WHERE name = ?`, keyCheckName)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reset lost key: %w", err)
	}
	if _, err := s.exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return n, fmt.Errorf("reset lost key: checkpoint: %w", err)
	}
	if err := s.Close(); err != nil {
		return n, fmt.Errorf("reset lost key: %w", err)
	}
	// Open writes the new key check (and encrypts any words a version-1
	// database still holds in plain text).
	s2, err := Open(ctx, path, append(opts, WithKey(newKey))...)
	if err != nil {
		return n, fmt.Errorf("reset lost key: %w", err)
	}
	return n, s2.Close()
}
