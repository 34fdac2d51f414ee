package discord

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Discord's limits on command registration.
const (
	maxNameLen   = 32
	maxDescLen   = 100
	maxChoices   = 25
	maxChoiceLen = 100
	maxOptionLen = 6000 // max_length of a string option
)

// facilitatorCommand is the one top-level command that holds every
// facilitators' command (see newSlashSet).
const facilitatorCommand = "facilitator"

// facilitatorArgs are arguments that only facilitators may give to a
// command members may run: "timezone" shows the group's time zone to
// anyone, "timezone ZONE" sets it (the core refuses members). The table
// does not mark such arguments, so they are named here;
// TestChannelModeratorIsNoFacilitator checks that the core still refuses
// them to others, and TestCommandsRegistered that every facilitators'
// command is under /facilitator.
var facilitatorArgs = map[string][]string{"timezone": {"zone"}, "language": {"code"}}

// slashCmd is one registered top-level Discord command and what it stands
// for in the core's table.
type slashCmd struct {
	name string
	spec *bot.CommandSpec
	// sub is set when the Discord command is one subcommand of spec
	// registered on its own ("crisis-country").
	sub *bot.CommandSpec
	// subs, when set, are spec's subcommands as Discord subcommands
	// ("/round status").
	subs []*bot.CommandSpec
	// flags, when set, are spec's argument-less subcommands as boolean
	// options ("/forgetme confirm:True").
	flags []*bot.CommandSpec
	// omit are arguments of spec left out (facilitatorArgs).
	omit []string
	// fac, for /facilitator, are its subcommands and groups.
	fac []facEntry
}

// facEntry is one subcommand or subcommand group of /facilitator.
type facEntry struct {
	name string
	spec *bot.CommandSpec
	// subs, for a group ("/facilitator round start"), are spec's
	// facilitators' subcommands.
	subs []*bot.CommandSpec
	// only, for a subcommand that gives a member command's facilitator
	// arguments ("/facilitator timezone zone:"), names them; they are
	// required there.
	only []string
}

// slashSet is the Discord commands of one command table, by name.
type slashSet struct {
	list   []slashCmd
	byName map[string]*slashCmd
	table  *bot.Table
}

// newSlashSet maps the core's command table to Discord commands. Discord
// decides who sees a command by top-level command only
// (default_member_permissions), so no top-level command mixes what
// members may run with what only facilitators may:
//
//   - Every facilitators' command is a subcommand of one top-level
//     /facilitator, hidden from members: a command only facilitators run
//     ("/facilitator signpost", "/facilitator facilitators channel:"), a
//     command's facilitators' subcommands as a group ("/facilitator round
//     start", "/facilitator agreement set", "/facilitator crisis
//     default"), and the facilitators' arguments of a member command
//     ("/facilitator timezone zone:").
//   - What members may run keeps its shape, without the facilitators'
//     parts: a command without subcommands is one command with its
//     arguments as options; a command with subcommands and no arguments
//     of its own has Discord subcommands ("/round status"), or, when no
//     subcommand takes arguments, a boolean option per subcommand
//     ("/forgetme confirm"); a command with both (checkin, crisis) is the
//     command with its own options and a command "name-sub" per
//     subcommand ("/crisis-country").
//
// Hidden subcommands (other names for a command listed elsewhere) are left
// out, with one exception Discord forces: a command shown as Discord
// subcommands cannot be run bare, so when it runs on its own its
// argument-free Hidden alias stays ("/agreement show" for "agreement").
func newSlashSet(t *bot.Table) *slashSet {
	ss := &slashSet{byName: map[string]*slashCmd{}, table: t}
	var fac []facEntry
	for _, s := range t.Specs() {
		if s.Hidden {
			continue
		}
		subs := visibleSubs(s)
		var members, facs []*bot.CommandSpec
		for _, sub := range subs {
			if sub.FacilitatorsOnly() {
				facs = append(facs, sub)
			} else {
				members = append(members, sub)
			}
		}
		bare := s.Runnable() && s.Access != bot.FacilitatorsOnly // members may run it bare
		if bare || len(members) > 0 {
			ss.list = append(ss.list, memberCommands(s, subs, members, bare)...)
		}
		fac = append(fac, facilitatorEntries(s, subs, facs, bare)...)
	}
	if len(fac) > 0 {
		ss.list = append(ss.list, slashCmd{name: facilitatorCommand, fac: fac})
	}
	for i := range ss.list {
		ss.byName[ss.list[i].name] = &ss.list[i]
	}
	return ss
}

