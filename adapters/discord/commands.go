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

// slashCommands builds Discord's command registration from the core's
// command table: one chat-input command per spec, subcommands as
// subcommand options, arguments as typed options (required ones first, as
// Discord demands). An ArgRest argument with an Input is not an option: the
// command opens a modal for it. Commands only facilitators may run carry
// DefaultMemberPermissions (Manage Messages); the core checks again.
func slashCommands(specs []*bot.CommandSpec) []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, s := range specs {
		c := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        optionName(s.Name),
			Description: description(s.Summary, s.Name),
			Options:     []*discordgo.ApplicationCommandOption{},
		}
		if len(s.Sub) > 0 {
			for _, sub := range s.Sub {
				c.Options = append(c.Options, &discordgo.ApplicationCommandOption{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        optionName(sub.Name),
					Description: description(sub.Summary, sub.Name),
					Options:     argOptions(sub.Args),
				})
			}
		} else {
			c.Options = argOptions(s.Args)
		}
		if facilitatorsOnly(s) {
			perm := facilitatorBits
			c.DefaultMemberPermissions = &perm
		}
		ctx := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
		if worksPrivately(s) {
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

// findSpec returns the spec registered under Discord name name.
func findSpec(specs []*bot.CommandSpec, name string) (*bot.CommandSpec, bool) {
	for _, s := range specs {
		if optionName(s.Name) == name {
			return s, true
		}
	}
	return nil, false
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
	spec, ok := findSpec(specs, data.Name)
	if !ok {
		return slashLine{}, fmt.Errorf("unknown command %q", data.Name)
	}
	words := []string{spec.Name}
	args, opts := spec.Args, data.Options
	title := spec.Name
	if len(spec.Sub) > 0 {
		if len(opts) != 1 || opts[0] == nil || opts[0].Type != discordgo.ApplicationCommandOptionSubCommand {
			return slashLine{}, fmt.Errorf("command %q without subcommand", data.Name)
		}
		var sub *bot.CommandSpec
		for _, s := range spec.Sub {
			if optionName(s.Name) == opts[0].Name {
				sub = s
			}
		}
		if sub == nil {
			return slashLine{}, fmt.Errorf("unknown subcommand %q of %q", opts[0].Name, data.Name)
		}
		words = append(words, sub.Name)
		title += " " + sub.Name
		args, opts = sub.Args, opts[0].Options
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
	sl := slashLine{Line: strings.Join(words, " "), Title: title}
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
