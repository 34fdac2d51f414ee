package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

// Plain text left by older schema versions.
//
// Migrations 002 and 006 move values that must be encrypted out of their
// tables into legacy_plain_* tables (SQL cannot encrypt). Open seals them
// into their rows and drops those tables (sealLegacy), in the transaction
// that first checks the key; secure_delete (see dsn) overwrites the plain
// text in the file, and a checkpoint then empties the write-ahead log.

// legacyTable is one legacy_plain_* table: a query of its rows and how each
// becomes an update of the row it belongs to.
type legacyTable struct {
	name   string
	query  string
	update string
	// row scans one row of query and returns update's arguments.
	row func(b *sealer, rows *sql.Rows) ([]any, error)
}

var legacyTables = []legacyTable{
	{
		name: "legacy_plain_words",
		query: `SELECT c.id, c.round_id, c.member_id, l.words
			FROM legacy_plain_words l JOIN check_ins c ON c.id = l.check_in_id`,
		update: `UPDATE check_ins SET words = ? WHERE id = ?`,
		row: func(b *sealer, rows *sql.Rows) ([]any, error) {
			var id, round int64
			var member bot.MemberID
			var words string
			err := rows.Scan(&id, &round, &member, &words)
			return []any{b.sealWords(round, member, words), id}, err
		},
	},
	{
		name: "legacy_plain_check_ins",
		query: `SELECT c.id, c.round_id, c.member_id, l.member_name, l.colour, l.private, l.hidden, l.passed
			FROM legacy_plain_check_ins l JOIN check_ins c ON c.id = l.check_in_id`,
		update: `UPDATE check_ins SET sealed = ? WHERE id = ?`,
		row: func(b *sealer, rows *sql.Rows) ([]any, error) {
			var id int64
			var c bot.CheckIn
			err := rows.Scan(&id, &c.Round, &c.Member, &c.MemberName, &c.Colour, &c.Private, &c.Hidden, &c.Passed)
			return []any{b.sealCheckIn(c), id}, err
		},
	},
	{
		name:   "legacy_plain_members",
		query:  `SELECT member_id, name, country, last_support_at FROM legacy_plain_members`,
		update: `UPDATE members SET sealed = ? WHERE id = ?`,
		row: func(b *sealer, rows *sql.Rows) ([]any, error) {
			var m bot.MemberRecord
			var support sql.NullInt64
			err := rows.Scan(&m.ID, &m.Name, &m.Country, &support)
			m.LastSupportAt = fromMillis(support)
			return []any{b.sealMember(m), m.ID}, err
		},
	},
	{
		name:   "legacy_plain_groups",
		query:  `SELECT group_id, name FROM legacy_plain_groups`,
		update: `UPDATE groups SET sealed = ? WHERE id = ?`,
		row: func(b *sealer, rows *sql.Rows) ([]any, error) {
			var id, name string
			err := rows.Scan(&id, &name)
			return []any{b.sealName(groupColumn, 0, id, name), id}, err
		},
	},
	{
		name:   "legacy_plain_agreements",
		query:  `SELECT group_id, version, set_name FROM legacy_plain_agreements`,
		update: `UPDATE agreements SET sealed = ? WHERE group_id = ? AND version = ?`,
		row: func(b *sealer, rows *sql.Rows) ([]any, error) {
			var g, name string
			var v int64
			err := rows.Scan(&g, &v, &name)
			return []any{b.sealName(agreementColumn, v, g, name), g, v}, err
		},
	},
	{
		name:   "legacy_plain_round_aggregates",
		query:  `SELECT round_id, green, amber, red, no_colour, passed FROM legacy_plain_round_aggregates`,
		update: `UPDATE round_aggregates SET sealed = ? WHERE round_id = ?`,
		row: func(b *sealer, rows *sql.Rows) ([]any, error) {
			var round int64
			var c RoundCounts
			err := rows.Scan(&round, &c.Green, &c.Amber, &c.Red, &c.NoColour, &c.Passed)
			return []any{b.sealCounts(round, c), round}, err
		},
	},
}

// hasLegacy reports whether any legacy_plain_* table is left.
func (s *Store) hasLegacy(ctx context.Context) (bool, error) {
	var n int
	q := `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name GLOB 'legacy_plain_*'`
	if s.dialect == DialectPostgres {
		q = `SELECT COUNT(*) FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name LIKE 'legacy\_plain\_%'`
	}
	err := s.queryRow(ctx, q).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read schema: %w", err)
	}
	return n > 0, nil
}

// sealLegacy seals the values of every legacy_plain_* table into their rows
// and drops the table. It reports whether there was anything to do.
func (s *Store) sealLegacy(ctx context.Context) (bool, error) {
	did := false
	for _, t := range legacyTables {
		var n int
		if err := s.queryRow(ctx, s.tableQuery(), t.name).Scan(&n); err != nil {
			return did, fmt.Errorf("seal plain text: %w", err)
		}
		if n == 0 {
			continue
		}
		rows, err := s.query(ctx, t.query)
		if err != nil {
			return did, fmt.Errorf("seal plain text of %s: %w", t.name, err)
		}
		var todo [][]any
		for rows.Next() {
			args, err := t.row(s.box, rows)
			if err != nil {
				rows.Close()
				return did, fmt.Errorf("seal plain text of %s: %w", t.name, err)
			}
			todo = append(todo, args)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return did, fmt.Errorf("seal plain text of %s: %w", t.name, err)
		}
		for _, args := range todo {
			if _, err := s.exec(ctx, t.update, args...); err != nil {
				return did, fmt.Errorf("seal plain text of %s: %w", t.name, err)
			}
		}
		if _, err := s.exec(ctx, `DROP TABLE `+t.name); err != nil {
			return did, fmt.Errorf("seal plain text of %s: %w", t.name, err)
		}
		did = true
		if len(todo) > 0 { // a new database has these tables too, empty
			s.log.Info().Str("table", t.name).Int("rows", len(todo)).Msg("Encrypted values stored in plain text by an older version")
		}
	}
	return did, nil
}

// tableQuery is a query counting the tables named by its one argument.
func (s *Store) tableQuery() string {
	if s.dialect == DialectPostgres {
		return `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	return `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`
}
