package discord

import (
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

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

// onMemberRemove tells the core a member left.
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

func (a *Adapter) memberEvent(kind bot.EventKind, m *discordgo.Member, id string) {
	_, c, err := a.session()
	if err != nil {
		return
	}
	ev := bot.Event{
		Kind:   kind,
		Group:  bot.GroupID("discord:" + m.GuildID),
		Member: bot.Member{ID: bot.MemberID("discord:" + m.User.ID), Name: m.Nick},
	}
	if id != "" {
		ev.ID = "discord:" + id + ":" + m.GuildID + ":" + m.User.ID
	}
	if ev.Member.Name == "" {
		ev.Member.Name = m.User.GlobalName
	}
	if ev.Member.Name == "" {
		ev.Member.Name = m.User.Username
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
