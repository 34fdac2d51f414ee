package bot

// ActionHint is the line under a message that offers actions on a platform
// without buttons: reactions to press (one per emoji) and commands to type
// (actions that ask for words, or share an emoji). Commands are shown with
// prefix. It returns nil when there is nothing to offer.
func ActionHint(prefix string, reactions, typed []Action) Text {
	if len(reactions) == 0 && len(typed) == 0 {
		return nil
	}
	t := Text{}
	if len(reactions) > 0 {
		t = t.P("React with")
		for i, act := range reactions {
			if i > 0 {
				t = t.P(",")
			}
			t = t.P(" " + act.Emoji + " for ").C(prefix + act.Command)
		}
		t = t.P(", or type the command.")
	}
	for i, act := range typed {
		if i == 0 && len(reactions) > 0 {
			t = t.NL()
		}
		if i > 0 {
			t = t.P(" ")
		}
		label := act.Command
		if act.Input != nil {
			label += " …"
		}
		t = t.P("Type ").C(prefix + label)
		if act.Label != "" {
			t = t.P(" (" + act.Label + ")")
		}
		t = t.P(".")
	}
	return t
}
