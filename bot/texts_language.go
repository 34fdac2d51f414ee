package bot

// Texts of !language.

// languageList names every language: "English (en), Deutsch (de), …".
func languageList() Text {
	t := Text{}
	for i, l := range catalogs {
		if i > 0 {
			t = t.P(", ")
		}
		t = t.P(l.name + " (" + l.code + ")")
	}
	return t
}

func languageName(l *Lang) string { return l.name + " (" + l.code + ")" }

// textLanguage shows the group's language (set says whether a facilitator
// chose it) and the member's own choice, if any.
func textLanguage(group *Lang, set bool, mine *Lang) Text {
	var t Text
	if set {
		t = msg("language.group", "language", languageName(group))
	} else {
		t = msg("language.group.default", "language", languageName(group))
	}
	t = t.P(" ").Add(msg("language.group.how"))
	if mine != nil {
		t = t.NL().Add(msg("language.mine", "language", languageName(mine)))
	} else {
		t = t.NL().Add(msg("language.mine.none"))
	}
	return t.NL().Add(msg("language.list", "languages", languageList()))
}

// textLanguageMine shows the member's own choice.
func textLanguageMine(mine *Lang) Text {
	if mine != nil {
		return msg("language.mine", "language", languageName(mine)).NL().Add(msg("language.mine.auto"))
	}
	return msg("language.mine.none").NL().Add(msg("language.list", "languages", languageList()))
}

func textLanguageSet(l *Lang) Text { return msg("language.group.set", "language", languageName(l)) }

func textLanguageMineSet(l *Lang) Text { return msg("language.mine.set", "language", languageName(l)) }

func textLanguageMineCleared() Text { return msg("language.mine.cleared") }

// textUnknownLanguage answers a code the catalog has no language for.
func textUnknownLanguage() Text {
	return msg("language.unknown", "languages", languageList())
}
