package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Who is a facilitator is decided from server-level rights only: a role in
// discord.facilitator_roles, or, when none are configured, Manage Server,
// Manage Messages or Administrator from the member's roles (and
// @everyone), or owning the server. A channel's permission overwrites
// never count: a member who moderates one channel does not facilitate the
// whole server. Discord's interaction carries the member's permissions in
// the channel, overwrites included, so they are not used; the member's
// roles are, with the roles' server-wide permissions the adapter keeps
// from GUILD_CREATE and the role events (or reads once by REST).

// facilitatorPerms are the server-wide permissions that make a member a
// facilitator when discord.facilitator_roles is empty.
const facilitatorPerms = discordgo.PermissionManageGuild | discordgo.PermissionManageMessages | discordgo.PermissionAdministrator

// JSON error codes of members and servers that no longer exist for the
// bot.
const (
	codeUnknownGuild  = discordgo.ErrCodeUnknownGuild
	codeUnknownMember = discordgo.ErrCodeUnknownMember
	codeUnknownUser   = discordgo.ErrCodeUnknownUser
)

// guildInfo is what the adapter remembers about a server. Values are never
// changed once stored (a change stores a new one), so readers need no lock.
type guildInfo struct {
	name          string
	systemChannel string
	owner         string
	// roles are each role's server-wide permissions, @everyone's under
	// the server's id; nil until known.
	roles map[string]int64
}

// facilitator decides whether a member of server gid with these roles is
// a facilitator (see above). When a permission that makes facilitators is
// granted to @everyone, permissions make nobody a facilitator: everyone
// would be one, and would receive members' private words.
func (a *Adapter) facilitator(g guildInfo, gid, user string, roles []string) bool {
	if len(a.cfg.FacilitatorRoles) > 0 {
		for _, r := range roles {
			if slices.Contains(a.cfg.FacilitatorRoles, r) {
				return true
			}
		}
		return false
	}
	if user != "" && user == g.owner {
		return true
	}
	if g.roles[gid]&facilitatorPerms != 0 {
		if _, done := a.warned.LoadOrStore(gid, true); !done {
			a.log.Warn().Str("guild_id", gid).Msg("@everyone has Manage Server, Manage Messages or Administrator; nobody counts as a facilitator by permissions (set discord.facilitator_roles)")
		}
		return false
	}
	var p int64
	for _, r := range roles {
		p |= g.roles[r]
	}
	return p&facilitatorPerms != 0
}

// memberIsFacilitator decides for a member of server gid with these roles,
// reading the server's roles first if they are not known (or one of these
// is not). An error means it could not tell.
func (a *Adapter) memberIsFacilitator(ctx context.Context, gid, user string, roles []string) (bool, error) {
	g, err := a.guildRoles(ctx, gid, roles)
	if err != nil {
		return false, err
	}
	return a.facilitator(g, gid, user, roles), nil
}

