package discord

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// onInteraction turns a slash command, button press, modal submission or
// autocomplete request into what the core needs, and makes sure Discord
// gets exactly one response to it.
func (a *Adapter) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	defer a.recoverPanic("interaction")
	if ic == nil || ic.Interaction == nil {
		return
	}
	i := ic.Interaction
	_, c, err := a.session()
	if err != nil {
		return
	}
	ctx := a.ctx()
	log := a.log.With().Str("interaction_id", i.ID).Str("guild_id", i.GuildID).Logger()
	if a.afterInteraction != nil {
		defer a.afterInteraction(i.ID)
	}

	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, i, c)
		return
	case discordgo.InteractionApplicationCommand:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			log.Warn().Msg("Slash command without data")
			return
		}
		sl, err := commandLine(c.Commands(), data)
		if err != nil {
			log.Warn().Err(err).Msg("Unknown slash command")
			a.respondText(ctx, i, bot.T("I don't know that command any more. Try /help."))
			return
		}
		if sl.Modal != nil {
			a.respond(ctx, i, modal(sl.Line, titleCase(sl.Title), *sl.Modal.Input))
			return
		}
		a.handleLine(ctx, i, c, sl.Line, "")
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return
		}
		switch {
		case strings.HasPrefix(data.CustomID, idAsk):
			cmd := strings.TrimPrefix(data.CustomID, idAsk)
			title, in := a.askFor(c.Commands(), cmd)
			a.respond(ctx, i, modal(cmd, title, in))
		case strings.HasPrefix(data.CustomID, idRun):
			a.handleLine(ctx, i, c, strings.TrimPrefix(data.CustomID, idRun), "")
		case strings.HasPrefix(data.CustomID, idGroup):
			guild, cmd, _ := strings.Cut(strings.TrimPrefix(data.CustomID, idGroup), ":")
			a.handleLine(ctx, i, c, cmd, guild)
		default:
			log.Debug().Msg("Button that is not ours")
		}
	case discordgo.InteractionModalSubmit:
		data, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		if !ok || !strings.HasPrefix(data.CustomID, idModal) {
			log.Warn().Msg("Modal submission without usable data")
			a.respondText(ctx, i, bot.T("Sorry, I couldn't read that form. Please try again."))
			return
		}
		line := strings.TrimPrefix(data.CustomID, idModal)
		if text := modalText(data); text != "" {
			line += " " + text
		}
		a.handleLine(ctx, i, c, line, "")
	}
}

// handleLine hands the command line an interaction stands for to the core
// as an event, then makes sure the interaction got its one response.
// guild names the group of a button pressed in a DM, when the button said.
func (a *Adapter) handleLine(ctx context.Context, i *discordgo.Interaction, c core, line, guild string) {
	cmd, ok := bot.ParseLine(line)
	if !ok {
		a.respondText(ctx, i, bot.T("I don't know that command. Try /help."))
		return
	}
	ev := a.event(i, cmd)
	if guild = firstOf(i.GuildID, guild); ev.Group == "" && isSnowflake(guild) {
		ev.Group = bot.GroupID("discord:" + guild)
		ev.GroupName = a.guild(guild).name
	}
	p := a.inter.begin(i)
	defer a.inter.end(i.ID)
	timer := time.AfterFunc(a.deferAfter, func() { a.deferResponse(ctx, p) })
	defer timer.Stop()
	defer func() {
		if r := recover(); r != nil {
			a.log.Error().Str("interaction_id", i.ID).Str("command", cmd.Name).Str("panic_type", fmt.Sprintf("%T", r)).
				Str("stack", string(debug.Stack())).Msg("Recovered from a panic while handling a command")
			a.finish(ctx, p, textSorry)
		}
	}()
	err := c.Handle(ctx, ev)
	timer.Stop()
	if err != nil {
		a.log.Error().Err(err).Str("interaction_id", i.ID).Str("command", cmd.Name).Msg("Handling a command failed")
		a.finish(ctx, p, textSorry)
		return
	}
	if cmd.Name == "agree" && a.cfg.AgreedRole != "" && isSnowflake(guild) {
		a.grantAgreedRole(ctx, i, guild, p.user())
	}
	a.finish(ctx, p, bot.T("Done."))
}

