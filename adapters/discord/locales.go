package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Discord's localizations of the bot's commands. Command and option names
// stay English in every language (what members type stays stable, and a
// translated name could collide with another); descriptions and choice
// labels carry the catalog's languages, so a member's Discord app shows
// them in its language.

// discordLocales are Discord's locales for each of the core's languages
// besides English (the default, shown to every other locale).
var discordLocales = map[string][]discordgo.Locale{
	"de":    {discordgo.German},
	"es":    {discordgo.SpanishES, discordgo.SpanishLATAM},
	"fr":    {discordgo.French},
	"pt-BR": {discordgo.PortugueseBR},
}

// localized returns the localizations of a description: f's words in each
// language but English, within Discord's limit (fallback when empty).
func localized(f func(l *bot.Lang) string, fallback string) map[discordgo.Locale]string {
	m := map[discordgo.Locale]string{}
	for _, l := range bot.Languages() {
		for _, loc := range discordLocales[l.Code()] {
			m[loc] = description(f(l), fallback)
		}
	}
	return m
}

// summaryIn localizes a command's summary.
func summaryIn(s *bot.CommandSpec) map[discordgo.Locale]string {
	return localized(func(l *bot.Lang) string { return l.Summary(s) }, s.Name)
}

// localizedPtr is localized for fields Discord's library keeps as pointers.
func localizedPtr(m map[discordgo.Locale]string) *map[discordgo.Locale]string { return &m }

// choiceIn localizes a choice's label.
func choiceIn(s *bot.CommandSpec, a bot.Arg, ch bot.Choice) map[discordgo.Locale]string {
	return localized(func(l *bot.Lang) string {
		return cut(l.ChoiceLabel(s, a, ch), maxChoiceLen)
	}, ch.Value)
}

// noticeFor is implemented by cores that say a standing notice in the
// language of the member's private answers (bot.Bot).
type noticeFor interface {
	NoticeFor(ctx context.Context, n bot.Notice, platform string, ev bot.Event) bot.Text
}

// notice is core c's standing notice n for the member of ev, in their
// language where c can tell.
func notice(ctx context.Context, c bot.Core, n bot.Notice, ev bot.Event) bot.Text {
	if nf, ok := c.(noticeFor); ok {
		return nf.NoticeFor(ctx, n, platform, ev)
	}
	return c.Notice(n, platform)
}

// languageFor is implemented by cores that can tell the language of a
// member's private answers (bot.Bot).
type languageFor interface {
	LanguageFor(ctx context.Context, ev bot.Event) *bot.Lang
}

// languageOf is the language of the private answers to the member of
// interaction i, for what the adapter shows itself (a form's labels):
// asked of core c where it can tell, else the member's app language, else
// English. It asks nothing of Discord, so a form still opens within the
// 3 seconds Discord allows.
func languageOf(ctx context.Context, c bot.Core, i *discordgo.Interaction) *bot.Lang {
	ev := bot.Event{Locale: string(i.Locale)}
	if i.GuildID != "" {
		ev.Group = bot.GroupID("discord:" + i.GuildID)
	}
	switch {
	case i.Member != nil && i.Member.User != nil:
		ev.Member.ID = bot.MemberID("discord:" + i.Member.User.ID)
	case i.User != nil:
		ev.Member.ID = bot.MemberID("discord:" + i.User.ID)
	}
	if lf, ok := c.(languageFor); ok && ev.Member.ID != "" {
		return lf.LanguageFor(ctx, ev)
	}
	if l, ok := bot.LanguageOf(ev.Locale); ok {
		return l
	}
	return bot.Languages()[0]
}
