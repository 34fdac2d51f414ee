package bot

import "strings"

// Texts of !help. They are put together from the command table's own
// words (CommandSpec.Summary, Help, Example and Aliases in commands.go,
// which are part of the voice too, as messages cmd.<command>.summary …)
// and the fixed words here.

// textHelp lists what the member can do, one line per command, then says
// which commands also work privately.
func textHelp(lines []helpLine) Text {
	t := msg("help.title").NL()
	for _, l := range lines {
		t = t.P("• ").Cmd(l.name).P(" — ").Add(summaryOf(l.spec))
		if l.spec.Access == FacilitatorsOnly {
			t = t.P(" ").Add(msg("help.facilitators"))
		}
		t = t.NL()
	}
	return t.NL().Add(msg("help.private"))
}

func summaryOf(spec *CommandSpec) Text { return msg("cmd." + spec.path + ".summary") }

// textHelpFor is the help of one command (full is its full name), with the
// subcommands the member may use.
func textHelpFor(full string, spec *CommandSpec, subs []*CommandSpec) Text {
	t := T("").Cmd(full).P(" — ").Add(summaryOf(spec))
	if spec.Access == FacilitatorsOnly {
		t = t.P(" ").Add(msg("help.facilitators.only"))
	}
	if spec.Help != "" {
		t = t.NL().Add(msg("cmd." + spec.path + ".help"))
	}
	if len(spec.Aliases) > 0 {
		t = t.NL().Add(msg("help.aliases", "aliases", strings.Join(spec.Aliases, ", ")))
	}
	if spec.Example != "" {
		t = t.NL().Add(msg("help.example", "example", exampleText(spec)))
	}
	for _, sub := range subs {
		t = t.NL().P("• ").Cmd(full + " " + sub.Name).P(" — ").Add(summaryOf(sub))
	}
	return t
}