// IsFacilitator reports whether member m is a facilitator of group g now:
// it reads the member's roles again (GET /guilds/{g}/members/{u}, paced by
// Discord's rate limits) and decides as for an interaction. Someone who
// left, was kicked or banned (404 Unknown Member) is not one, and neither
// is anyone once the bot has left the server. Discord tells bots about
// leaving members only with the privileged server members intent, so the
// core asks this before private words go to its fallback facilitator. An
// error means Discord could not be asked; the core then sends nothing to
// that member.
func (a *Adapter) IsFacilitator(ctx context.Context, g bot.GroupID, m bot.MemberID) (bool, error) {
	gid := guildOf(g)
	uid, ok := strings.CutPrefix(string(m), "discord:")
	if gid == "" || !ok || !isSnowflake(uid) {
		return false, nil
	}
	s, _, err := a.session()
	if err != nil {
		return false, err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	mem, err := s.GuildMember(gid, uid, discordgo.WithContext(rctx))
	switch {
	case isCode(err, codeUnknownMember), isCode(err, codeUnknownUser), isCode(err, codeUnknownGuild):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("discord: check facilitator: %w", err)
	}
	return a.memberIsFacilitator(rctx, gid, uid, mem.Roles)
}

// guildRoles returns what is known about server gid, with its roles read
// by REST (GET /guilds/{g}) when they are not known yet or lack one of
// need (a role made while the gateway was away).
func (a *Adapter) guildRoles(ctx context.Context, gid string, need []string) (guildInfo, error) {
	g := a.guild(gid)
	if g.roles != nil && !slices.ContainsFunc(need, func(r string) bool { _, ok := g.roles[r]; return !ok }) {
		return g, nil
	}
	s, _, err := a.session()
	if err != nil {
		return g, err
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	full, err := s.Guild(gid, discordgo.WithContext(rctx))
	if err != nil {
		return g, fmt.Errorf("discord: read server roles: %w", err)
	}
	a.updateGuild(gid, func(g *guildInfo) {
		g.owner = full.OwnerID
		g.roles = rolePerms(full.Roles)
	})
	return a.guild(gid), nil
}

// rolePerms maps roles to their server-wide permissions.
func rolePerms(roles []*discordgo.Role) map[string]int64 {
	m := make(map[string]int64, len(roles))
	for _, r := range roles {
		if r != nil {
			m[r.ID] = r.Permissions
		}
	}
	return m
}

// updateGuild changes what is known about server gid.
func (a *Adapter) updateGuild(gid string, change func(*guildInfo)) {
	a.guildMu.Lock()
	defer a.guildMu.Unlock()
	g := a.guild(gid)
	change(&g)
	a.guilds.Store(gid, g)
}

// guild returns what is known about a server.
func (a *Adapter) guild(id string) guildInfo {
	v, _ := a.guilds.Load(id)
	g, _ := v.(guildInfo)
	return g
}

func (a *Adapter) onGuildCreate(_ *discordgo.Session, g *discordgo.GuildCreate) {
	defer a.recoverPanic("guild_create")
	if g != nil && g.Guild != nil {
		a.rememberGuild(g.Guild)
	}
}

func (a *Adapter) onGuildUpdate(_ *discordgo.Session, g *discordgo.GuildUpdate) {
	defer a.recoverPanic("guild_update")
	if g != nil && g.Guild != nil {
		a.rememberGuild(g.Guild)
	}
}

// rememberGuild keeps a server's name, system channel, owner and roles.
func (a *Adapter) rememberGuild(full *discordgo.Guild) {
	a.updateGuild(full.ID, func(g *guildInfo) {
		g.name, g.systemChannel = full.Name, full.SystemChannelID
		if full.OwnerID != "" {
			g.owner = full.OwnerID
		}
		if len(full.Roles) > 0 {
			g.roles = rolePerms(full.Roles)
		}
	})
}

// onGuildDelete forgets a server the bot was removed from. A server that
// is only unavailable (an outage) is kept.
func (a *Adapter) onGuildDelete(_ *discordgo.Session, g *discordgo.GuildDelete) {
	defer a.recoverPanic("guild_delete")
	if g != nil && g.Guild != nil && !g.Unavailable {
		a.guildMu.Lock()
		a.guilds.Delete(g.ID)
		a.guildMu.Unlock()
	}
}

// onRoleCreate, onRoleUpdate and onRoleDelete keep the roles' permissions
// current (these events come with the guilds intent).
func (a *Adapter) onRoleCreate(_ *discordgo.Session, r *discordgo.GuildRoleCreate) {
	defer a.recoverPanic("role_create")
	if r != nil && r.GuildRole != nil {
		a.setRole(r.GuildID, r.Role)
	}
}

func (a *Adapter) onRoleUpdate(_ *discordgo.Session, r *discordgo.GuildRoleUpdate) {
	defer a.recoverPanic("role_update")
	if r != nil && r.GuildRole != nil {
		a.setRole(r.GuildID, r.Role)
	}
}

func (a *Adapter) setRole(gid string, r *discordgo.Role) {
	if r == nil {
		return
	}
	a.updateGuild(gid, func(g *guildInfo) {
		if g.roles == nil {
			return // read in full when first needed
		}
		roles := make(map[string]int64, len(g.roles)+1)
		for k, v := range g.roles {
			roles[k] = v
		}
		roles[r.ID] = r.Permissions
		g.roles = roles
	})
	if a.afterEvent != nil {
		a.afterEvent("role:" + r.ID)
	}
}

func (a *Adapter) onRoleDelete(_ *discordgo.Session, r *discordgo.GuildRoleDelete) {
	defer a.recoverPanic("role_delete")
	if r == nil {
		return
	}
	a.updateGuild(r.GuildID, func(g *guildInfo) {
		if g.roles == nil {
			return
		}
		roles := make(map[string]int64, len(g.roles))
		for k, v := range g.roles {
			if k != r.RoleID {
				roles[k] = v
			}
		}
		g.roles = roles
	})
	if a.afterEvent != nil {
		a.afterEvent("role:" + r.RoleID)
	}
}
