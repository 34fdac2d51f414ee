package bot

import "strings"

func (b *Bot) cmdHelp(c *call) error {
	if name := c.cmd.Text("command"); name != "" {
		return b.helpFor(c, strings.TrimPrefix(strings.ToLower(name), b.prefix))
	}
	var lines []helpLine
	for _, spec := range b.commands.Specs() {
		lines = helpLines(lines, spec, spec.Name, c.ev.Member.Facilitator)
	}
	c.private(textHelp(lines))
	return nil
}

// helpLine is one line of the help list: a runnable command (or
// subcommand) the member may use, by its full name.
type helpLine struct {
	name string
	spec *CommandSpec
}

// helpLines appends one line per runnable command (and subcommand) the
// member may use.
func helpLines(lines []helpLine, spec *CommandSpec, name string, facilitator bool) []helpLine {
	if spec.Access == FacilitatorsOnly && !facilitator {
		return lines
	}
	if spec.run != nil {
		lines = append(lines, helpLine{name: name, spec: spec})
	}
	for _, sub := range spec.Sub {
		if sub.Hidden {
			continue
		}
		lines = helpLines(lines, sub, name+" "+sub.Name, facilitator)
	}
	return lines
}

func (b *Bot) helpFor(c *call, name string) error {
	words := strings.Fields(name)
	if len(words) == 1 && words[0] == "cw" {
		c.private(textHelpCW(PlatformOf(string(c.ev.Member.ID)), c.ev.Member.Facilitator))
		return nil
	}
	if len(words) == 0 {
		return Userf(textUnknownCommand())
	}
	spec, ok := b.commands.Lookup(words[0])
	if !ok {
		return Userf(textUnknownCommand())
	}
	full := spec.Name
	if len(words) > 1 {
		if sub, ok := subNamed(spec, words[1]); ok {
			spec, full = sub, full+" "+sub.Name
		}
	}
	var subs []*CommandSpec
	for _, sub := range spec.Sub {
		if sub.Hidden || (sub.Access == FacilitatorsOnly && !c.ev.Member.Facilitator) {
			continue
		}
		subs = append(subs, sub)
	}
	c.private(textHelpFor(full, spec, subs))
	return nil
}
