package discordtest

// Messages members write, and the MESSAGE_CREATE events Discord sends the
// bot for messages, as far as the bot's intents allow:
//   - in a DM with the bot (members' and the bot's own), only with the
//     DIRECT_MESSAGES intent; a DM's content is included without the
//     privileged MESSAGE_CONTENT intent;
//   - in a server's channel, only with the GUILD_MESSAGES intent, and then
//     with empty content, embeds, attachments and components unless the
//     bot has MESSAGE_CONTENT (or wrote the message itself).
// The event is a message object with, in a server, guild_id and a partial
// member; in a DM it has neither.

// DM sends a message from user to the bot in their DM channel, which
// Discord creates when the member opens the DM (the bot's POST
// /users/@me/channels then returns the same channel). It returns the
// message id. The bot gets MESSAGE_CREATE only with the direct messages
// intent.
func (f *Server) DM(user, content string) string {
	f.mu.Lock()
	u := f.users[user]
	if u == nil {
		f.mu.Unlock()
		f.t.Fatalf("fake discord: unknown user %s", user)
		return ""
	}
	if u.dmChannelID == "" {
		u.dmChannelID = f.newID()
		f.channels[u.dmChannelID] = &Channel{ID: u.dmChannelID, Type: 1, Recipient: u.ID}
	}
	m := &Message{ID: f.newID(), ChannelID: u.dmChannelID, Author: user, Content: content}
	f.messages[m.ID] = m
	ev := f.messageCreate(m)
	f.mu.Unlock()
	f.send(ev)
	return m.ID
}

// Post sends a message from user in a server's channel. It returns the
// message id. The bot gets MESSAGE_CREATE only with the guild messages
// intent, and its content only with the message content intent.
func (f *Server) Post(user, channel, content string) string {
	f.mu.Lock()
	c := f.channels[channel]
	if c == nil || c.GuildID == "" || f.users[user] == nil {
		f.mu.Unlock()
		f.t.Fatalf("fake discord: %s cannot post in %s", user, channel)
		return ""
	}
	m := &Message{ID: f.newID(), ChannelID: channel, Author: user, Content: content}
	f.messages[m.ID] = m
	ev := f.messageCreate(m)
	f.mu.Unlock()
	f.send(ev)
	return m.ID
}

// messageCreate returns the MESSAGE_CREATE event for m: to the sessions
// whose intents let Discord send it, without a server message's content to
// those without the message content intent. Callers hold f.mu, and send
// after releasing it.
func (f *Server) messageCreate(m *Message) event {
	c := f.channels[m.ChannelID]
	if c == nil {
		return event{}
	}
	j := f.messageJSON(m)
	j["tts"], j["pinned"], j["mention_everyone"] = false, false, false
	j["mention_roles"], j["edited_timestamp"], j["flags"] = []any{}, nil, 0
	j["components"] = m.Components
	if m.Components == nil {
		j["components"] = []any{}
	}
	ev := event{name: "MESSAGE_CREATE", data: j}
	if c.GuildID == "" {
		ev.need = intentDirectMessages
		return ev
	}
	ev.guild, ev.need = c.GuildID, intentGuildMessages
	j["guild_id"] = c.GuildID
	if u := f.users[m.Author]; u != nil {
		j["member"] = map[string]any{"roles": memberRoles(u), "joined_at": "2026-01-01T00:00:00Z",
			"nick": nilIfEmpty(u.Nick), "deaf": false, "mute": false, "flags": 0}
	}
	if m.Author != "" { // the bot's own messages come with their content
		bare := make(map[string]any, len(j))
		for k, v := range j {
			bare[k] = v
		}
		bare["content"], bare["embeds"], bare["attachments"], bare["components"] = "", []any{}, []any{}, []any{}
		ev.lackingIntent, ev.lacking = intentMessageContent, bare
	}
	return ev
}
