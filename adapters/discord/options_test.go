package discord

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// variant is one way to run a registered slash command: the command, or
// one of its Discord subcommands (in a group, for /facilitator), with the
// options Discord offers for it.
type variant struct {
	cmd   string // the Discord command ("round")
	group string // the Discord subcommand group ("round" in /facilitator round start), if any
	sub   string // the Discord subcommand ("start"), if any
	opts  []*discordgo.ApplicationCommandOption
}

// variants lists every way to run every command registered from the
// table, read from the registration itself (what Discord lets members
// send), so new commands are covered without touching the tests.
func variants(ss *slashSet) []variant {
	var out []variant
	for _, c := range ss.commands() {
		subs := false
		for _, o := range c.Options {
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand:
				subs = true
				out = append(out, variant{cmd: c.Name, sub: o.Name, opts: o.Options})
			case discordgo.ApplicationCommandOptionSubCommandGroup:
				subs = true
				for _, in := range o.Options {
					out = append(out, variant{cmd: c.Name, group: o.Name, sub: in.Name, opts: in.Options})
				}
			}
		}
		if !subs {
			out = append(out, variant{cmd: c.Name, opts: c.Options})
		}
	}
	return out
}

// path is the variant's subcommand group and subcommand ("round start").
func (v variant) path() string { return strings.TrimSpace(v.group + " " + v.sub) }

// textName is the text form's command name of a variant, derived from the
// Discord names alone: "crisis-country" is "crisis country", and
// /facilitator's subcommands are the commands they name ("/facilitator
// round start" is "round start").
func (v variant) textName() string {
	if v.cmd == facilitatorCommand {
		return v.path()
	}
	name := strings.ReplaceAll(v.cmd, "-", " ")
	if v.sub != "" {
		name += " " + v.sub
	}
	return name
}

// data builds what Discord sends for the variant with values for the
// options named in given.
func (v variant) data(given map[string]any) discordgo.ApplicationCommandInteractionData {
	var opts []*discordgo.ApplicationCommandInteractionDataOption
	for _, o := range v.opts {
		if val, ok := given[o.Name]; ok {
			opts = append(opts, &discordgo.ApplicationCommandInteractionDataOption{Name: o.Name, Type: o.Type, Value: val})
		}
	}
	if v.sub != "" {
		opts = []*discordgo.ApplicationCommandInteractionDataOption{{Name: v.sub, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}}
	}
	if v.group != "" {
		opts = []*discordgo.ApplicationCommandInteractionDataOption{{Name: v.group, Type: discordgo.ApplicationCommandOptionSubCommandGroup, Options: opts}}
	}
	return discordgo.ApplicationCommandInteractionData{Name: v.cmd, Options: opts}
}

// sample is a representative value of an argument: as Discord sends it,
// and as a member would type it.
func sample(a bot.Arg) (option any, text string) {
	switch a.Kind {
	case bot.ArgFlag:
		return true, a.Name
	case bot.ArgColour:
		return "red", "red"
	case bot.ArgChoice:
		return a.Choices[0].Value, a.Choices[0].Value
	case bot.ArgMinutes:
		return float64(45), "45" // JSON numbers arrive as float64
	case bot.ArgNumber:
		return float64(2), "2"
	case bot.ArgZone:
		return "Europe/London", "Europe/London"
	case bot.ArgDays:
		return "tue,thu", "tue,thu"
	case bot.ArgTime:
		return "19:00", "19:00"
	case bot.ArgCountry:
		return "ie", "ie"
	case bot.ArgWord:
		return "word", "word"
	}
	return "tired but here", "tired but here"
}

// TestSlashMatchesText ensures that for every registered slash command and
// every combination of its options, the Discord path (interaction data →
// adapter → Command) gives the same command as the text path (the same
// values as a text line, in argument order → Table.ParseLine); for a
// command that asks for its text in a modal, also with the modal's text.
// Required options are always given: Discord enforces them.
func TestSlashMatchesText(t *testing.T) {
	table := bot.CommandTable()
	ss := newSlashSet(table)
	covered := map[string]bool{}
	for _, v := range variants(ss) {
		name := v.textName()
		spec, ok := table.Lookup(name)
		var flags []*discordgo.ApplicationCommandOption // subcommands as switches
		if !ok {
			t.Errorf("/%s %s: no command %q in the table", v.cmd, v.path(), name)
			continue
		}
		args := map[string]bot.Arg{}
		for _, a := range spec.Args {
			args[optionName(a.Name)] = a
		}
		var required, optional []*discordgo.ApplicationCommandOption
		for _, o := range v.opts {
			if _, isArg := args[o.Name]; !isArg {
				if o.Type != discordgo.ApplicationCommandOptionBoolean {
					t.Errorf("/%s: option %s is neither an argument nor a subcommand's switch", v.cmd, o.Name)
				}
				flags = append(flags, o)
			}
			if o.Required {
				required = append(required, o)
			} else {
				optional = append(optional, o)
			}
		}
		for mask := 0; mask < 1<<len(optional); mask++ {
			present := map[string]bool{}
			for _, o := range required {
				present[o.Name] = true
			}
			for i, o := range optional {
				present[o.Name] = mask&(1<<i) != 0
			}
			given := map[string]any{}
			words := []string{name}
			for _, f := range flags {
				if present[f.Name] {
					given[f.Name] = true
					words = append(words, f.Name)
					break // the first switch picks the subcommand
				}
			}
			for _, a := range spec.Args {
				if present[optionName(a.Name)] {
					o, text := sample(a)
					given[optionName(a.Name)] = o
					words = append(words, text)
				}
			}
			line := strings.Join(words, " ")
			got, err := ss.command(table, v.data(given))
			if err != nil {
				t.Errorf("%q from Discord: %v", line, err)
				continue
			}
			want, ok := table.ParseLine(line)
			if !ok {
				t.Errorf("%q does not parse as text", line)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Discord gave %s\ntext gave    %s", got, want)
			}
			covered[got.Name] = true
			if _, ok := formNeeded(got); ok {
				const text = "red private 45 words"
				withText, _ := table.ParseLine(line + " " + text)
				if modal := got.WithInput(text); !reflect.DeepEqual(modal, withText) {
					t.Errorf("modal gave %s\ntext gave  %s", modal, withText)
				}
			}
		}
	}
	// Every command members can run on Discord is registered.
	for _, s := range table.Specs() {
		subs := visibleSubs(s)
		if len(subs) == 0 || len(s.Args) > 0 {
			if !covered[s.Name] {
				t.Errorf("%q cannot be run as a slash command", s.Name)
			}
		}
		for _, sub := range subs {
			if !covered[s.Name+" "+sub.Name] {
				t.Errorf("%q cannot be run as a slash command", s.Name+" "+sub.Name)
			}
		}
	}
}

