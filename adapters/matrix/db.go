package matrix

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// migrations are the adapter's own tables in the shared SQLite file, as
// dbutil upgrades (the way mautrix's state and crypto stores keep theirs):
// NN-name.sql, each headed "-- vN: what it does", applied in order, each in a
// transaction that also records the new version in versionTable. Never edit
// one that has shipped: add the next. The tables are prefixed
// "peerbot_matrix_" so that they never meet the core's tables or mautrix's.
//
// A header may say "(compatible with vN+)" only when a build that knows just
// vN really works on the new schema: otherwise an older build refuses the
// database, which is what we want.
//
//go:embed migrations/*.sql
var migrations embed.FS

// upgrades is migrations as a dbutil upgrade table; it panics at start-up
// when a file's header is malformed, which any test run catches.
var upgrades = dbutil.BuildUpgradeTable().WithFSPath(migrations, "migrations").Finish()

// versionTable records the adapter's schema version. The core store keeps
// its own in peerbot_schema, mautrix in mx_version and crypto_version.
const versionTable = "peerbot_matrix_version"

// tables is the adapter's access to its own tables.
type tables struct {
	db *sql.DB
	st *stmts // nil: nothing prepared (a tables{db} made for one job)
	m  *memo  // nil: nothing kept in memory
}

// migrate brings the adapter's tables up to the newest version, doing
// nothing when they are already there. It fails when a newer peerbot has
// migrated them further than this one knows.
func (t tables) migrate(ctx context.Context, log zerolog.Logger) error {
	db, err := dbutil.NewWithDB(t.db, store.DialectOf(t.db))
	if err != nil {
		return fmt.Errorf("matrix tables: %w", err)
	}
	db.VersionTable = versionTable
	db.UpgradeTable = upgrades
	db.Log = dbutil.ZeroLogger(log)
	if err := db.Upgrade(ctx); err != nil {
		if errors.Is(err, dbutil.ErrUnsupportedDatabaseVersion) {
			return fmt.Errorf("matrix tables: %w (a newer peerbot has upgraded this database: use that version or later)", err)
		}
		return fmt.Errorf("matrix tables: %w", err)
	}
	return nil
}

const (
	saveActionPending = `INSERT INTO peerbot_matrix_actions (event_id, emoji, command, reaction_id) VALUES (?, ?, ?, ?)
		ON CONFLICT (event_id, emoji) DO UPDATE SET command = excluded.command, reaction_id = excluded.reaction_id`
	saveAction = `INSERT INTO peerbot_matrix_actions (event_id, emoji, command) VALUES (?, ?, ?)
		ON CONFLICT (event_id, emoji) DO UPDATE SET command = excluded.command`
)

