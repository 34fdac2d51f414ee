package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/peerbot/peerbot/bot/schedule"
)

// Table is the command table with the one parser every platform uses: text
// lines through the text grammar (ParseText, ParseLine), typed options
// through FromOptions. Both read the same declarations (CommandSpec.Args),
// so a command means the same wherever it was typed. A Table is read-only
// and safe for concurrent use.
type Table struct {
	specs []*CommandSpec
	index map[string]*CommandSpec
}

func newTable(specs []*CommandSpec) *Table {
	t := &Table{specs: specs, index: map[string]*CommandSpec{}}
	for _, s := range specs {
		t.index[s.Name] = s
		for _, a := range s.Aliases {
			t.index[a] = s
		}
		setPaths(s, s.Name)
	}
	return t
}

// setPaths records each spec's full name (its messages' keys use it).
func setPaths(s *CommandSpec, path string) {
	s.path = path
	for _, sub := range s.Sub {
		setPaths(sub, path+" "+sub.Name)
	}
}

// CommandTable returns the command table without a running core: for
// platform registration, documentation and parser tests. Its commands can
// be parsed but not run.
func CommandTable() *Table { return (&Bot{}).table() }

// Specs returns the commands in table order. The caller must not modify
// them.
func (t *Table) Specs() []*CommandSpec { return t.specs }

// Lookup returns the spec of a full command name ("round start"), or false.
func (t *Table) Lookup(name string) (*CommandSpec, bool) {
	words := strings.Fields(strings.ToLower(name))
	if len(words) == 0 {
		return nil, false
	}
	spec, ok := t.index[words[0]]
	for _, w := range words[1:] {
		if !ok {
			break
		}
		spec, ok = subNamed(spec, w)
	}
	return spec, ok
}

func subNamed(spec *CommandSpec, word string) (*CommandSpec, bool) {
	for _, sub := range spec.Sub {
		if matchName(sub, word) {
			return sub, true
		}
	}
	return nil, false
}

func matchName(spec *CommandSpec, word string) bool {
	word = strings.ToLower(word)
	if spec.Name == word {
		return true
	}
	for _, a := range spec.Aliases {
		if a == word {
			return true
		}
	}
	return false
}

// ParseText reads a message. It returns false when the text is not
// addressed to the bot: it does not start with prefix followed directly by
// a word ("! checkin" and "hello" are chat). Otherwise it returns the
// command, which may carry a problem (Command.Err). Leading white space is
// ignored; nothing is cut, however long the text.
func (t *Table) ParseText(prefix, text string) (Command, bool) {
	text = strings.TrimLeftFunc(text, unicode.IsSpace)
	if prefix == "" || !strings.HasPrefix(text, prefix) {
		return Command{}, false
	}
	rest := text[len(prefix):]
	if r, _ := utf8.DecodeRuneInString(rest); unicode.IsSpace(r) {
		return Command{}, false
	}
	return t.ParseLine(rest)
}

// ParseLine reads a command line without prefix ("checkin amber tired"),
// as a private message or a button's command. It returns false when the
// line does not start with a name (a letter, then letters, digits, '-' or
// '_', then white space or the end).
func (t *Table) ParseLine(line string) (Command, bool) {
	name, rest, ok := cutName(line)
	if !ok {
		return Command{}, false
	}
	spec, known := t.index[name]
	if !known {
		return Command{Name: name, bad: &UserError{Text: textUnknownCommand()}}, true
	}
	full := spec.Name
	for len(spec.Sub) > 0 {
		word, after := cutWord(rest)
		sub, ok := subNamed(spec, word)
		if !ok || (sub.when != nil && !sub.when(strings.Fields(after))) {
			break
		}
		spec, full, rest = sub, full+" "+sub.Name, after
	}
	cmd := Command{Name: full, spec: spec}
	if spec.run == nil && len(spec.Sub) > 0 {
		cmd.bad = &UserError{Text: textUnknownSub(full, spec)}
		return cmd, true
	}
	cmd.bad = parseArgs(&cmd, spec, rest)
	return cmd, true
}

// cutName splits a line into its lower-cased command name and the rest.
func cutName(line string) (name, rest string, ok bool) {
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	end := strings.IndexFunc(line, func(r rune) bool { return !isNameRune(r) })
	if end < 0 {
		end = len(line)
	}
	name, rest = line[:end], line[end:]
	if first, _ := utf8.DecodeRuneInString(name); name == "" || !unicode.IsLetter(first) {
		return "", "", false
	}
	if r, _ := utf8.DecodeRuneInString(rest); rest != "" && !unicode.IsSpace(r) {
		return "", "", false
	}
	return strings.ToLower(name), rest, true
}

func isNameRune(r rune) bool {
	return r == '-' || r == '_' || (r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)))
}

// cutWord returns the first word of s and what follows it (leading white
// space of both removed; line breaks inside the rest kept).
func cutWord(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	end := strings.IndexFunc(s, unicode.IsSpace)
	if end < 0 {
		return s, ""
	}
	return s[:end], strings.TrimLeftFunc(s[end:], unicode.IsSpace)
}