// memberCommands are the Discord commands for what members may run of s:
// bare when bare, and the subcommands members. Their shape follows all of
// s's visible subcommands subs (see newSlashSet), so that it does not
// change with who may run what.
func memberCommands(s *bot.CommandSpec, subs, members []*bot.CommandSpec, bare bool) []slashCmd {
	mc := slashCmd{name: optionName(s.Name), spec: s, omit: facilitatorArgs[s.Name]}
	switch {
	case len(subs) == 0:
		return []slashCmd{mc}
	case len(s.Args) == 0 && !takeArgs(subs):
		mc.flags = members
		return []slashCmd{mc}
	case len(s.Args) == 0:
		if bare {
			members = withBareAlias(s, members)
		}
		mc.subs = members
		return []slashCmd{mc}
	}
	var out []slashCmd
	if bare {
		out = append(out, mc)
	}
	for _, sub := range members {
		out = append(out, slashCmd{name: optionName(s.Name + "-" + sub.Name), spec: s, sub: sub})
	}
	return out
}

// facilitatorEntries are /facilitator's subcommands and groups for s: s
// itself when only facilitators run it, a group of its facilitators'
// subcommands facs, and a subcommand for its facilitators' arguments.
func facilitatorEntries(s *bot.CommandSpec, subs, facs []*bot.CommandSpec, bare bool) []facEntry {
	name := optionName(s.Name)
	var out []facEntry
	switch {
	case s.Runnable() && !bare && len(subs) == 0:
		out = append(out, facEntry{name: name, spec: s})
	case len(facs) > 0:
		if s.Runnable() && !bare {
			facs = withBareAlias(s, facs)
		}
		out = append(out, facEntry{name: name, spec: s, subs: facs})
	}
	if only := facilitatorArgs[s.Name]; bare && len(only) > 0 {
		out = append(out, facEntry{name: name, spec: s, only: only})
	}
	return out
}

// line turns a command line of the core's ("round start 45") into the
// Discord command that runs it, for the bot's texts: a facilitators'
// command gains "facilitator " in front ("facilitator round start 45");
// other lines stay as they are. Safe on a nil set.
func (ss *slashSet) line(l string) string {
	if ss == nil {
		return l
	}
	words := strings.Fields(l)
	fac := ss.byName[facilitatorCommand]
	if len(words) == 0 || fac == nil {
		return l
	}
	spec, ok := ss.table.Lookup(words[0])
	if !ok {
		return l
	}
	for _, e := range fac.fac {
		if e.spec != spec {
			continue
		}
		switch {
		case e.only != nil:
			if _, sub := ss.table.Lookup(strings.Join(words[:min(2, len(words))], " ")); len(words) > 1 && !sub { // "timezone Europe/London", not "language me"
				return facilitatorCommand + " " + l
			}
		case spec.Access == bot.FacilitatorsOnly: // the whole command
			return facilitatorCommand + " " + l
		case len(words) > 1:
			if sub, ok := ss.table.Lookup(words[0] + " " + words[1]); ok && slices.Contains(e.subs, sub) {
				return facilitatorCommand + " " + l
			}
		}
	}
	return l
}

func visibleSubs(s *bot.CommandSpec) []*bot.CommandSpec {
	var out []*bot.CommandSpec
	for _, sub := range s.Sub {
		if !sub.Hidden {
			out = append(out, sub)
		}
	}
	return out
}