// saveActions records, in one transaction, that reacting with each
// action's emoji on ev runs its command; the bot's own reaction for those
// in react is marked pending in room until its id is written (syncStore.commit).
func (t tables) saveActions(ctx context.Context, room id.RoomID, ev id.EventID, offered []bot.Action, react map[string]bool) error {
	if len(offered) == 0 {
		return nil
	}
	// Prepared before the transaction takes the connection.
	t.st.get(ctx, t.db, saveActionPending)
	t.st.get(ctx, t.db, saveAction)
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save action: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, o := range offered {
		if react[o.Emoji] {
			_, err = t.txExec(ctx, tx, saveActionPending, ev.String(), o.Emoji, o.Command, pendingPrefix+room.String())
		} else {
			_, err = t.txExec(ctx, tx, saveAction, ev.String(), o.Emoji, o.Command)
		}
		if err != nil {
			return fmt.Errorf("save action: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save action: %w", err)
	}
	return nil
}

// pendingReaction is a reaction recorded but not known to be sent.
type pendingReaction struct {
	room  id.RoomID
	event id.EventID
	emoji string
}

// pendingReactions lists the reactions still marked pending.
func (t tables) pendingReactions(ctx context.Context) ([]pendingReaction, error) {
	rows, err := t.query(ctx, `SELECT event_id, emoji, reaction_id FROM peerbot_matrix_actions
		WHERE substr(reaction_id, 1, ?) = ? ORDER BY rowid`, len(pendingPrefix), pendingPrefix)
	if err != nil {
		return nil, fmt.Errorf("list pending reactions: %w", err)
	}
	defer rows.Close()
	var out []pendingReaction
	for rows.Next() {
		var p pendingReaction
		var reaction string
		if err := rows.Scan(&p.event, &p.emoji, &reaction); err != nil {
			return nil, fmt.Errorf("list pending reactions: %w", err)
		}
		if room, ok := pendingRoom(reaction); ok {
			p.room = room
			out = append(out, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list pending reactions: %w", err)
	}
	return out, nil
}

// storedAction is one action offered on a bot message.
type storedAction struct {
	Emoji, Command string
	Reaction       id.EventID
}

// actions lists the actions offered on ev, in the order they were added.
func (t tables) actions(ctx context.Context, ev id.EventID) ([]storedAction, error) {
	rows, err := t.query(ctx, `SELECT emoji, command, reaction_id FROM peerbot_matrix_actions WHERE event_id = ? ORDER BY rowid`, ev.String())
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
		if _, pending := pendingRoom(s.Reaction.String()); pending {
			s.Reaction = "" // never sent: nothing to withdraw
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
	if _, err := t.exec(ctx, `DELETE FROM peerbot_matrix_actions WHERE event_id = ? AND emoji = ?`, ev.String(), emoji); err != nil {
		return fmt.Errorf("delete action: %w", err)
	}
	return nil
}

// action returns the command behind a reaction, or "" when there is none.
func (t tables) action(ctx context.Context, ev id.EventID, emoji string) (string, error) {
	var cmd string
	err := t.queryRow(ctx, `SELECT command FROM peerbot_matrix_actions WHERE event_id = ? AND emoji = ?`, ev.String(), emoji).Scan(&cmd)
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
	err := t.queryRow(ctx, `SELECT room_id, declined FROM peerbot_matrix_dm WHERE user_id = ?`, user.String()).Scan(&room, &declined)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up dm room: %w", err)
	}
	return id.RoomID(room), declined, nil
}

func (t tables) setDM(ctx context.Context, user id.UserID, room id.RoomID) error {
	defer t.m.drop()
	_, err := t.exec(ctx, `INSERT INTO peerbot_matrix_dm (user_id, room_id, declined) VALUES (?, ?, 0)
		ON CONFLICT (user_id) DO UPDATE SET room_id = excluded.room_id, declined = 0`, user.String(), room.String())
	if err != nil {
		return fmt.Errorf("save dm room: %w", err)
	}
	return nil
}

// declineDM marks the member's DM room as left or rejected, if room is it.
func (t tables) declineDM(ctx context.Context, user id.UserID, room id.RoomID) error {
	defer t.m.drop()
	_, err := t.exec(ctx, `UPDATE peerbot_matrix_dm SET declined = 1 WHERE user_id = ? AND room_id = ?`, user.String(), room.String())
	if err != nil {
		return fmt.Errorf("mark dm declined: %w", err)
	}
	return nil
}

// dmMember returns the member whose DM room this is, or "".
func (t tables) dmMember(ctx context.Context, room id.RoomID) (id.UserID, error) {
	if t.m == nil {
		return t.readDMMember(ctx, room)
	}
	var u id.UserID
	var ok bool
	gen := t.m.read(func() { u, ok = t.m.dmMember[room] })
	if ok {
		return u, nil
	}
	u, err := t.readDMMember(ctx, room)
	if err == nil {
		t.m.keep(gen, func() { t.m.dmMember[room] = u })
	}
	return u, err
}

func (t tables) readDMMember(ctx context.Context, room id.RoomID) (id.UserID, error) {
	var user string
	err := t.queryRow(ctx, `SELECT user_id FROM peerbot_matrix_dm WHERE room_id = ?`, room.String()).Scan(&user)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up dm member: %w", err)
	}
	return id.UserID(user), nil
}

func (t tables) setJoined(ctx context.Context, room id.RoomID, at time.Time) error {
	defer t.m.drop()
	_, err := t.exec(ctx, `INSERT INTO peerbot_matrix_rooms (room_id, joined_ms) VALUES (?, ?)
		ON CONFLICT (room_id) DO UPDATE SET joined_ms = excluded.joined_ms`, room.String(), at.UnixMilli())
	if err != nil {
		return fmt.Errorf("save room join: %w", err)
	}
	return nil
}

// joined returns when the bot joined room, or the zero time if unknown.
func (t tables) joined(ctx context.Context, room id.RoomID) (time.Time, error) {
	if t.m == nil {
		return t.readJoined(ctx, room)
	}
	var at time.Time
	var ok bool
	gen := t.m.read(func() { at, ok = t.m.joined[room] })
	if ok {
		return at, nil
	}
	at, err := t.readJoined(ctx, room)
	if err == nil {
		t.m.keep(gen, func() { t.m.joined[room] = at })
	}
	return at, err
}

func (t tables) readJoined(ctx context.Context, room id.RoomID) (time.Time, error) {
	var ms int64
	err := t.queryRow(ctx, `SELECT joined_ms FROM peerbot_matrix_rooms WHERE room_id = ?`, room.String()).Scan(&ms)
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
	res, err := t.exec(ctx, `INSERT INTO peerbot_matrix_once (key) VALUES (?) ON CONFLICT (key) DO NOTHING`, key)
	if err != nil {
		return false, fmt.Errorf("record note: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record note: %w", err)
	}
	return n == 1, nil
}

// forgetOnce lets the note with key be sent again (its cause went away).
func (t tables) forgetOnce(ctx context.Context, key string) error {
	if _, err := t.exec(ctx, `DELETE FROM peerbot_matrix_once WHERE key = ?`, key); err != nil {
		return fmt.Errorf("forget note: %w", err)
	}
	return nil
}

// retireDM forgets room as user's DM room, and when the bot joined it, so
// that anything said there from now on is ignored (see Adapter.recent).
func (t tables) retireDM(ctx context.Context, user id.UserID, room id.RoomID) error {
	defer t.m.drop()
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("retire dm room: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `DELETE FROM peerbot_matrix_dm WHERE user_id = ? AND room_id = ?`, user.String(), room.String()); err != nil {
		return fmt.Errorf("retire dm room: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM peerbot_matrix_rooms WHERE room_id = ?`, room.String()); err != nil {
		return fmt.Errorf("retire dm room: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("retire dm room: %w", err)
	}
	return nil
}

// onceKeysOf lists the once-keys about user (see onceKeyUser).
func (t tables) onceKeysOf(ctx context.Context, user id.UserID) ([]string, error) {
	return onceKeysOf(ctx, t.db, user)
}

// queryer is a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func onceKeysOf(ctx context.Context, q queryer, user id.UserID) ([]string, error) {
	// The prefix narrows the scan; the user is matched exactly in Go, as
	// the whole id between the prefix and the last colon, so that @al:x
	// never matches @alice:x or @al:x.org.
	rows, err := q.QueryContext(ctx, `SELECT key FROM peerbot_matrix_once WHERE substr(key, 1, ?) = ?`,
		len(undecryptablePrefix), undecryptablePrefix)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, fmt.Errorf("list notes: %w", err)
		}
		if u, ok := onceKeyUser(key); ok && u == user {
			out = append(out, key)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	return out, nil
}

// forget deletes, in one transaction, user's DM room record, the join time
// of that room, and the once-keys about user. It returns the DM room, or ""
// when there was none.
func (t tables) forget(ctx context.Context, user id.UserID) (room id.RoomID, err error) {
	defer t.m.drop()
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("forget member: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var r string
	err = tx.QueryRowContext(ctx, `SELECT room_id FROM peerbot_matrix_dm WHERE user_id = ?`, user.String()).Scan(&r)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("forget member: %w", err)
	}
	if r != "" {
		if _, err = tx.ExecContext(ctx, `DELETE FROM peerbot_matrix_dm WHERE user_id = ?`, user.String()); err != nil {
			return "", fmt.Errorf("forget member: %w", err)
		}
		// Without its join time the room is unknown, so what is said there
		// is ignored rather than taken for a group's.
		if _, err = tx.ExecContext(ctx, `DELETE FROM peerbot_matrix_rooms WHERE room_id = ?1
			AND NOT EXISTS (SELECT 1 FROM peerbot_matrix_dm WHERE room_id = ?1)`, r); err != nil {
			return "", fmt.Errorf("forget member: %w", err)
		}
	}
	keys, err := onceKeysOf(ctx, tx, user)
	if err != nil {
		return "", fmt.Errorf("forget member: %w", err)
	}
	for _, k := range keys {
		if _, err = tx.ExecContext(ctx, `DELETE FROM peerbot_matrix_once WHERE key = ?`, k); err != nil {
			return "", fmt.Errorf("forget member: %w", err)
		}
	}
	if err = tx.Commit(); err != nil {
		return "", fmt.Errorf("forget member: %w", err)
	}
	return id.RoomID(r), nil
}
