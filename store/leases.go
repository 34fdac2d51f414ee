package store

import (
	"context"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

var _ bot.Leases = (*Store)(nil)

// HoldGroups renews holder's leases until now+ttl and takes every lease
// that is free or ran out: of each group with a row, an open round or a
// schedule, and of the keys in extra (work of no group, such as
// "~retention"). It returns what holder holds. One transaction: two
// processes never both hold a key, because taking a lease is one
// conditional upsert per key, which the database serialises.
func (s *Store) HoldGroups(ctx context.Context, holder string, now time.Time, ttl time.Duration, extra ...bot.GroupID) (map[bot.GroupID]bool, error) {
	if holder == "" || ttl <= 0 {
		return nil, fmt.Errorf("hold groups: need a holder and a positive ttl")
	}
	until, at := now.Add(ttl).UnixMilli(), now.UnixMilli()
	held := map[bot.GroupID]bool{}
	err := s.InTx(ctx, func(bs bot.Store) error {
		st := bs.(*Store)
		if _, err := st.exec(ctx, `UPDATE leases SET expires_at = ? WHERE holder = ?`, until, holder); err != nil {
			return err
		}
		// "WHERE true": SQLite needs a WHERE before ON CONFLICT in an
		// INSERT … SELECT.
		if _, err := st.exec(ctx, `
			INSERT INTO leases (group_id, holder, expires_at)
			SELECT g, ?, ? FROM (
				SELECT id AS g FROM groups
				UNION SELECT group_id FROM rounds WHERE closed_at IS NULL
				UNION SELECT group_id FROM schedules
			) AS candidates
			WHERE true AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.group_id = g AND l.expires_at >= ?)
			ON CONFLICT (group_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE leases.expires_at < ?`, holder, until, at, at); err != nil {
			return err
		}
		for _, k := range extra {
			if _, err := st.exec(ctx, `
				INSERT INTO leases (group_id, holder, expires_at) VALUES (?, ?, ?)
				ON CONFLICT (group_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
				WHERE leases.expires_at < ? OR leases.holder = excluded.holder`, k, holder, until, at); err != nil {
				return err
			}
		}
		rows, err := st.query(ctx, `SELECT group_id FROM leases WHERE holder = ? AND expires_at >= ?`, holder, at)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var g bot.GroupID
			if err := rows.Scan(&g); err != nil {
				return err
			}
			held[g] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("hold groups: %w", translate(err))
	}
	return held, nil
}

// ReleaseGroups gives up holder's leases, so another process takes them at
// once instead of when they run out.
func (s *Store) ReleaseGroups(ctx context.Context, holder string) error {
	if _, err := s.exec(ctx, `DELETE FROM leases WHERE holder = ?`, holder); err != nil {
		return fmt.Errorf("release groups: %w", translate(err))
	}
	return nil
}

// MarkStatus asks for an edit of round r's status message no earlier than
// now, and no earlier than delay after its last edit. A pending edit keeps
// its time.
func (s *Store) MarkStatus(ctx context.Context, r bot.Round, now time.Time, delay time.Duration) error {
	at, d := now.UnixMilli(), delay.Milliseconds()
	if _, err := s.exec(ctx, `
		UPDATE rounds SET status_due = CASE
			WHEN status_edited IS NOT NULL AND status_edited + ? > ? THEN status_edited + ?
			ELSE ? END
		WHERE id = ? AND status_due IS NULL AND closed_at IS NULL`, d, at, d, at, r.ID); err != nil {
		return fmt.Errorf("mark status: %w", translate(err))
	}
	return nil
}

// TakeStatuses returns the open rounds of holder's groups whose status edit
// is due at now, and records them as edited at now.
func (s *Store) TakeStatuses(ctx context.Context, holder string, now time.Time) ([]bot.Round, error) {
	at := now.UnixMilli()
	var out []bot.Round
	err := s.InTx(ctx, func(bs bot.Store) error {
		st := bs.(*Store)
		out = nil
		rows, err := st.query(ctx, `
			SELECT r.id, r.group_id, r.channel_id FROM rounds r
			JOIN leases l ON l.group_id = r.group_id
			WHERE l.holder = ? AND l.expires_at >= ? AND r.closed_at IS NULL AND r.status_due <= ?
			ORDER BY r.id`, holder, at, at)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r bot.Round
			if err := rows.Scan(&r.ID, &r.Group, &r.Channel); err != nil {
				rows.Close()
				return err
			}
			out = append(out, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range out {
			if _, err := st.exec(ctx, `UPDATE rounds SET status_due = NULL, status_edited = ? WHERE id = ?`, at, r.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("take statuses: %w", translate(err))
	}
	return out, nil
}
