package bot

// Texts about reading commands. Like every text, they never repeat what
// the member typed.

// textTooLongArg names the limit an argument's value went over.
func textTooLongArg(a Arg, n int) Text {
	switch a.Name {
	case "words":
		return textWordsTooLong(a.Max, n)
	case "text":
		return msg("toolong.agreement", "max", a.Max, "n", n)
	case "prompt":
		return msg("toolong.prompt", "max", a.Max, "n", n)
	}
	return msg("toolong.other", "max", a.Max, "n", n)
}

// textBadArg says an argument could not be read, for kinds without a text
// of their own.
func textBadArg(a Arg) Text {
	switch a.Kind {
	case ArgColour:
		return msg("arg.colour")
	case ArgNumber:
		return msg("arg.number")
	case ArgWord:
		return msg("arg.word")
	}
	return msg("arg.unreadable")
}

// argNameText names a required argument for "Please add …".
func argNameText(a Arg) Text {
	if key := "arg.name." + a.Name; english.Has(key) {
		return msg(key)
	}
	return msg("arg.name.other")
}

// exampleText is a command's example line, in the reader's language.
func exampleText(spec *CommandSpec) Text { return cmdMsg("cmd." + spec.path + ".example") }

// textMissingArg says a required argument is missing.
func textMissingArg(name string, spec *CommandSpec, a Arg) Text {
	if spec.Example != "" {
		return msg("arg.missing.example", "arg", argNameText(a), "example", exampleText(spec))
	}
	return msg("arg.missing.help", "arg", argNameText(a), "help", T("").Cmd("help "+name))
}

// textExtraWords says a command got more than it takes.
func textExtraWords(name string, spec *CommandSpec) Text {
	if spec.Example != "" {
		return msg("arg.extra.example", "example", exampleText(spec), "help", T("").Cmd("help "+name))
	}
	return msg("arg.extra.help", "help", T("").Cmd("help "+name))
}

func textFormUnreadable() Text { return msg("form.unreadable") }

func textBadZone() Text { return msg("zone.bad") }

func textBadDays() Text { return msg("days.bad").NL().Add(textScheduleUsage()) }

func textBadTime() Text { return msg("time.bad").NL().Add(textScheduleUsage()) }

func textBadScheduleNumber() Text { return msg("schedule.number.bad") }

func textRemindUsage() Text { return msg("remind.usage") }

func textBadGroupNumber() Text { return msg("group.number.bad") }

func textScheduleUsage() Text { return msg("schedule.usage") }
