package bot

// ActionHint is the line under a message that offers actions on a platform
// without buttons: reactions to press (one per emoji) and commands to type
// (actions that ask for words, or share an emoji). Commands are shown with
// prefix. lang is the language of the message (Reply.Language); the
// actions' labels are in it already. It returns nil when there is nothing
// to offer.
func ActionHint(lang, prefix string, reactions, typed []Action) Text {
	if len(reactions) == 0 && len(typed) == 0 {
		return nil
	}
	t := Text{}
	if len(reactions) > 0 {
		items := Text{}
		for i, act := range reactions {
			if i > 0 {
				items = items.P(", ")
			}
			items = items.Add(msg("hint.react.item", "emoji", act.Emoji, "command", T("").C(prefix+act.Command)))
		}
		t = t.Add(msg("hint.react", "items", items))
	}
	for i, act := range typed {
		if i == 0 && len(reactions) > 0 {
			t = t.NL()
		}
		if i > 0 {
			t = t.P(" ")
		}
		line := act.Command
		if act.Input != nil {
			line += " …"
		}
		if act.Label != "" {
			t = t.Add(msg("hint.type.label", "command", T("").C(prefix+line), "label", act.Label))
		} else {
			t = t.Add(msg("hint.type", "command", T("").C(prefix+line)))
		}
	}
	return languageOrEnglish(lang).Resolve(t)
}
