package store

import (
	"context"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

const groupColumns = `g.id, g.sealed, g.default_country, g.facilitators_channel, g.last_facilitator, g.timezone, g.language`

// Group returns a group's settings, or bot.ErrNotFound. A sealed name that
// does not decrypt makes it fail with an error wrapping ErrCannotDecrypt.
func (s *Store) Group(ctx context.Context, id bot.GroupID) (bot.Group, error) {
	row := s.queryRow(ctx, `SELECT `+groupColumns+` FROM groups g WHERE g.id = ?`, id)
	g, err := s.scanGroup(row)
	if err != nil {
		return bot.Group{}, fmt.Errorf("get group: %w", translate(err))
	}
	return g, nil
}

// SaveGroup creates or replaces a group's settings. The name is stored
// encrypted, bound to the group.
func (s *Store) SaveGroup(ctx context.Context, g bot.Group) error {
	_, err := s.exec(ctx, `
		INSERT INTO groups (id, sealed, default_country, facilitators_channel, last_facilitator, timezone, language)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			sealed = excluded.sealed,
			default_country = excluded.default_country,
			facilitators_channel = excluded.facilitators_channel,
			last_facilitator = excluded.last_facilitator,
			timezone = excluded.timezone,
			language = excluded.language`,
		g.ID, s.box.sealName(groupColumn, 0, string(g.ID), g.Name), g.DefaultCountry, g.FacilitatorsChannel, g.LastFacilitator, g.Timezone, g.Language)
	if err != nil {
		return fmt.Errorf("save group: %w", translate(err))
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanGroup reads groupColumns and opens the name.
func (s *Store) scanGroup(sc scanner) (bot.Group, error) {
	var g bot.Group
	var sealed []byte
	if err := sc.Scan(&g.ID, &sealed, &g.DefaultCountry, &g.FacilitatorsChannel, &g.LastFacilitator, &g.Timezone, &g.Language); err != nil {
		return bot.Group{}, err
	}
	var err error
	g.Name, err = s.box.openName(groupColumn, 0, string(g.ID), sealed)
	return g, err
}
