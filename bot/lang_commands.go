package bot

// The command table's words as messages: the table (commands.go) is the
// English source, and every language translates them under these keys:
//
//	cmd.<full name>.summary, .help, .example
//	cmd.<full name>.arg.<argument>             an argument's help
//	cmd.<full name>.arg.<argument>.<value>     a choice's label
//	cmd.<full name>.arg.<argument>.input       a form field's label
//
// Command names and choice values stay English: they are what members
// type.

// commandMessages returns the table's words by key.
func commandMessages(t *Table) map[string]string {
	out := map[string]string{}
	var walk func(s *CommandSpec)
	walk = func(s *CommandSpec) {
		k := "cmd." + s.path
		set := func(key, v string) {
			if v != "" {
				out[key] = v
			}
		}
		set(k+".summary", s.Summary)
		set(k+".help", s.Help)
		set(k+".example", s.Example)
		for _, a := range s.Args {
			ak := k + ".arg." + a.Name
			set(ak, a.Help)
			for _, ch := range a.Choices {
				set(ak+"."+ch.Value, ch.Label)
			}
			if a.Input != nil {
				set(ak+".input", a.Input.Label)
			}
		}
		for _, sub := range s.Sub {
			walk(sub)
		}
	}
	for _, s := range t.Specs() {
		walk(s)
	}
	return out
}

// word is message key in l as plain words (no markup), or fallback when
// the catalog has no such message.
func (l *Lang) word(key, fallback string) string {
	if !english.Has(key) {
		return fallback
	}
	return l.Resolve(msg(key)).String()
}

// Summary is a command's one-line summary in l.
func (l *Lang) Summary(s *CommandSpec) string { return l.word("cmd."+s.path+".summary", s.Summary) }

// ArgHelp is the help of argument a of command s in l.
func (l *Lang) ArgHelp(s *CommandSpec, a Arg) string {
	return l.word("cmd."+s.path+".arg."+a.Name, a.Help)
}

// ChoiceLabel is the label of choice ch of argument a of command s in l.
func (l *Lang) ChoiceLabel(s *CommandSpec, a Arg, ch Choice) string {
	return l.word("cmd."+s.path+".arg."+a.Name+"."+ch.Value, ch.Label)
}

// InputLabel is the label of argument a's form field in l.
func (l *Lang) InputLabel(s *CommandSpec, a Arg) string {
	if a.Input == nil {
		return ""
	}
	return l.word("cmd."+s.path+".arg."+a.Name+".input", a.Input.Label)
}

// Path is the command's full name ("round start").
func (s *CommandSpec) Path() string { return s.path }
