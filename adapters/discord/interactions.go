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
	table := c.Commands()

	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(ctx, i, c)
	case discordgo.InteractionApplicationCommand:
		data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
		if data.CommandType == discordgo.MessageApplicationCommand {
			a.onCWMenu(ctx, i, c, data)
			return
		}
		cmd, err := a.slashSet().command(table, data)
		if err != nil {
			log.Warn().Err(err).Msg("Slash command not in the registered table")
			a.handle(ctx, i, c, bot.Unreadable(), "")
			return
		}
		if form, ok := formNeeded(cmd); ok {
			lang := languageOf(ctx, c, i)
			title := firstOf(lang.Summary(cmd.Spec()), form.Input.Label)
			in, _ := inputFor(cmd)
			in.Label = firstOf(lang.InputLabel(cmd.Spec(), form), in.Label)
			a.respond(ctx, i, modal(cmd.Name, title, in))
			return
		}
		a.handle(ctx, i, c, cmd, "")
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return
		}
		switch id := data.CustomID; {
		case strings.HasPrefix(id, idAsk):
			line := strings.TrimPrefix(id, idAsk)
			title, in, ok := a.askFor(table, line)
			if !ok {
				a.handle(ctx, i, c, bot.Unreadable(), "")
				return
			}
			a.respond(ctx, i, modal(line, title, in))
		case strings.HasPrefix(id, idRun):
			a.handle(ctx, i, c, lineCommand(table, strings.TrimPrefix(id, idRun)), "")
		case strings.HasPrefix(id, idGroup):
			guild, line, _ := strings.Cut(strings.TrimPrefix(id, idGroup), ":")
			a.handle(ctx, i, c, lineCommand(table, line), guild)
		default:
			log.Debug().Msg("Button that is not ours")
		}
	case discordgo.InteractionModalSubmit:
		data, _ := i.Data.(discordgo.ModalSubmitInteractionData)
		line, ours := strings.CutPrefix(data.CustomID, idModal)
		text, found := modalText(data)
		cmd := lineCommand(table, line)
		if !ours || !found {
			log.Warn().Msg("Modal submission without usable data")
			cmd = bot.Unreadable()
		}
		a.handle(ctx, i, c, cmd.WithInput(text), "")
	}
}

// lineCommand reads a command line the core generated (a button's or a
// modal's custom id), or returns bot.Unreadable.
func lineCommand(t *bot.Table, line string) bot.Command {
	if cmd, ok := t.ParseLine(line); ok {
		return cmd
	}
	return bot.Unreadable()
}

// handle hands the command an interaction stands for to the core as an
// event, then makes sure the interaction got its one response. guild names
// the group of a button pressed in a DM, when the button said.
func (a *Adapter) handle(ctx context.Context, i *discordgo.Interaction, c bot.Core, cmd bot.Command, guild string) {
	p := a.inter.begin(i)
	defer a.inter.end(i.ID)
	// Reading the server's roles (the first time) counts towards the 3 s.
	timer := time.AfterFunc(a.deferAfter, func() { a.deferResponse(ctx, p) })
	defer timer.Stop()
	ev := a.event(ctx, i, cmd)
	if guild = firstOf(i.GuildID, guild); ev.Group == "" && isSnowflake(guild) {
		ev.Group = bot.GroupID("discord:" + guild)
		ev.GroupName = a.guild(guild).name
	}
	defer func() {
		if r := recover(); r != nil {
			a.log.Error().Str("interaction_id", i.ID).Str("command", cmd.Name).Str("panic_type", fmt.Sprintf("%T", r)).
				Str("stack", string(debug.Stack())).Msg("Recovered from a panic while handling a command")
			a.finish(ctx, p, notice(ctx, c, bot.NoticeSorry, ev))
		}
	}()
	out := c.Handle(ctx, ev)
	timer.Stop()
	switch out {
	case bot.Duplicate:
		return // answered when it was first handled
	case bot.Done:
		// Only an agreement that was recorded opens the gated channels.
		if cmd.Name == "agree" && a.cfg.AgreedRole != "" && isSnowflake(guild) {
			a.grantAgreedRole(ctx, i, guild, p.user())
		}
		a.finish(ctx, p, notice(ctx, c, bot.NoticeDone, ev))
	default:
		// The core answered a refusal, a mistake or a failure itself; this
		// is said only when that answer could not be shown.
		a.finish(ctx, p, notice(ctx, c, bot.NoticeSorry, ev))
	}
}

// event builds the core's event for an interaction.
func (a *Adapter) event(ctx context.Context, i *discordgo.Interaction, cmd bot.Command) bot.Event {
	ev := bot.Event{
		ID:      "discord:" + i.ID,
		Kind:    bot.EventCommand,
		Private: true, // the answer can be ephemeral: nobody else saw the input
		Command: cmd,
		// Private answers follow the member's app language unless they
		// chose one (!language me).
		Locale: string(i.Locale),
	}
	if i.GuildID != "" {
		ev.Group = bot.GroupID("discord:" + i.GuildID)
		ev.Channel = bot.ChannelID("discord:" + i.ChannelID)
		ev.GroupName = a.guild(i.GuildID).name
	}
	ev.Member = a.member(ctx, i)
	return ev
}

// member describes who caused an interaction. In a server they are a
// facilitator by server-level rights only (roles.go): the member's roles
// are in the interaction, their permissions there are not used (Discord
// computes those for the channel, overwrites included). When the
// server's roles cannot be read they are not a facilitator this time.
func (a *Adapter) member(ctx context.Context, i *discordgo.Interaction) bot.Member {
	if i.Member == nil || i.Member.User == nil {
		return memberOf(i.User, "")
	}
	m := memberOf(i.Member.User, i.Member.Nick)
	if i.GuildID == "" {
		return m
	}
	fac, err := a.memberIsFacilitator(ctx, i.GuildID, i.Member.User.ID, i.Member.Roles)
	if err != nil {
		a.log.Warn().Err(err).Str("guild_id", i.GuildID).Str("interaction_id", i.ID).Msg("Reading the server's roles failed; not treating the member as a facilitator")
	}
	m.Facilitator = fac
	if fac {
		a.facilitators.Store(i.GuildID+"/"+i.Member.User.ID, true)
	}
	return m
}

// autocomplete offers countries for an ArgCountry option, as the core
// suggests them for what the member has typed.
func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction, c bot.Core) {
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, k := range c.Countries(focusedValue(data.Options), maxChoices) {
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: cut(k.Name, maxChoiceLen), Value: k.Code})
	}
	a.respond(ctx, i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
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

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