// FuzzSlashOptions feeds arbitrary values into the options of arbitrary
// registered commands. The conversion never panics, never refuses values
// of the registered types, and never lets a value stray from its own
// argument: a free-text string never becomes a colour, flag, number or
// subcommand, and free text is kept as typed (trimmed).
func FuzzSlashOptions(f *testing.F) {
	f.Add(uint8(0), uint16(0xffff), uint16(0), "red flag at work today", "private matter", int64(45), true)
	f.Add(uint8(0), uint16(4), uint16(0), "private red 45", "", int64(0), false)
	f.Add(uint8(2), uint16(3), uint16(0), "3 good things", "start", int64(3), false)
	f.Add(uint8(5), uint16(1), uint16(1), " ie ", "new zealand", int64(-1), true)
	f.Add(uint8(9), uint16(0xffff), uint16(0xffff), "\x00\xff", "   ", int64(1<<40), false)
	f.Add(uint8(17), uint16(7), uint16(2), "tue,thu", "19:00", int64(1441), true)
	f.Add(uint8(18), uint16(0xffff), uint16(0), " ", "\t", int64(1), false)
	table := bot.CommandTable()
	ss := newSlashSet(table)
	vs := variants(ss)
	f.Fuzz(func(t *testing.T, pick uint8, mask, wrong uint16, s1, s2 string, n int64, b bool) {
		v := vs[int(pick)%len(vs)]
		given := map[string]any{}
		mistyped := false
		for i, o := range v.opts {
			if mask&(1<<i) == 0 {
				continue
			}
			s := s1
			if i%2 == 1 {
				s = s2
			}
			var val any
			switch o.Type {
			case discordgo.ApplicationCommandOptionBoolean:
				val = b
			case discordgo.ApplicationCommandOptionInteger:
				val = float64(n)
			default:
				val = s
			}
			if wrong&(1<<i) != 0 {
				mistyped = true
				switch val.(type) {
				case string:
					val = float64(n)
				default:
					val = s
				}
			}
			given[o.Name] = val
		}
		cmd, err := ss.command(table, v.data(given))
		if err != nil {
			if !mistyped {
				t.Fatalf("/%s %s %v refused: %v", v.cmd, v.path(), given, err)
			}
			return
		}
		spec := cmd.Spec()
		if spec == nil {
			t.Fatalf("/%s %s: command without spec: %s", v.cmd, v.path(), cmd)
		}
		if want := v.textName(); cmd.Name != want && !strings.HasPrefix(cmd.Name, want+" ") {
			t.Fatalf("/%s %s became %q", v.cmd, v.path(), cmd.Name)
		}
		if cmd.Name != v.textName() {
			// Only a subcommand's switch may pick a subcommand.
			sw := strings.TrimPrefix(cmd.Name, v.textName()+" ")
			if on, _ := given[sw].(bool); !on {
				t.Fatalf("/%s %v became %q without its switch", v.cmd, given, cmd.Name)
			}
		}
		if cmd.Err() != nil {
			return // refused kindly by the core
		}
		for _, a := range spec.Args {
			if a.Required && a.Input == nil && !cmd.Has(a.Name) {
				t.Fatalf("%s without its required %s, and no problem said (%v)", cmd.Name, a.Name, given)
			}
			val, present := given[optionName(a.Name)]
			s, _ := val.(string)
			if cmd.Has(a.Name) && !present {
				t.Fatalf("%s: %s set though its option was not given (%v)", cmd.Name, a.Name, given)
			}
			switch a.Kind {
			case bot.ArgText, bot.ArgWord, bot.ArgCountry:
				if got, want := cmd.Text(a.Name), strings.TrimSpace(s); got != want {
					t.Fatalf("%s: %s = %q, want %q", cmd.Name, a.Name, got, want)
				}
			case bot.ArgFlag:
				if on, _ := val.(bool); cmd.Flag(a.Name) != on {
					t.Fatalf("%s: flag %s = %v, option said %v", cmd.Name, a.Name, cmd.Flag(a.Name), val)
				}
			case bot.ArgColour:
				if (cmd.Colour(a.Name) != bot.NoColour) != (strings.TrimSpace(s) != "") {
					t.Fatalf("%s: colour %v from option %q", cmd.Name, cmd.Colour(a.Name), s)
				}
			case bot.ArgMinutes, bot.ArgNumber:
				if _, isNumber := val.(float64); !isNumber {
					break // a string, sent where the registration says integer
				}
				if got, ok := cmd.Int(a.Name); ok && int64(got) != n {
					t.Fatalf("%s: %s = %d, option said %d", cmd.Name, a.Name, got, n)
				}
			}
		}
	})
}
