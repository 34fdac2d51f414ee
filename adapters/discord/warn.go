package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Content warnings (!cw) on Discord. Without the privileged message
// content intent the bot cannot read members' posts, except through a
// message menu command: a facilitator opens a post's menu (Apps → "Add
// content warning"), Discord hands the bot that post, and a form asks for
// the topic. The post is held in memory only, for a few minutes, until
// the form comes back; the core then reposts it behind a spoiler
// (||…||) and the adapter deletes the original where the bot may
// (Manage Messages).

// cwHold is how long a post named through the menu is held for its form.
const cwHold = 10 * time.Minute

// maxHeld bounds the posts held at once.
const maxHeld = 100

// heldPosts are posts facilitators opened the menu on, by message id.
type heldPosts struct {
	mu sync.Mutex
	m  map[string]heldPost
}

type heldPost struct {
	post bot.Post
	at   time.Time
}

func (h *heldPosts) put(id string, p bot.Post, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]heldPost{}
	}
	for k, v := range h.m {
		if now.Sub(v.at) > cwHold || len(h.m) >= maxHeld {
			delete(h.m, k)
		}
	}
	h.m[id] = heldPost{post: p, at: now}
}

func (h *heldPosts) get(id string, now time.Time) (bot.Post, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.m[id]
	if !ok || now.Sub(v.at) > cwHold {
		return bot.Post{}, false
	}
	return v.post, true
}

func (h *heldPosts) drop(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.m, id)
}

// cwMenuCommand is the message menu entry, shown to members who may
// manage messages (Discord hides it from others; the core checks again).
func cwMenuCommand() *discordgo.ApplicationCommand {
	perms := facilitatorBits
	names := map[discordgo.Locale]string{}
	for _, l := range bot.Languages() {
		for _, loc := range discordLocales[l.Code()] {
			names[loc] = cut(bot.CWMenuName(l), 32)
		}
	}
	servers := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	return &discordgo.ApplicationCommand{
		Type:                     discordgo.MessageApplicationCommand,
		Name:                     cut(bot.CWMenuName(bot.Languages()[0]), 32),
		NameLocalizations:        &names,
		DefaultMemberPermissions: &perms,
		Contexts:                 &servers,
	}
}

// onCWMenu holds the post the menu was opened on and asks for the topic.
func (a *Adapter) onCWMenu(ctx context.Context, i *discordgo.Interaction, c bot.Core, data discordgo.ApplicationCommandInteractionData) {
	var m *discordgo.Message
	if data.Resolved != nil {
		m = data.Resolved.Messages[data.TargetID]
	}
	if m == nil || i.GuildID == "" || !isSnowflake(data.TargetID) {
		a.handle(ctx, i, c, bot.Unreadable(), "")
		return
	}
	author := memberOf(m.Author, "")
	if m.Member != nil {
		author = memberOf(m.Author, m.Member.Nick)
	}
	a.held.put(data.TargetID, bot.Post{
		Channel: bot.ChannelID("discord:" + firstOf(m.ChannelID, i.ChannelID)),
		Ref:     data.TargetID,
		Author:  author,
		Text:    m.Content,
	}, time.Now())
	table := c.Commands()
	spec, _ := table.Lookup("cw")
	lang := languageOf(ctx, c, i)
	in := bot.Input{Required: true, MaxLength: 100}
	title := bot.CWMenuName(lang)
	for _, arg := range spec.Args {
		if arg.Name == "topic" {
			in.Label, in.MaxLength = lang.ArgHelp(spec, arg), arg.Max
		}
	}
	a.respond(ctx, i, modal("cw "+data.TargetID, title, in))
}

// FindPost returns a post a facilitator opened the menu on (by its id,
// or a link to it). A post named only by a link cannot be read without
// the message content intent: bot.ErrPostUnreadable.
func (a *Adapter) FindPost(_ context.Context, g bot.GroupID, ch bot.ChannelID, ref string) (bot.Post, error) {
	id := ref
	if strings.Contains(ref, "/channels/") {
		parts := strings.Split(strings.TrimRight(ref, "/"), "/")
		if len(parts) < 3 || "discord:"+parts[len(parts)-3] != string(g) {
			return bot.Post{}, bot.ErrNotFound
		}
		id = parts[len(parts)-1]
	}
	if !isSnowflake(id) {
		return bot.Post{}, bot.ErrNotFound
	}
	if p, ok := a.held.get(id, time.Now()); ok {
		return p, nil
	}
	return bot.Post{}, bot.ErrPostUnreadable
}

// RemovePost deletes the original post. Without Manage Messages in its
// channel the bot may not: false, with no error.
func (a *Adapter) RemovePost(ctx context.Context, _ bot.GroupID, p bot.Post) (bool, error) {
	s, _, err := a.session()
	if err != nil {
		return false, err
	}
	defer a.held.drop(p.Ref)
	ch := strings.TrimPrefix(string(p.Channel), "discord:")
	err = s.ChannelMessageDelete(ch, p.Ref, discordgo.WithContext(ctx))
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusForbidden {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}