// event builds the core's event for an interaction.
func (a *Adapter) event(i *discordgo.Interaction, cmd bot.Command) bot.Event {
	ev := bot.Event{
		ID:      "discord:" + i.ID,
		Kind:    bot.EventCommand,
		Private: true, // the answer can be ephemeral: nobody else saw the input
		Command: cmd,
	}
	if i.GuildID != "" {
		ev.Group = bot.GroupID("discord:" + i.GuildID)
		ev.Channel = bot.ChannelID("discord:" + i.ChannelID)
		ev.GroupName = a.guild(i.GuildID).name
	}
	ev.Member = a.member(i)
	return ev
}

// member describes who caused an interaction. In a guild they are a
// facilitator when they hold a configured facilitator role, or else when
// their permissions in this channel include Manage Server, Manage Messages
// or Administrator.
func (a *Adapter) member(i *discordgo.Interaction) bot.Member {
	var u *discordgo.User
	var m bot.Member
	if i.Member != nil {
		u = i.Member.User
		m.Name = i.Member.Nick
		if len(a.cfg.FacilitatorRoles) > 0 {
			for _, r := range i.Member.Roles {
				if slices.Contains(a.cfg.FacilitatorRoles, r) {
					m.Facilitator = true
				}
			}
		} else {
			m.Facilitator = i.Member.Permissions&(discordgo.PermissionManageGuild|
				discordgo.PermissionManageMessages|discordgo.PermissionAdministrator) != 0
		}
	}
	if u == nil {
		u = i.User
	}
	if u != nil {
		m.ID = bot.MemberID("discord:" + u.ID)
		if m.Name == "" {
			m.Name = u.GlobalName
		}
		if m.Name == "" {
			m.Name = u.Username
		}
	}
	return m
}

// autocomplete offers countries for an ArgCountry option.
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction, c core) {
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return
	}
	typed := strings.ToLower(focusedValue(data.Options))
	var choices []*discordgo.ApplicationCommandOptionChoice
	if dir := c.Crisis(); dir != nil {
		for _, k := range dir.Countries() {
			if typed == "" || strings.HasPrefix(strings.ToLower(k.Name), typed) || strings.EqualFold(k.Code, typed) {
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: cut(k.Name, maxChoiceLen), Value: k.Code})
				if len(choices) == maxChoices {
					break
				}
			}
		}
	}
	a.respond(ctx, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
}

// focusedValue finds the option the member is typing in.
func focusedValue(opts []*discordgo.ApplicationCommandInteractionDataOption) string {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if o.Focused {
			return optionString(o.Value)
		}
		if v := focusedValue(o.Options); v != "" {
			return v
		}
	}
	return ""
}

// grantAgreedRole gives the member who ran /agree the configured role
// (channel gating, like Rules Screening). Failure is logged, not shown: the
// agreement itself was recorded.
func (a *Adapter) grantAgreedRole(ctx context.Context, i *discordgo.Interaction, guild, user string) {
	if user == "" || (i.Member != nil && slices.Contains(i.Member.Roles, a.cfg.AgreedRole)) {
		return
	}
	s, _, err := a.session()
	if err != nil {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, restTimeout)
	defer cancel()
	if err := s.GuildMemberRoleAdd(guild, user, a.cfg.AgreedRole, discordgo.WithContext(rctx)); err != nil {
		a.log.Warn().Err(err).Str("guild_id", guild).Str("user_id", user).Msg("Granting the agreed role failed")
	}
}

// textSorry is said when handling failed on the bot's side.
var textSorry = bot.T("Sorry, something went wrong on my side. Please try again in a moment.")

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