// withBareAlias adds to subs the argument-free Hidden alias of a command
// that runs on its own (see newSlashSet).
func withBareAlias(s *bot.CommandSpec, subs []*bot.CommandSpec) []*bot.CommandSpec {
	if !s.Runnable() {
		return subs
	}
	for _, sub := range s.Sub {
		if sub.Hidden && len(sub.Args) == 0 && sub.Runnable() {
			return append([]*bot.CommandSpec{sub}, subs...)
		}
	}
	return subs
}

func takeArgs(subs []*bot.CommandSpec) bool {
	for _, sub := range subs {
		if len(sub.Args) > 0 {
			return true
		}
	}
	return false
}

// facilitatorBits are the permissions a member needs for Discord to show
// them /facilitator (default_member_permissions): Manage Messages, the
// usual moderator's permission. Administrators and the owner always see
// it; a server's admins can let other roles see it in Server Settings →
// Integrations. Whoever runs it, the core checks again who is a
// facilitator (roles.go).
const facilitatorBits int64 = discordgo.PermissionManageMessages

// commands builds Discord's command registration (see newSlashSet).
// Arguments become typed options, required ones first as Discord demands;
// a command's form argument (CommandSpec.FormArg) is not an option: the
// command opens a modal for it. /facilitator carries
// DefaultMemberPermissions (facilitatorBits) and works in servers only:
// Discord hides it from members, and in a DM it would not be hidden.
func (ss *slashSet) commands() []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, sc := range ss.list {
		if sc.fac != nil {
			out = append(out, ss.facilitatorCommand(sc))
			continue
		}
		s := sc.spec
		c := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     sc.name,
			Description:              description(s.Summary, s.Name),
			DescriptionLocalizations: localizedPtr(summaryIn(s)),
			Options:                  []*discordgo.ApplicationCommandOption{},
		}
		private := s.Places != bot.InGroup
		switch {
		case sc.sub != nil:
			c.Description = description(sc.sub.Summary, s.Name+" "+sc.sub.Name)
			c.DescriptionLocalizations = localizedPtr(summaryIn(sc.sub))
			c.Options = argOptions(sc.sub, nil, nil)
			private = sc.sub.Places != bot.InGroup
		case sc.subs != nil:
			for _, sub := range sc.subs {
				c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
					Type:                     discordgo.ApplicationCommandOptionSubCommand,
					Name:                     optionName(sub.Name),
					Description:              description(sub.Summary, sub.Name),
					DescriptionLocalizations: summaryIn(sub),
					Options:                  argOptions(sub, nil, nil),
				})
				private = private || sub.Places != bot.InGroup
			}
		case sc.flags != nil:
			for _, sub := range sc.flags {
				c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
					Type:                     discordgo.ApplicationCommandOptionBoolean,
					Name:                     optionName(sub.Name),
					Description:              description(sub.Summary, sub.Name),
					DescriptionLocalizations: summaryIn(sub),
				})
			}
		default:
			c.Options = argOptions(s, sc.omit, nil)
		}
		ctx := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
		if private {
			ctx = append(ctx, discordgo.InteractionContextBotDM)
		}
		c.Contexts = &ctx
		out = append(out, c)
	}
	return out
}

