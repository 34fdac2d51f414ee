package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// FacilitatorsOnly reports whether only facilitators can read channel ch of
// group g: neither @everyone nor any role that is not a facilitators' role
// may view it (server permissions, then the channel's overwrites, as
// Discord computes them), and no member is let in one by one. A channel
// the bot cannot see or that is in another server is refused with a
// *bot.PlaceError saying why (the core words it).
func (a *Adapter) FacilitatorsOnly(ctx context.Context, g bot.GroupID, ch bot.ChannelID) (bool, error) {
	s, _, err := a.session()
	if err != nil {
		return false, err
	}
	gid, ok := strings.CutPrefix(string(g), "discord:")
	if !ok || gid == "" {
		return false, &bot.PlaceError{Problem: bot.PlaceNeedsGroup}
	}
	cid, ok := strings.CutPrefix(string(ch), "discord:")
	if !ok || cid == "" {
		return false, &bot.PlaceError{Problem: bot.PlaceOtherGroup}
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	c, err := s.Channel(cid, discordgo.WithContext(rctx))
	if err != nil {
		if isStatus(err, 404) || isStatus(err, 403) {
			return false, &bot.PlaceError{Problem: bot.PlaceBotAbsent}
		}
		return false, fmt.Errorf("discord: check facilitators' channel: %w", err)
	}
	if c.GuildID != gid {
		return false, &bot.PlaceError{Problem: bot.PlaceOtherGroup}
	}
	roles, err := s.GuildRoles(gid, discordgo.WithContext(rctx))
	if err != nil {
		return false, fmt.Errorf("discord: check facilitators' channel: read roles: %w", err)
	}
	if everyoneCanView(gid, roles, c.PermissionOverwrites) {
		return false, nil // the core tells the member why
	}
	for _, r := range roles {
		if r == nil || r.ID == gid || a.facilitatorRole(r) {
			continue
		}
		if roleCanView(gid, r, roles, c.PermissionOverwrites) {
			return false, nil
		}
	}
	for _, o := range c.PermissionOverwrites {
		if o != nil && o.Type == discordgo.PermissionOverwriteTypeMember && o.Allow&discordgo.PermissionViewChannel != 0 {
			return false, nil // a member let in by name: we cannot tell who
		}
	}
	return true, nil
}

// facilitatorRole reports whether members with role r count as
// facilitators: a role in discord.facilitator_roles, or when none are
// configured one with Manage Server or Manage Messages; administrators
// always.
func (a *Adapter) facilitatorRole(r *discordgo.Role) bool {
	if r.Permissions&discordgo.PermissionAdministrator != 0 {
		return true
	}
	if len(a.cfg.FacilitatorRoles) > 0 {
		for _, id := range a.cfg.FacilitatorRoles {
			if id == r.ID {
				return true
			}
		}
		return false
	}
	return r.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionManageMessages) != 0
}

// roleCanView computes whether members holding role r (and @everyone) may
// view a channel: base permissions of both, then the @everyone overwrite,
// then r's overwrite.
func roleCanView(gid string, r *discordgo.Role, roles []*discordgo.Role, ows []*discordgo.PermissionOverwrite) bool {
	perm := r.Permissions
	for _, e := range roles {
		if e != nil && e.ID == gid {
			perm |= e.Permissions
		}
	}
	if perm&discordgo.PermissionAdministrator != 0 {
		return true
	}
	for _, id := range []string{gid, r.ID} {
		for _, o := range ows {
			if o != nil && o.ID == id && o.Type == discordgo.PermissionOverwriteTypeRole {
				perm &^= o.Deny
				perm |= o.Allow
			}
		}
	}
	return perm&discordgo.PermissionViewChannel != 0
}

// everyoneCanView computes whether the @everyone role (whose id is the
// guild's) may view a channel, the way Discord does: the role's base
// permissions, Administrator allowing everything, then the channel's
// @everyone overwrite (deny, then allow).
func everyoneCanView(gid string, roles []*discordgo.Role, ows []*discordgo.PermissionOverwrite) bool {
	var perm int64
	for _, r := range roles {
		if r != nil && r.ID == gid {
			perm = r.Permissions
		}
	}
	if perm&discordgo.PermissionAdministrator != 0 {
		return true
	}
	for _, o := range ows {
		if o != nil && o.ID == gid && o.Type == discordgo.PermissionOverwriteTypeRole {
			perm &^= o.Deny
			perm |= o.Allow
		}
	}
	return perm&discordgo.PermissionViewChannel != 0
}

// ResolveChannel turns what a facilitator typed ("<#123>", "#team",
// "123", "team") into a text channel of group g. A channel it cannot find
// is a *bot.PlaceError.
func (a *Adapter) ResolveChannel(ctx context.Context, g bot.GroupID, ref string) (bot.ChannelID, error) {
	s, _, err := a.session()
	if err != nil {
		return "", err
	}
	gid, ok := strings.CutPrefix(string(g), "discord:")
	if !ok || gid == "" {
		return "", &bot.PlaceError{Problem: bot.PlaceNeedsGroup}
	}
	ref = strings.TrimSpace(ref)
	if id, ok := strings.CutPrefix(ref, "<#"); ok && strings.HasSuffix(id, ">") {
		ref = strings.TrimSuffix(id, ">")
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	chans, err := s.GuildChannels(gid, discordgo.WithContext(rctx))
	if err != nil {
		return "", fmt.Errorf("discord: resolve channel: %w", err)
	}
	name := strings.ToLower(strings.TrimPrefix(ref, "#"))
	for _, c := range chans {
		if c == nil || (c.Type != discordgo.ChannelTypeGuildText && c.Type != discordgo.ChannelTypeGuildPrivateThread) {
			continue
		}
		if c.ID == ref || strings.ToLower(c.Name) == name {
			return bot.ChannelID("discord:" + c.ID), nil
		}
	}
	return "", &bot.PlaceError{Problem: bot.PlaceNotFound}
}

// isStatus reports whether err is a Discord REST error with HTTP status code.
func isStatus(err error, code int) bool {
	var re *discordgo.RESTError
	return errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == code
}
