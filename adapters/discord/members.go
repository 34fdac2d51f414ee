package discord

import (
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// memberOf describes a Discord user to the core: the display name they
// chose (the server nickname, else their display name, else their
// username; the core cleans it), and the handle that identifies them
// unambiguously for facilitators ("dana_99, id 400000000000000001").
func memberOf(u *discordgo.User, nick string) bot.Member {
	if u == nil {
		return bot.Member{}
	}
	return bot.Member{
		ID:     bot.MemberID("discord:" + u.ID),
		Name:   firstOf(nick, firstOf(u.GlobalName, u.Username)),
		Handle: userHandle(u),
	}
}

// userHandle is a user's unique username and id: two members may share a
// display name, or one may copy another's, but never these.
func userHandle(u *discordgo.User) string {
	name := u.Username
	if u.Discriminator != "" && u.Discriminator != "0" {
		name += "#" + u.Discriminator // an account not yet moved to unique usernames
	}
	return name + ", id " + u.ID
}

// onMemberAdd tells the core a member joined (only with
// discord.welcome_members, which needs the privileged Server Members
// intent). The event happens in the server's system channel, if any.
func (a *Adapter) onMemberAdd(_ *discordgo.Session, m *discordgo.GuildMemberAdd) {
	defer a.recoverPanic("member_add")
	if m == nil || m.Member == nil || m.User == nil || m.User.Bot {
		return
	}
	if a.afterEvent != nil {
		defer a.afterEvent("join:" + m.User.ID)
	}
	a.memberEvent(bot.EventJoin, m.Member, "join:"+strconv.FormatInt(m.JoinedAt.Unix(), 10))
}

// onMemberRemove tells the core a member left, was kicked or banned (only
// with the Server Members intent; without it the core's re-check,
// IsFacilitator, finds out before private words would go to them).
func (a *Adapter) onMemberRemove(_ *discordgo.Session, m *discordgo.GuildMemberRemove) {
	defer a.recoverPanic("member_remove")
	if m == nil || m.Member == nil || m.User == nil || m.User.Bot {
		return
	}
	if a.afterEvent != nil {
		defer a.afterEvent("leave:" + m.User.ID)
	}
	a.memberEvent(bot.EventLeave, m.Member, "")
}

// onMemberUpdate tells the core that a facilitator is one no more (only
// with the Server Members intent; without it IsFacilitator finds out). It
// speaks only of members this process has seen act as facilitators: a
// role change of anyone else is none of the core's business, and the
// core would store their name. Promotions need no event: a facilitator
// counts as one when they next act.
func (a *Adapter) onMemberUpdate(_ *discordgo.Session, m *discordgo.GuildMemberUpdate) {
	defer a.recoverPanic("member_update")
	if m == nil || m.Member == nil || m.User == nil || m.User.Bot {
		return
	}
	if a.afterEvent != nil {
		defer a.afterEvent("roles:" + m.User.ID)
	}
	key := m.GuildID + "/" + m.User.ID
	if _, seen := a.facilitators.Load(key); !seen {
		return
	}
	fac, err := a.memberIsFacilitator(a.ctx(), m.GuildID, m.User.ID, m.Roles)
	if err != nil {
		// Not knowing is not a demotion; IsFacilitator checks again
		// before private words go anywhere.
		a.log.Warn().Err(err).Str("guild_id", m.GuildID).Str("user_id", m.User.ID).Msg("Reading a member's roles failed")
		return
	}
	if fac {
		return
	}
	a.facilitators.Delete(key)
	a.memberEvent(bot.EventRoles, m.Member, "")
}

func (a *Adapter) memberEvent(kind bot.EventKind, m *discordgo.Member, id string) {
	_, c, err := a.session()
	if err != nil {
		return
	}
	ev := bot.Event{
		Kind:   kind,
		Group:  bot.GroupID("discord:" + m.GuildID),
		Member: memberOf(m.User, m.Nick),
	}
	if id != "" {
		ev.ID = "discord:" + id + ":" + m.GuildID + ":" + m.User.ID
	}
	g := a.guild(m.GuildID)
	ev.GroupName = g.name
	if g.systemChannel != "" {
		ev.Channel = bot.ChannelID("discord:" + g.systemChannel)
	}
	// The core logs a failure itself; there is nobody to answer.
	if out := c.Handle(a.ctx(), ev); out != bot.Done && out != bot.Duplicate {
		a.log.Debug().Str("outcome", out.String()).Str("guild_id", m.GuildID).Str("user_id", m.User.ID).Msg("Member event not done")
	}
}
