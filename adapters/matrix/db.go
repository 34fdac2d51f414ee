package matrix

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"maunium.net/go/mautrix/id"
)

// schema is the adapter's own tables in the shared SQLite file. They are
// prefixed "peerbot_matrix_" so that they never meet the core's tables or
// mautrix's crypto and state tables. New tables are added with CREATE TABLE
// IF NOT EXISTS; a changed table gets a new name.
var schema = []string{
	// The sync token, saved only after a batch was processed (see syncStore).
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_sync (
		user_id    TEXT PRIMARY KEY,
		next_batch TEXT NOT NULL DEFAULT '',
		filter_id  TEXT NOT NULL DEFAULT ''
	)`,
	// Which reaction on which bot message runs which command, and the
	// bot's own reaction offering it (removed when the actions are).
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_actions (
		event_id    TEXT NOT NULL,
		emoji       TEXT NOT NULL,
		command     TEXT NOT NULL,
		reaction_id TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (event_id, emoji)
	)`,
	// The bot's direct-message room with each member. declined is set when
	// the member left or rejected it.
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_dm (
		user_id  TEXT PRIMARY KEY,
		room_id  TEXT NOT NULL,
		declined INTEGER NOT NULL DEFAULT 0
	)`,
	`CREATE INDEX IF NOT EXISTS peerbot_matrix_dm_room ON peerbot_matrix_dm (room_id)`,
	// When the bot joined each room (ms since epoch): older events are ignored.
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_rooms (
		room_id   TEXT PRIMARY KEY,
		joined_ms INTEGER NOT NULL
	)`,
	// Notes the bot sends only once (missing power, undecryptable message).
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_once (
		key TEXT PRIMARY KEY
	)`,
	// Which process holds the device (see lock.go).
	`CREATE TABLE IF NOT EXISTS peerbot_matrix_lock (
		device_id  TEXT PRIMARY KEY,
		owner      TEXT NOT NULL,
		expires_ms INTEGER NOT NULL
	)`,
}

// tables is the adapter's access to its own tables.
type tables struct{ db *sql.DB }

func (t tables) migrate(ctx context.Context) error {
	for _, q := range schema {
		if _, err := t.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("create matrix tables: %w", err)
		}
	}
	return nil
}

// saveAction records that reacting with emoji on ev runs cmd.
func (t tables) saveAction(ctx context.Context, ev id.EventID, emoji, cmd string) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO peerbot_matrix_actions (event_id, emoji, command) VALUES (?, ?, ?)
		ON CONFLICT (event_id, emoji) DO UPDATE SET command = excluded.command`, ev.String(), emoji, cmd)
	if err != nil {
		return fmt.Errorf("save action: %w", err)
	}
	return nil
}

// setReaction records the bot's own reaction offering an action.
func (t tables) setReaction(ctx context.Context, ev id.EventID, emoji string, reaction id.EventID) error {
	_, err := t.db.ExecContext(ctx, `UPDATE peerbot_matrix_actions SET reaction_id = ? WHERE event_id = ? AND emoji = ?`,
		reaction.String(), ev.String(), emoji)
	if err != nil {
		return fmt.Errorf("save action reaction: %w", err)
	}
	return nil
}

// storedAction is one action offered on a bot message.
type storedAction struct {
	Emoji, Command string
	Reaction       id.EventID
}

// actions lists the actions offered on ev, in the order they were added.
func (t tables) actions(ctx context.Context, ev id.EventID) ([]storedAction, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT emoji, command, reaction_id FROM peerbot_matrix_actions WHERE event_id = ? ORDER BY rowid`, ev.String())
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	defer rows.Close()
	var out []storedAction
	for rows.Next() {
		var s storedAction
		if err := rows.Scan(&s.Emoji, &s.Command, &s.Reaction); err != nil {
			return nil, fmt.Errorf("list actions: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	return out, nil
}

// deleteAction forgets one action offered on ev.
func (t tables) deleteAction(ctx context.Context, ev id.EventID, emoji string) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM peerbot_matrix_actions WHERE event_id = ? AND emoji = ?`, ev.String(), emoji); err != nil {
		return fmt.Errorf("delete action: %w", err)
	}
	return nil
}

// action returns the command behind a reaction, or "" when there is none.
func (t tables) action(ctx context.Context, ev id.EventID, emoji string) (string, error) {
	var cmd string
	err := t.db.QueryRowContext(ctx, `SELECT command FROM peerbot_matrix_actions WHERE event_id = ? AND emoji = ?`, ev.String(), emoji).Scan(&cmd)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up action: %w", err)
	}
	return cmd, nil
}

// dm returns the member's DM room and whether they declined it.
func (t tables) dm(ctx context.Context, user id.UserID) (id.RoomID, bool, error) {
	var room string
	var declined bool
	err := t.db.QueryRowContext(ctx, `SELECT room_id, declined FROM peerbot_matrix_dm WHERE user_id = ?`, user.String()).Scan(&room, &declined)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up dm room: %w", err)
	}
	return id.RoomID(room), declined, nil
}

func (t tables) setDM(ctx context.Context, user id.UserID, room id.RoomID) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO peerbot_matrix_dm (user_id, room_id, declined) VALUES (?, ?, 0)
		ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id, declined = 0`, user.String(), room.String())
	if err != nil {
		return fmt.Errorf("save dm room: %w", err)
	}
	return nil
}

// declineDM marks the member's DM room as left or rejected, if room is it.
func (t tables) declineDM(ctx context.Context, user id.UserID, room id.RoomID) error {
	_, err := t.db.ExecContext(ctx, `UPDATE peerbot_matrix_dm SET declined = 1 WHERE user_id = ? AND room_id = ?`, user.String(), room.String())
	if err != nil {
		return fmt.Errorf("mark dm declined: %w", err)
	}
	return nil
}

// dmMember returns the member whose DM room this is, or "".
func (t tables) dmMember(ctx context.Context, room id.RoomID) (id.UserID, error) {
	var user string
	err := t.db.QueryRowContext(ctx, `SELECT user_id FROM peerbot_matrix_dm WHERE room_id = ?`, room.String()).Scan(&user)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up dm member: %w", err)
	}
	return id.UserID(user), nil
}

func (t tables) setJoined(ctx context.Context, room id.RoomID, at time.Time) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO peerbot_matrix_rooms (room_id, joined_ms) VALUES (?, ?)
		ON CONFLICT (room_id) DO UPDATE SET joined_ms = excluded.joined_ms`, room.String(), at.UnixMilli())
	if err != nil {
		return fmt.Errorf("save room join: %w", err)
	}
	return nil
}

// joined returns when the bot joined room, or the zero time if unknown.
func (t tables) joined(ctx context.Context, room id.RoomID) (time.Time, error) {
	var ms int64
	err := t.db.QueryRowContext(ctx, `SELECT joined_ms FROM peerbot_matrix_rooms WHERE room_id = ?`, room.String()).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("look up room join: %w", err)
	}
	return time.UnixMilli(ms), nil
}

// once reports true the first time it is called with key, false after.
func (t tables) once(ctx context.Context, key string) (bool, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO peerbot_matrix_once (key) VALUES (?) ON CONFLICT (key) DO NOTHING`, key)
	if err != nil {
		return false, fmt.Errorf("record note: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record note: %w", err)
	}
	return n == 1, nil
}