// parseArgs reads spec's arguments from the text after the command's name,
// in declaration order (see ArgKind for how each kind is read).
func parseArgs(cmd *Command, spec *CommandSpec, rest string) *UserError {
	for _, a := range spec.Args {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if a.Kind.takesRest() {
			v := strings.TrimRightFunc(rest, unicode.IsSpace)
			rest = ""
			if v == "" {
				// A form argument is asked for when missing (Discord's
				// modal); its handler explains it to text users.
				if a.Required && a.Input == nil {
					return missing(cmd.Name, spec, a)
				}
				continue
			}
			if bad := setValue(cmd, a, v); bad != nil {
				return bad
			}
			continue
		}
		word, after := cutWord(rest)
		if word == "" {
			if a.Required {
				return missing(cmd.Name, spec, a)
			}
			continue
		}
		switch a.Kind {
		case ArgFlag:
			if strings.EqualFold(word, a.Name) {
				cmd.set(a, value{flag: true})
				rest = after
			}
			continue
		case ArgColour:
			col, ok := parseColour(word)
			if ok && strings.EqualFold(word, "a") && after != "" {
				ok = false // "a bit tired" is words
			}
			if ok {
				cmd.set(a, value{colour: col})
				rest = after
			} else if a.Required {
				return badValue(a)
			}
			continue
		case ArgMinutes:
			if r, _ := utf8.DecodeRuneInString(word); !a.Required && r != '-' && r != '+' && (r < '0' || r > '9') {
				continue // not minutes: the words are the next argument's
			}
		}
		if bad := setValue(cmd, a, word); bad != nil {
			return bad
		}
		rest = after
	}
	if strings.TrimSpace(rest) != "" && len(spec.Args) > 0 {
		return &UserError{Text: textExtraWords(cmd.Name, spec)}
	}
	return nil
}

// setValue reads s as argument a's kind and records it, or returns what to
// tell the member.
func setValue(cmd *Command, a Arg, s string) *UserError {
	switch a.Kind {
	case ArgFlag:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return badValue(a)
		}
		if b {
			cmd.set(a, value{flag: true})
		}
	case ArgColour:
		col, ok := parseColour(s)
		if !ok {
			return badValue(a)
		}
		cmd.set(a, value{colour: col})
	case ArgChoice:
		for _, ch := range a.Choices {
			if strings.EqualFold(s, ch.Value) {
				cmd.set(a, value{text: ch.Value})
				return nil
			}
		}
		return badValue(a)
	case ArgMinutes, ArgNumber:
		if a.Kind == ArgMinutes {
			s = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(s), "min"), "m")
		}
		n, err := strconv.Atoi(s)
		if err != nil || (a.Min != 0 && n < a.Min) || (a.Max != 0 && n > a.Max) {
			return badValue(a)
		}
		cmd.set(a, value{n: n})
	case ArgWord:
		if strings.ContainsFunc(s, unicode.IsSpace) {
			return badValue(a)
		}
		if a.Max > 0 && utf8.RuneCountInString(s) > a.Max {
			return &UserError{Text: textTooLongArg(a, utf8.RuneCountInString(s))}
		}
		cmd.set(a, value{text: s})
	case ArgZone:
		loc, err := schedule.LoadZone(s)
		if err != nil {
			return badValue(a)
		}
		cmd.set(a, value{text: loc.String()})
	case ArgDays:
		days, err := schedule.ParseDays(s)
		if err != nil {
			return badValue(a)
		}
		cmd.set(a, value{days: days})
	case ArgTime:
		h, m, err := schedule.ParseClock(s)
		if err != nil {
			return badValue(a)
		}
		cmd.set(a, value{n: h*60 + m})
	case ArgText, ArgCountry:
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		if n := utf8.RuneCountInString(s); a.Max > 0 && n > a.Max {
			if !a.KeepOver {
				return &UserError{Text: textTooLongArg(a, n)}
			}
			cmd.set(a, value{text: strings.TrimSpace(cutRunes(s, a.Max)), over: n})
			return nil
		}
		cmd.set(a, value{text: s})
	default:
		return &UserError{Text: textSorry()}
	}
	return nil
}

// cutRunes returns the first n characters of s.
func cutRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

func badValue(a Arg) *UserError {
	if a.bad != nil {
		return &UserError{Text: a.bad()}
	}
	return &UserError{Text: textBadArg(a)}
}

func missing(name string, spec *CommandSpec, a Arg) *UserError {
	return &UserError{Text: textMissingArg(name, spec, a)}
}

