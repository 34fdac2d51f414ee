package bot

import "strings"

func (b *Bot) cmdHelp(c *call) error {
	if name := c.cmd.Text("command"); name != "" {
		return b.helpFor(c, strings.TrimPrefix(strings.ToLower(name), b.prefix))
	}
	t := T("").B("What I can do").NL()
	for _, spec := range b.commands.Specs() {
		t = b.helpLines(t, spec, spec.Name, c.ev.Member.Facilitator)
	}
	t = t.NL().P("Anything about you (").Cmd("crisis").P(", ").Cmd("support").P(", ").Cmd("checkin private").P(", ").Cmd("mydata").P(", ").Cmd("forgetme").
		P(") also works sent to me privately. Details: ").Cmd("help checkin").P(".")
	c.private(t)
	return nil
}

// helpLines appends one line per runnable command (and subcommand) the
// member may use.
func (b *Bot) helpLines(t Text, spec *CommandSpec, name string, facilitator bool) Text {
	if spec.Access == FacilitatorsOnly && !facilitator {
		return t
	}
	if spec.run != nil {
		t = t.P("• ").Cmd(name).P(" — " + spec.Summary)
		if spec.Access == FacilitatorsOnly {
			t = t.P(" (facilitators)")
		}
		t = t.NL()
	}
	for _, sub := range spec.Sub {
		if sub.Hidden {
			continue
		}
		t = b.helpLines(t, sub, name+" "+sub.Name, facilitator)
	}
	return t
}

func (b *Bot) helpFor(c *call, name string) error {
	words := strings.Fields(name)
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
	t := T("").Cmd(full).P(" — " + spec.Summary)
	if spec.Access == FacilitatorsOnly {
		t = t.P(" Facilitators only.")
	}
	if spec.Help != "" {
		t = t.NL().P(spec.Help)
	}
	if len(spec.Aliases) > 0 {
		t = t.NL().P("Also: " + strings.Join(spec.Aliases, ", "))
	}
	if spec.Example != "" {
		t = t.NL().P("Example: ").Cmd(spec.Example)
	}
	for _, sub := range spec.Sub {
		if sub.Hidden || (sub.Access == FacilitatorsOnly && !c.ev.Member.Facilitator) {
			continue
		}
		t = t.NL().P("• ").Cmd(full + " " + sub.Name).P(" — " + sub.Summary)
	}
	c.private(t)
	return nil
}
