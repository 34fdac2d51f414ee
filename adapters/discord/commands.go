package discord

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Discord's limits on command registration.
const (
	maxNameLen            = 32
	maxDescLen            = 100
	maxChoices            = 25
	maxChoiceLen          = 100
	maxOptionLen          = 6000 // max_length of a string option
	facilitatorBits int64 = discordgo.PermissionManageMessages
)

// slashCmd is one registered Discord command and what it stands for in
// the core's table.
type slashCmd struct {
	name string
	spec *bot.CommandSpec
	// sub is set when the Discord command is one subcommand of spec
	// registered on its own ("crisis-country").
	sub *bot.CommandSpec
	// subs, when set, are spec's subcommands as Discord subcommands
	// ("/round start").
	subs []*bot.CommandSpec
	// flags, when set, are spec's argument-less subcommands as boolean
	// options ("/forgetme confirm:True").
	flags []*bot.CommandSpec
}

// slashSet is the Discord commands of one command table, by name.
type slashSet struct {
	list   []slashCmd
	byName map[string]*slashCmd
}

// newSlashSet maps the core's command table to Discord commands:
//   - a command without subcommands: one command, arguments as options;
//   - a command with subcommands and no arguments of its own: Discord
//     subcommands ("/round start"), or, when no subcommand takes
//     arguments, a boolean option per subcommand ("/forgetme confirm");
//   - a command with both (checkin, crisis): the command with its own
//     options, and each subcommand as a command of its own named
//     "name-sub" ("/crisis-country").
//
// Hidden subcommands (other names for a command listed elsewhere) are left
// out, with one exception Discord forces: a command shown as Discord
// subcommands cannot be run bare, so when it runs on its own its
// argument-free Hidden alias stays ("/agreement show" for "agreement").
func newSlashSet(t *bot.Table) *slashSet {
	ss := &slashSet{byName: map[string]*slashCmd{}}
	for _, s := range t.Specs() {
		if s.Hidden {
			continue
		}
		subs := visibleSubs(s)
		name := optionName(s.Name)
		switch {
		case len(subs) == 0:
			ss.list = append(ss.list, slashCmd{name: name, spec: s})
		case len(s.Args) == 0 && !takeArgs(subs):
			ss.list = append(ss.list, slashCmd{name: name, spec: s, flags: subs})
		case len(s.Args) == 0:
			ss.list = append(ss.list, slashCmd{name: name, spec: s, subs: withBareAlias(s, subs)})
		default:
			ss.list = append(ss.list, slashCmd{name: name, spec: s})
			for _, sub := range subs {
				ss.list = append(ss.list, slashCmd{name: optionName(s.Name + "-" + sub.Name), spec: s, sub: sub})
			}
		}
	}
	for i := range ss.list {
		ss.byName[ss.list[i].name] = &ss.list[i]
	}
	return ss
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

// commands builds Discord's command registration (see newSlashSet).
// Arguments become typed options, required ones first as Discord demands;
// a command's form argument (CommandSpec.FormArg) is not an option: the
// command opens a modal for it. Commands only facilitators may run carry
// DefaultMemberPermissions (Manage Messages), so Discord hides them from
// others; the core checks again.
func (ss *slashSet) commands() []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, sc := range ss.list {
		s := sc.spec
		c := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        sc.name,
			Description: description(s.Summary, s.Name),
			Options:     []*discordgo.ApplicationCommandOption{},
		}
		only, private := s.FacilitatorsOnly(), s.WorksPrivately()
		switch {
		case sc.sub != nil:
			c.Description = description(sc.sub.Summary, s.Name+" "+sc.sub.Name)
			c.Options = argOptions(sc.sub)
			only, private = sc.sub.FacilitatorsOnly(), sc.sub.WorksPrivately()
		case sc.subs != nil:
			for _, sub := range sc.subs {
				c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        optionName(sub.Name),
					Description: description(sub.Summary, sub.Name),
					Options:     argOptions(sub),
				})
			}
		case sc.flags != nil:
			for _, sub := range sc.flags {
				c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        optionName(sub.Name),
					Description: description(sub.Summary, sub.Name),
				})
			}
		default:
			c.Options = argOptions(s)
			// Its subcommands, if any, are commands of their own.
			only, private = s.Access == bot.FacilitatorsOnly, s.Places != bot.InGroup
		}
		if only {
			perm := facilitatorBits
			c.DefaultMemberPermissions = &perm
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

// argOptions maps a command's arguments to options, required ones first.
func argOptions(s *bot.CommandSpec) []*discordgo.ApplicationCommandOption {
	form, hasForm := s.FormArg()
	var req, opt []*discordgo.ApplicationCommandOption
	for _, a := range s.Args {
		if hasForm && a.Name == form.Name {
			continue // asked for in a modal
		}
		o := &discordgo.ApplicationCommandOption{
			Name:        optionName(a.Name),
			Description: description(a.Help, a.Name),
			Required:    a.Required,
			Type:        discordgo.ApplicationCommandOptionString,
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
					Name: cut(label, maxChoiceLen), Value: ch.Value,
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
