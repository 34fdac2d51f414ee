package discord

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// command reads a slash command's data as the core's command: the table
// command it names and its options as typed values, built by
// Table.FromOptions. An option's value is only ever its own argument's:
// nothing is joined into a text line and read again. The error (an unknown
// command or option, a value of the wrong type: the registration is out of
// date) is for the log; the member gets bot.Unreadable.
func (ss *slashSet) command(t *bot.Table, data discordgo.ApplicationCommandInteractionData) (bot.Command, error) {
	sc, ok := ss.byName[data.Name]
	if !ok {
		return bot.Command{}, fmt.Errorf("unknown command %q", data.Name)
	}
	if sc.fac != nil {
		return sc.facilitator(t, data.Options)
	}
	spec, name, opts := sc.spec, sc.spec.Name, data.Options
	switch {
	case sc.sub != nil:
		spec, name = sc.sub, name+" "+sc.sub.Name
	case sc.subs != nil:
		if len(opts) != 1 || opts[0] == nil || opts[0].Type != discordgo.ApplicationCommandOptionSubCommand {
			return bot.Command{}, fmt.Errorf("command %q without subcommand", data.Name)
		}
		sub := named(sc.subs, opts[0].Name)
		if sub == nil {
			return bot.Command{}, fmt.Errorf("unknown subcommand %q of %q", opts[0].Name, data.Name)
		}
		spec, name, opts = sub, name+" "+sub.Name, opts[0].Options
	case sc.flags != nil:
		sub, err := flagged(sc.flags, opts)
		if err != nil {
			return bot.Command{}, fmt.Errorf("command %q: %w", data.Name, err)
		}
		if sub != nil {
			spec, name = sub, name+" "+sub.Name
		}
		opts = nil
	}
	return fromOptions(t, spec, name, opts)
}

// facilitator reads /facilitator's subcommand, or group and subcommand,
// as the core's command it stands for.
func (sc *slashCmd) facilitator(t *bot.Table, opts []*discordgo.ApplicationCommandInteractionDataOption) (bot.Command, error) {
	if len(opts) != 1 || opts[0] == nil {
		return bot.Command{}, fmt.Errorf("/%s without subcommand", sc.name)
	}
	o := opts[0]
	for _, e := range sc.fac {
		if e.name != o.Name {
			continue
		}
		if e.subs == nil {
			if o.Type != discordgo.ApplicationCommandOptionSubCommand {
				return bot.Command{}, fmt.Errorf("/%s %s is not a subcommand", sc.name, o.Name)
			}
			return fromOptions(t, e.spec, e.spec.Name, o.Options)
		}
		if o.Type != discordgo.ApplicationCommandOptionSubCommandGroup || len(o.Options) != 1 || o.Options[0] == nil ||
			o.Options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
			return bot.Command{}, fmt.Errorf("/%s %s without subcommand", sc.name, o.Name)
		}
		sub := named(e.subs, o.Options[0].Name)
		if sub == nil {
			return bot.Command{}, fmt.Errorf("unknown subcommand %q of /%s %s", o.Options[0].Name, sc.name, o.Name)
		}
		return fromOptions(t, sub, e.spec.Name+" "+sub.Name, o.Options[0].Options)
	}
	return bot.Command{}, fmt.Errorf("unknown subcommand %q of /%s", o.Name, sc.name)
}

// fromOptions reads the options given for spec (the core's command name)
// as its typed arguments.
func fromOptions(t *bot.Table, spec *bot.CommandSpec, name string, opts []*discordgo.ApplicationCommandInteractionDataOption) (bot.Command, error) {
	args := map[string]string{} // option name → argument name
	for _, a := range spec.Args {
		args[optionName(a.Name)] = a.Name
	}
	values := map[string]any{}
	for _, o := range opts {
		if o == nil {
			continue
		}
		arg, ok := args[o.Name]
		if !ok {
			return bot.Command{}, fmt.Errorf("command %q has no option %q", name, o.Name)
		}
		if s, isText := o.Value.(string); isText && strings.TrimSpace(s) == "" {
			// A blank option is no option: for a required argument the
			// core then says what is missing (FromOptions itself would
			// let a blank required value through).
			continue
		}
		values[arg] = o.Value
	}
	return t.FromOptions(name, values)
}

// named returns the subcommand registered as option name, or nil.
func named(subs []*bot.CommandSpec, name string) *bot.CommandSpec {
	for _, s := range subs {
		if optionName(s.Name) == name {
			return s
		}
	}
	return nil
}

// flagged returns the first subcommand, in table order, whose boolean
// option is true, or nil for none.
func flagged(subs []*bot.CommandSpec, opts []*discordgo.ApplicationCommandInteractionDataOption) (*bot.CommandSpec, error) {
	on := map[string]bool{}
	for _, o := range opts {
		if o == nil {
			continue
		}
		v, ok := o.Value.(bool)
		if !ok || named(subs, o.Name) == nil {
			return nil, fmt.Errorf("option %q is not a subcommand's switch", o.Name)
		}
		on[o.Name] = v
	}
	for _, s := range subs {
		if on[optionName(s.Name)] {
			return s, nil
		}
	}
	return nil, nil
}

// formNeeded returns the form argument cmd still needs asked for in a
// modal: the command was read without a problem, has a form argument
// that was not given, and nothing else was given either (a modal's custom
// id carries only the command's name, so other options would be lost;
// such a command goes to the core as it is, which explains what is
// missing).
func formNeeded(cmd bot.Command) (bot.Arg, bool) {
	spec := cmd.Spec()
	if spec == nil || cmd.Err() != nil {
		return bot.Arg{}, false
	}
	form, ok := spec.FormArg()
	if !ok || form.Input == nil {
		return bot.Arg{}, false
	}
	for _, a := range spec.Args {
		if cmd.Has(a.Name) {
			return bot.Arg{}, false
		}
	}
	return form, true
}

// focusedValue finds the option the member is typing in.
func focusedValue(opts []*discordgo.ApplicationCommandInteractionDataOption) string {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if o.Focused {
			s, _ := o.Value.(string)
			return s
		}
		if v := focusedValue(o.Options); v != "" {
			return v
		}
	}
	return ""
}
