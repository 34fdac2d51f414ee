package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// The toolbox (issue 15): tips members suggested, pending until a
// facilitator approves them, and the optional starter set. A tip's words
// are sealed, bound to its group and number. Retention deletes pending
// tips and unlinks approved ones from their author (purgeTips).

// AddTip stores t with the next number of its group.
func (s *Store) AddTip(ctx context.Context, t bot.Tip) (bot.Tip, error) {
	err := s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		// Numbers are never reused (tip_numbers), so that an old review
		// button cannot act on a newer tip.
		if _, err := tx.exec(ctx, `
			INSERT INTO tip_numbers (group_id, last) VALUES (?, 1)
			ON CONFLICT (group_id) DO UPDATE SET last = tip_numbers.last + 1`, t.Group); err != nil {
			return translate(err)
		}
		if err := tx.queryRow(ctx, `SELECT last FROM tip_numbers WHERE group_id = ?`, t.Group).Scan(&t.Num); err != nil {
			return err
		}
		// RETURNING, not LastInsertId: PostgreSQL's driver has none.
		return translate(tx.queryRow(ctx, `
			INSERT INTO tips (group_id, num, member_id, approved, starter, sealed, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.Group, t.Num, t.Member, boolInt(t.Approved), t.Starter,
			tx.box.sealRow(tipColumn, int64(t.Num), string(t.Group), []byte(t.Words)), millis(t.CreatedAt)).Scan(&t.ID))
	})
	if err != nil {
		return bot.Tip{}, fmt.Errorf("add tip: %w", err)
	}
	t.CreatedAt = stored(t.CreatedAt)
	return t, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Tips lists g's approved (or pending) tips by number.
func (s *Store) Tips(ctx context.Context, g bot.GroupID, approved bool) ([]bot.Tip, error) {
	ts, err := s.tips(ctx, `WHERE group_id = ? AND approved = ? ORDER BY num`, g, boolInt(approved))
	if err != nil {
		return nil, fmt.Errorf("list tips: %w", err)
	}
	return ts, nil
}

func (s *Store) tips(ctx context.Context, rest string, args ...any) ([]bot.Tip, error) {
	rows, err := s.query(ctx, `SELECT id, group_id, num, member_id, approved, starter, sealed, created_at FROM tips `+rest, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []bot.Tip
	for rows.Next() {
		var t bot.Tip
		var approved int
		var sealed []byte
		var created sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Group, &t.Num, &t.Member, &approved, &t.Starter, &sealed, &created); err != nil {
			return nil, err
		}
		fs, err := s.box.openRow(tipColumn, int64(t.Num), string(t.Group), sealed, 1)
		if err != nil {
			return nil, err
		}
		t.Approved, t.Words, t.CreatedAt = approved == 1, string(fs[0]), fromMillis(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

// ApproveTip marks tip num of g approved, or returns bot.ErrNotFound.
func (s *Store) ApproveTip(ctx context.Context, g bot.GroupID, num int) error {
	res, err := s.exec(ctx, `UPDATE tips SET approved = 1 WHERE group_id = ? AND num = ?`, g, num)
	if err != nil {
		return fmt.Errorf("approve tip: %w", translate(err))
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = bot.ErrNotFound
		}
		return fmt.Errorf("approve tip: %w", err)
	}
	return nil
}

// RemoveTip deletes tip num of g and returns it, or bot.ErrNotFound.
func (s *Store) RemoveTip(ctx context.Context, g bot.GroupID, num int) (bot.Tip, error) {
	var t bot.Tip
	err := s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		ts, err := tx.tips(ctx, `WHERE group_id = ? AND num = ?`, g, num)
		if err != nil {
			return err
		}
		if len(ts) == 0 {
			return bot.ErrNotFound
		}
		t = ts[0]
		if _, err := tx.exec(ctx, `DELETE FROM tips WHERE id = ?`, t.ID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM tip_last WHERE tip_id = ?`, t.ID)
		return err
	})
	if err != nil {
		return bot.Tip{}, fmt.Errorf("remove tip: %w", err)
	}
	return t, nil
}

// LastTip returns the ID of the tip m was sent last in g (0: none).
func (s *Store) LastTip(ctx context.Context, g bot.GroupID, m bot.MemberID) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT tip_id FROM tip_last WHERE group_id = ? AND member_id = ?`, g, m).Scan(&id)
	if err = errNoRows(err); err == bot.ErrNotFound {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("last tip: %w", err)
	}
	return id, nil
}

// SetLastTip records the tip m was sent last in g.
func (s *Store) SetLastTip(ctx context.Context, g bot.GroupID, m bot.MemberID, tip int64) error {
	if _, err := s.exec(ctx, `
		INSERT INTO tip_last (group_id, member_id, tip_id) VALUES (?, ?, ?)
		ON CONFLICT (group_id, member_id) DO UPDATE SET tip_id = excluded.tip_id`, g, m, tip); err != nil {
		return fmt.Errorf("set last tip: %w", translate(err))
	}
	return nil
}

// memberTips lists the tips that still name m.
func (s *Store) memberTips(ctx context.Context, m bot.MemberID) ([]bot.Tip, error) {
	return s.tips(ctx, `WHERE member_id = ? ORDER BY created_at, id`, m)
}

// purgeTips is retention for tips: a tip still pending since before cutoff
// (unix milliseconds) is deleted; an approved one stays in the toolbox but
// no longer names its author. It returns how many tips it deleted.
func (tx *Store) purgeTips(ctx context.Context, cutoff int64) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM tips WHERE approved = 0 AND created_at < ?`, cutoff)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	_, err = tx.exec(ctx, `UPDATE tips SET member_id = '' WHERE approved = 1 AND member_id <> '' AND created_at < ?`, cutoff)
	return n, err
}
