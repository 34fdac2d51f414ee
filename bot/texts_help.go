package bot

import "strings"

// Texts of !help. They are put together from the command table's own
// words (CommandSpec.Summary, Help, Example and Aliases in commands.go,
// which are part of the voice too) and the fixed words here.

// textHelp lists what the member can do, one line per command, then says
// which commands also work privately.
func textHelp(lines []helpLine) Text {
	t := T("").B("What I can do").NL()
	for _, l := range lines {
		t = t.P("• ").Cmd(l.name).P(" — " + l.spec.Summary)
		if l.spec.Access == FacilitatorsOnly {
			t = t.P(" (facilitators)")
		}
		t = t.NL()
	}
	return t.NL().P("Anything about you (").Cmd("crisis").P(", ").Cmd("support").P(", ").Cmd("checkin private").P(", ").Cmd("mydata").P(", ").Cmd("forgetme").
		P(") also works sent to me privately. Details: ").Cmd("help checkin").P(".")
}

// textHelpFor is the help of one command (full is its full name), with the
// subcommands the member may use.
func textHelpFor(full string, spec *CommandSpec, subs []*CommandSpec) Text {
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
	for _, sub := range subs {
		t = t.NL().P("• ").Cmd(full + " " + sub.Name).P(" — " + sub.Summary)
	}
	return t
}
