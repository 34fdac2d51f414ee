package discord

import (
	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// onMessageCreate answers a plain message someone sent the bot in a DM:
// the core gets a bot.EventMessage without its text and answers every such
// message the same way, with a short pointer and a route to help. What the
// message says is never read: no keyword monitoring, and nothing of it is
// passed on or stored.
//
// Messages in servers are never read either: the bot asks for no guild
// messages intent, so Discord does not send them, and any that arrive all
// the same are ignored here. Slash commands used in a DM are interactions,
// not messages (onInteraction).
func (a *Adapter) onMessageCreate(_ *discordgo.Session, m *discordgo.MessageCreate) {
	defer a.recoverPanic("message")
	if m == nil || m.Message == nil {
		return
	}
	if a.afterEvent != nil {
		defer a.afterEvent("message:" + m.ID)
	}
	if !a.fromMemberInDM(m.Message) {
		return
	}
	_, c, err := a.session()
	if err != nil {
		return
	}
	ev := bot.Event{
		ID:      "discord:" + m.ID, // a redelivered message is answered once
		Kind:    bot.EventMessage,
		Private: true,
		Member:  memberOf(m.Author, ""),
	}
	// The core answers by DM and logs any failure itself: there is no
	// interaction here that would need a response of the adapter's.
	c.Handle(a.ctx(), ev)
}

// fromMemberInDM reports whether m is a message a person wrote to the bot
// in a DM: no server, not the bot's own or another bot's or a webhook's,
// and an ordinary message (or a reply), not a system message such as a
// call or a pin.
func (a *Adapter) fromMemberInDM(m *discordgo.Message) bool {
	if m.GuildID != "" || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return false
	}
	a.mu.Lock()
	self := a.botUser
	a.mu.Unlock()
	return m.Author.ID != "" && m.Author.ID != self
}
