package discord

import (
	"fmt"
	"strconv"
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
	// subcommands: spec's subcommands are Discord subcommands ("/round start").
	subcommands bool
	// subFlags: spec's argument-less subcommands are boolean options
	// ("/forgetme confirm:True").
	subFlags bool
}

// slashTable maps the core's command table to Discord commands:
//   - a command without subcommands: one command, arguments as options;
//   - a command with subcommands and no arguments of its own: Discord
//     subcommands ("/round start"), or, when no subcommand takes
//     arguments, a boolean option per subcommand ("/forgetme confirm");
//   - a command with both (checkin, crisis): the command with its own
//     options, and each subcommand as a command of its own named
//     "name-sub" ("/crisis-country"), except subcommands whose summary
//     says they are the "Same as" another command.
func slashTable(specs []*bot.CommandSpec) []slashCmd {
	var out []slashCmd
	for _, s := range specs {
		switch {
		case len(s.Sub) == 0:
			out = append(out, slashCmd{name: optionName(s.Name), spec: s})
		case len(s.Args) == 0 && !subsTakeArgs(s):
			out = append(out, slashCmd{name: optionName(s.Name), spec: s, subFlags: true})
		case len(s.Args) == 0:
			out = append(out, slashCmd{name: optionName(s.Name), spec: s, subcommands: true})
		default:
			out = append(out, slashCmd{name: optionName(s.Name), spec: s})
			for _, sub := range s.Sub {
				if strings.HasPrefix(sub.Summary, "Same as ") {
					continue
				}
				out = append(out, slashCmd{name: optionName(s.Name + "-" + sub.Name), spec: s, sub: sub})
			}
		}
	}
	return out
}

func subsTakeArgs(s *bot.CommandSpec) bool {
	for _, sub := range s.Sub {
		if len(sub.Args) > 0 {
			return true
		}
	}
	return false
}

// slashCommands builds Discord's command registration from the table (see
// slashTable). Arguments become typed options, required ones first as
// Discord demands; an ArgRest argument with an Input is not an option: the
// command opens a modal for it. Commands only facilitators may run carry
// DefaultMemberPermissions (Manage Messages); the core checks again.
func slashCommands(specs []*bot.CommandSpec) []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, sc := range slashTable(specs) {
		s := sc.spec
		c := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        sc.name,
			Description: description(s.Summary, s.Name),
			Options:     []*discordgo.ApplicationCommandOption{},
		}
		only, private := facilitatorsOnly(s), worksPrivately(s)
		switch {
		case sc.sub != nil:
			c.Description = description(sc.sub.Summary, s.Name+" "+sc.sub.Name)
			c.Options = argOptions(sc.sub.Args)
			only = sc.sub.Access == bot.FacilitatorsOnly
			private = worksPrivately(sc.sub)
		case sc.subcommands:
			for _, sub := range s.Sub {
				c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        optionName(sub.Name),
					Description: description(sub.Summary, sub.Name),
					Options:     argOptions(sub.Args),
				})
			}
		case sc.subFlags:
			for _, sub := range s.Sub {
				c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        optionName(sub.Name),
					Description: description(sub.Summary, sub.Name),
				})
			}
			only = s.Access == bot.FacilitatorsOnly
		default:
			c.Options = argOptions(s.Args)
			only = s.Access == bot.FacilitatorsOnly
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

// facilitatorsOnly reports whether every way of running s is for
// facilitators (so Discord may hide it from everyone else).
func facilitatorsOnly(s *bot.CommandSpec) bool {
	if len(s.Sub) == 0 {
		return s.Access == bot.FacilitatorsOnly
	}
	for _, sub := range s.Sub {
		if sub.Access != bot.FacilitatorsOnly {
			return false
		}
	}
	return true
}

// worksPrivately reports whether s (or one of its subcommands) also works
// sent privately to the bot.
func worksPrivately(s *bot.CommandSpec) bool {
	if s.Sensitive || s.NeedsGroup || s.Name == "help" {
		return true
	}
	for _, sub := range s.Sub {
		if worksPrivately(sub) {
			return true
		}
	}
	return false
}

