package store

import (
	"context"
	"fmt"

	"github.com/peerbot/peerbot/bot"
)

const groupColumns = `g.id, g.name, g.default_country, g.facilitators_channel, g.last_facilitator, g.timezone`

// Group returns a group's settings, or bot.ErrNotFound.
func (s *Store) Group(ctx context.Context, id bot.GroupID) (bot.Group, error) {
	row := s.queryRow(ctx, `SELECT `+groupColumns+` FROM groups g WHERE g.id = ?`, id)
	g, err := scanGroup(row)
	if err != nil {
		return bot.Group{}, fmt.Errorf("get group: %w", translate(err))
	}
	return g, nil
}

// SaveGroup creates or replaces a group's settings.
func (s *Store) SaveGroup(ctx context.Context, g bot.Group) error {
	_, err := s.exec(ctx, `
		INSERT INTO groups (id, name, default_country, facilitators_channel, last_facilitator, timezone)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			name = excluded.name,
			default_country = excluded.default_country,
			facilitators_channel = excluded.facilitators_channel,
			last_facilitator = excluded.last_facilitator,
			timezone = excluded.timezone`,
		g.ID, g.Name, g.DefaultCountry, g.FacilitatorsChannel, g.LastFacilitator, g.Timezone)
	if err != nil {
		return fmt.Errorf("save group: %w", translate(err))
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanGroup(sc scanner) (bot.Group, error) {
	var g bot.Group
	err := sc.Scan(&g.ID, &g.Name, &g.DefaultCountry, &g.FacilitatorsChannel, &g.LastFacilitator, &g.Timezone)
	return g, err
}
