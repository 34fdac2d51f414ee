package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Threads (issue 15): a member's private conversation with the group's
// facilitators through the bot. What is written in one is sealed, bound to
// the thread and its author, with the author's name and whether they wrote
// as a facilitator; it goes with retention (purgeThreads) and !forgetme.

var (
	threadWordsColumn = sealedColumn{"thread_words", "sealed", "thread_words.sealed", "thread_id", "author_id", false}
	tipColumn         = sealedColumn{"tips", "sealed", "tips.sealed", "num", "group_id", false}
)

func init() {
	// ChangeKey and VerifySealed go through these too.
	sealedColumns = append(sealedColumns, threadWordsColumn, tipColumn)
	forgetStatements = append(forgetStatements,
		`DELETE FROM thread_words WHERE author_id = ?1 OR thread_id IN (SELECT id FROM threads WHERE member_id = ?1)`,
		`DELETE FROM threads WHERE member_id = ?1`,
		`DELETE FROM tips WHERE member_id = ?1`,
		`DELETE FROM tip_last WHERE member_id = ?1`,
	)
}

// StartThread stores a new thread and returns it with its ID.
func (s *Store) StartThread(ctx context.Context, t bot.Thread) (bot.Thread, error) {
	// RETURNING, not LastInsertId: PostgreSQL's driver has none.
	if err := s.queryRow(ctx, `INSERT INTO threads (group_id, member_id, opened_at, last_at) VALUES (?, ?, ?, ?) RETURNING id`,
		t.Group, t.Member, millis(t.OpenedAt), millis(t.LastAt)).Scan(&t.ID); err != nil {
		return bot.Thread{}, fmt.Errorf("start thread: %w", translate(err))
	}
	t.OpenedAt, t.LastAt = stored(t.OpenedAt), stored(t.LastAt)
	return t, nil
}

const threadColumns = `SELECT id, group_id, member_id, opened_at, last_at, closed_at FROM threads `

func scanThread(row interface{ Scan(...any) error }) (bot.Thread, error) {
	var t bot.Thread
	var opened, last, closed sql.NullInt64
	if err := row.Scan(&t.ID, &t.Group, &t.Member, &opened, &last, &closed); err != nil {
		return bot.Thread{}, translate(err)
	}
	t.OpenedAt, t.LastAt, t.ClosedAt = fromMillis(opened), fromMillis(last), fromMillis(closed)
	return t, nil
}

// Thread returns thread id, or bot.ErrNotFound.
func (s *Store) Thread(ctx context.Context, id int64) (bot.Thread, error) {
	t, err := scanThread(s.queryRow(ctx, threadColumns+`WHERE id = ?`, id))
	if err != nil {
		return bot.Thread{}, fmt.Errorf("thread: %w", err)
	}
	return t, nil
}

// LatestThread returns m's newest thread not closed (g "" = any group), or
// bot.ErrNotFound.
func (s *Store) LatestThread(ctx context.Context, g bot.GroupID, m bot.MemberID) (bot.Thread, error) {
	t, err := scanThread(s.queryRow(ctx, threadColumns+`
		WHERE member_id = ?1 AND (?2 = '' OR group_id = ?2) AND closed_at IS NULL
		ORDER BY last_at DESC, id DESC LIMIT 1`, m, g))
	if err != nil {
		return bot.Thread{}, fmt.Errorf("latest thread: %w", err)
	}
	return t, nil
}

// CloseThread marks thread id closed at the given time (not an error when
// it was closed before or does not exist).
func (s *Store) CloseThread(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE threads SET closed_at = ? WHERE id = ? AND closed_at IS NULL`, millis(at), id); err != nil {
		return fmt.Errorf("close thread: %w", translate(err))
	}
	return nil
}

// AddThreadWords stores w and makes w.At the thread's last activity.
func (s *Store) AddThreadWords(ctx context.Context, w bot.ThreadWords) error {
	fac := []byte{0}
	if w.Facilitator {
		fac[0] = 1
	}
	sealed := s.box.sealRow(threadWordsColumn, w.Thread, string(w.Author), fac, []byte(w.AuthorName), []byte(w.Words))
	if _, err := s.exec(ctx, `INSERT INTO thread_words (thread_id, author_id, sealed, at) VALUES (?, ?, ?, ?)`,
		w.Thread, w.Author, sealed, millis(w.At)); err != nil {
		return fmt.Errorf("add thread words: %w", translate(err))
	}
	if _, err := s.exec(ctx, `UPDATE threads SET last_at = ? WHERE id = ?`, millis(w.At), w.Thread); err != nil {
		return fmt.Errorf("add thread words: %w", translate(err))
	}
	return nil
}

// threadWords lists the thread words selected by the rest of the query.
func (s *Store) threadWords(ctx context.Context, rest string, args ...any) ([]bot.ThreadWords, error) {
	rows, err := s.query(ctx, `SELECT thread_id, author_id, sealed, at FROM thread_words `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.ThreadWords
	for rows.Next() {
		var w bot.ThreadWords
		var sealed []byte
		var at sql.NullInt64
		if err := rows.Scan(&w.Thread, &w.Author, &sealed, &at); err != nil {
			return nil, err
		}
		fs, err := s.box.openRow(threadWordsColumn, w.Thread, string(w.Author), sealed, 3)
		if err != nil {
			return nil, err
		}
		w.Facilitator = len(fs[0]) == 1 && fs[0][0] == 1
		w.AuthorName, w.Words, w.At = string(fs[1]), string(fs[2]), fromMillis(at)
		out = append(out, w)
	}
	return out, rows.Err()
}

// memberThreadWords is what m wrote or was written in their threads, and
// what m wrote in others' threads, oldest first.
func (s *Store) memberThreadWords(ctx context.Context, m bot.MemberID) ([]bot.ThreadWords, error) {
	return s.threadWords(ctx, `WHERE author_id = ?1 OR thread_id IN (SELECT id FROM threads WHERE member_id = ?1) ORDER BY at, id`, m)
}

// purgeThreads is retention for threads: words written before cutoff
// (unix milliseconds) are deleted, and threads without activity since
// then with them. It returns how many words it deleted.
func (tx *Store) purgeThreads(ctx context.Context, cutoff int64) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM thread_words WHERE at < ?1 OR thread_id IN (SELECT id FROM threads WHERE last_at < ?1)`, cutoff)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM threads WHERE last_at < ?1`, cutoff); err != nil {
		return 0, err
	}
	return n, nil
}

// errNoRows reports a missing row as bot.ErrNotFound.
func errNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return bot.ErrNotFound
	}
	return err
}