// argOptions maps arguments to options, required ones first.
func argOptions(args []bot.Arg) []*discordgo.ApplicationCommandOption {
	var req, opt []*discordgo.ApplicationCommandOption
	for _, a := range args {
		if a.Kind == bot.ArgRest && a.Input != nil {
			continue // asked for in a modal
		}
		o := &discordgo.ApplicationCommandOption{
			Name:        optionName(a.Name),
			Description: description(a.Help, a.Name),
			Required:    a.Required,
		}
		switch a.Kind {
		case bot.ArgInt:
			o.Type = discordgo.ApplicationCommandOptionInteger
		case bot.ArgFlag:
			o.Type = discordgo.ApplicationCommandOptionBoolean
		case bot.ArgChoice:
			o.Type = discordgo.ApplicationCommandOptionString
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
			o.Type = discordgo.ApplicationCommandOptionString
			o.Autocomplete = true
		default: // ArgWord, ArgRest
			o.Type = discordgo.ApplicationCommandOptionString
			if a.Kind == bot.ArgRest {
				o.MaxLength = 1000
			}
		}
		if a.Required {
			req = append(req, o)
		} else {
			opt = append(opt, o)
		}
	}
	return append(req, opt...)
}

// modalArg returns the argument of args that is asked for in a modal.
func modalArg(args []bot.Arg) (bot.Arg, bool) {
	for _, a := range args {
		if a.Kind == bot.ArgRest && a.Input != nil {
			return a, true
		}
	}
	return bot.Arg{}, false
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

// slashLine is what a slash command stands for, as a text command line.
type slashLine struct {
	Line string
	// Modal is set when the command still needs an argument asked for in a
	// modal; Line is then the part before it.
	Modal *bot.Arg
	// Title names the command, for the modal.
	Title string
}

// commandLine turns a slash command's options into the command line its
// text form would be: name, subcommand, then each given argument in the
// spec's order (a true flag as its name). Every platform thus ends in the
// same bot.ParseLine.
func commandLine(specs []*bot.CommandSpec, data discordgo.ApplicationCommandInteractionData) (slashLine, error) {
	var sc *slashCmd
	table := slashTable(specs)
	for i := range table {
		if table[i].name == data.Name {
			sc = &table[i]
		}
	}
	if sc == nil {
		return slashLine{}, fmt.Errorf("unknown command %q", data.Name)
	}
	words := []string{sc.spec.Name}
	args, opts := sc.spec.Args, data.Options
	switch {
	case sc.sub != nil:
		words = append(words, sc.sub.Name)
		args = sc.sub.Args
	case sc.subcommands:
		if len(opts) != 1 || opts[0] == nil || opts[0].Type != discordgo.ApplicationCommandOptionSubCommand {
			return slashLine{}, fmt.Errorf("command %q without subcommand", data.Name)
		}
		var sub *bot.CommandSpec
		for _, s := range sc.spec.Sub {
			if optionName(s.Name) == opts[0].Name {
				sub = s
			}
		}
		if sub == nil {
			return slashLine{}, fmt.Errorf("unknown subcommand %q of %q", opts[0].Name, data.Name)
		}
		words = append(words, sub.Name)
		args, opts = sub.Args, opts[0].Options
	case sc.subFlags:
		args = nil
		for _, sub := range sc.spec.Sub {
			args = append(args, bot.Arg{Name: sub.Name, Kind: bot.ArgFlag})
		}
	}
	given := map[string]*discordgo.ApplicationCommandInteractionDataOption{}
	for _, o := range opts {
		if o != nil {
			given[o.Name] = o
		}
	}
	for _, a := range args {
		o := given[optionName(a.Name)]
		if o == nil {
			continue
		}
		if a.Kind == bot.ArgFlag {
			if v, _ := o.Value.(bool); v {
				words = append(words, a.Name)
			}
			continue
		}
		if v := optionString(o.Value); v != "" {
			words = append(words, v)
		}
	}
	line := strings.Join(words, " ")
	sl := slashLine{Line: line, Title: line}
	if a, ok := modalArg(args); ok {
		sl.Modal = &a
	}
	return sl, nil
}

// optionString formats an option's JSON value as the text form would have it.
func optionString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatInt(int64(x), 10)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