// facilitatorCommand builds /facilitator: a subcommand per facilitators'
// command, a subcommand group per command with facilitators' subcommands.
// Its description lists them by name.
func (ss *slashSet) facilitatorCommand(sc slashCmd) *discordgo.ApplicationCommand {
	perm := facilitatorBits
	ctx := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	c := &discordgo.ApplicationCommand{
		Type:                     discordgo.ChatApplicationCommand,
		Name:                     sc.name,
		Options:                  []*discordgo.ApplicationCommandOption{},
		DefaultMemberPermissions: &perm,
		Contexts:                 &ctx,
	}
	var names []string
	for _, e := range sc.fac {
		names = append(names, e.name)
		o := &discordgo.ApplicationCommandOption{
			Type:                     discordgo.ApplicationCommandOptionSubCommand,
			Name:                     e.name,
			Description:              description(e.spec.Summary, e.spec.Name),
			DescriptionLocalizations: summaryIn(e.spec),
		}
		switch {
		case e.subs != nil:
			o.Type = discordgo.ApplicationCommandOptionSubCommandGroup
			var subNames []string
			for _, sub := range e.subs {
				subNames = append(subNames, optionName(sub.Name))
				o.Options = append(o.Options, &discordgo.ApplicationCommandOption{
					Type:                     discordgo.ApplicationCommandOptionSubCommand,
					Name:                     optionName(sub.Name),
					Description:              description(sub.Summary, sub.Name),
					DescriptionLocalizations: summaryIn(sub),
					Options:                  argOptions(sub, nil, nil),
				})
			}
			if len(e.subs) == 1 {
				o.Description = description(e.subs[0].Summary, e.spec.Name)
				o.DescriptionLocalizations = summaryIn(e.subs[0])
			} else {
				// A list of command names, the same in every language.
				o.Description = description(strings.Join(subNames, ", "), e.spec.Name)
				o.DescriptionLocalizations = nil
			}
		case e.only != nil:
			o.Options = argOptions(e.spec, nil, e.only)
		default:
			o.Options = argOptions(e.spec, nil, nil)
		}
		c.Options = append(c.Options, o)
	}
	c.Description = description(strings.Join(names, ", "), sc.name)
	return c
}

// argOptions maps a command's arguments to options, required ones first:
// all but those in omit, or, when only is set, those only, required.
func argOptions(s *bot.CommandSpec, omit, only []string) []*discordgo.ApplicationCommandOption {
	form, hasForm := s.FormArg()
	var req, opt []*discordgo.ApplicationCommandOption
	for _, a := range s.Args {
		if hasForm && a.Name == form.Name {
			continue // asked for in a modal
		}
		if slices.Contains(omit, a.Name) || (only != nil && !slices.Contains(only, a.Name)) {
			continue
		}
		if only != nil {
			a.Required = true
		}
		spec, arg := s, a
		o := &discordgo.ApplicationCommandOption{
			Name:        optionName(a.Name),
			Description: description(a.Help, a.Name),
			DescriptionLocalizations: localized(func(l *bot.Lang) string {
				return l.ArgHelp(spec, arg)
			}, a.Name),
			Required: a.Required,
			Type:     discordgo.ApplicationCommandOptionString,
		}
		switch a.Kind {
		case bot.ArgFlag:
			o.Type = discordgo.ApplicationCommandOptionBoolean
		case bot.ArgMinutes, bot.ArgNumber:
			o.Type = discordgo.ApplicationCommandOptionInteger
			// The text grammar reads a bound of 0 as none.
			if a.Min != 0 {
				lo := float64(a.Min)
				o.MinValue = &lo
			}
			if a.Max != 0 {
				o.MaxValue = float64(a.Max)
			}
		case bot.ArgColour, bot.ArgChoice:
			for i, ch := range a.Choices {
				if i == maxChoices {
					break
				}
				label := ch.Label
				if label == "" {
					label = ch.Value
				}
				o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{
					Name: cut(label, maxChoiceLen), Value: ch.Value, NameLocalizations: choiceIn(s, a, ch),
				})
			}
		case bot.ArgCountry:
			o.Autocomplete = true
			o.MaxLength = maxLength(a)
		case bot.ArgText, bot.ArgWord:
			o.MaxLength = maxLength(a)
		}
		// ArgZone, ArgDays, ArgTime: plain strings, read by the core.
		if a.Required {
			req = append(req, o)
		} else {
			opt = append(opt, o)
		}
	}
	return append(req, opt...)
}

// maxLength is a string option's max_length: the argument's limit, within
// Discord's (0: none).
func maxLength(a bot.Arg) int {
	if a.Max <= 0 {
		return 0
	}
	return min(a.Max, maxOptionLen)
}

// optionName makes a Discord command or option name: lower case letters,
// digits, '-' and '_', at most 32 characters.
func optionName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			b.WriteRune(r)
		} else if r == ' ' {
			b.WriteRune('-')
		}
	}
	return cut(b.String(), maxNameLen)
}

// description returns a 1–100 character description.
func description(s, fallback string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		s = fallback
	}
	return cut(s, maxDescLen)
}

// cut shortens s to at most n characters, marking a cut with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