// FromOptions builds the command a platform's typed form stands for
// (Discord's slash command options): name is the full command name
// ("round start") and opts maps argument names to values as the platform
// sent them (string, bool, float64 or int). A string is only ever the value
// of its own argument: no word in it becomes a colour, flag, number or
// subcommand. Values are checked against the same limits as text. The
// error is for the adapter's log (an unknown command or option, a value of
// the wrong type); problems the member should hear are in Command.Err.
func (t *Table) FromOptions(name string, opts map[string]any) (Command, error) {
	spec, ok := t.Lookup(name)
	if !ok {
		return Command{}, fmt.Errorf("from options: unknown command %q", name)
	}
	cmd := Command{Name: fullName(t, spec, name), spec: spec}
	known := map[string]bool{}
	for _, a := range spec.Args {
		known[a.Name] = true
	}
	for k := range opts {
		if !known[k] {
			return Command{}, fmt.Errorf("from options: %q has no option %q", cmd.Name, k)
		}
	}
	if spec.run == nil {
		cmd.bad = &UserError{Text: textUnknownSub(cmd.Name, spec)}
		return cmd, nil
	}
	for _, a := range spec.Args {
		raw, given := opts[a.Name]
		if !given || raw == nil {
			if a.Required && a.Input == nil {
				cmd.bad = missing(cmd.Name, spec, a)
				return cmd, nil
			}
			continue
		}
		s, err := optionString(a, raw)
		if err != nil {
			return Command{}, fmt.Errorf("from options: %s %s: %w", cmd.Name, a.Name, err)
		}
		if s == "" {
			if a.Required && a.Input == nil {
				cmd.bad = missing(cmd.Name, spec, a)
				return cmd, nil
			}
			continue
		}
		if bad := setValue(&cmd, a, s); bad != nil {
			cmd.bad = bad
			return cmd, nil
		}
	}
	return cmd, nil
}

// fullName returns spec's canonical full name for a name typed with
// aliases.
func fullName(t *Table, spec *CommandSpec, typed string) string {
	words := strings.Fields(strings.ToLower(typed))
	top := t.index[words[0]]
	out := []string{top.Name}
	s := top
	for _, w := range words[1:] {
		s, _ = subNamed(s, w)
		out = append(out, s.Name)
	}
	return strings.Join(out, " ")
}

// optionString turns a platform's option value into the text setValue
// reads, checking that its type fits the argument's kind.
func optionString(a Arg, v any) (string, error) {
	switch x := v.(type) {
	case string:
		if a.Kind == ArgFlag {
			return "", fmt.Errorf("want a boolean, got a string")
		}
		return strings.TrimSpace(x), nil
	case bool:
		if a.Kind != ArgFlag {
			return "", fmt.Errorf("want %s, got a boolean", kindName(a.Kind))
		}
		return strconv.FormatBool(x), nil
	case float64:
		if a.Kind != ArgMinutes && a.Kind != ArgNumber {
			return "", fmt.Errorf("want %s, got a number", kindName(a.Kind))
		}
		if x != float64(int64(x)) || x > 1e9 || x < -1e9 {
			return "x", nil // not a whole number: setValue refuses it kindly
		}
		return strconv.FormatInt(int64(x), 10), nil
	case int:
		return optionString(a, float64(x))
	case int64:
		return optionString(a, float64(x))
	}
	return "", fmt.Errorf("unsupported option type %T", v)
}

func kindName(k ArgKind) string {
	switch k {
	case ArgFlag:
		return "a boolean"
	case ArgMinutes, ArgNumber:
		return "a number"
	}
	return "a string"
}

// WithInput returns cmd with text as the value of its form argument (the
// argument a platform asked for in a modal, else its first free-text
// argument not given yet), checked against that argument's limit. The text
// is only ever that argument's value. A command without such an argument
// gets a problem.
func (c Command) WithInput(text string) Command {
	if c.spec == nil || c.bad != nil {
		return c
	}
	arg, ok := c.spec.FormArg()
	if !ok {
		for _, a := range c.spec.Args {
			if a.Kind == ArgText && !c.Has(a.Name) {
				arg, ok = a, true
				break
			}
		}
	}
	if !ok {
		c.bad = &UserError{Text: textFormUnreadable()}
		return c
	}
	vals := make(map[string]value, len(c.vals)+1)
	for k, v := range c.vals {
		vals[k] = v
	}
	c.vals = vals
	delete(c.vals, arg.Name)
	if strings.TrimSpace(text) == "" && arg.Required {
		c.bad = missing(c.Name, c.spec, arg)
		return c
	}
	c.bad = setValue(&c, arg, text)
	return c
}

// Unreadable returns a command that could not be read at all (a form whose
// fields did not arrive, a command the platform no longer knows); Handle
// answers it with a kind note and changes nothing.
func Unreadable() Command {
	return Command{Name: "?", bad: &UserError{Text: textFormUnreadable()}}
}

// parseColour reads a colour word: green/amber/red, g/a/r, 🟢🟠🔴.
func parseColour(w string) (Colour, bool) {
	switch strings.ToLower(strings.TrimSuffix(w, "\ufe0f")) {
	case "green", "g", "🟢":
		return Green, true
	case "amber", "a", "orange", "🟠", "🟡":
		return Amber, true
	case "red", "r", "🔴":
		return Red, true
	}
	return NoColour, false
}
