package bot

import "fmt"

// Texts about reading commands. Like every text, they never repeat what
// the member typed.

// textTooLongArg names the limit an argument's value went over.
func textTooLongArg(a Arg, n int) Text {
	switch a.Name {
	case "words":
		return textWordsTooLong(a.Max, n)
	case "text":
		return textTooLong("The agreement", a.Max, n)
	case "prompt":
		return textTooLong("The prompt", a.Max, n)
	}
	return textTooLong("That", a.Max, n)
}

// textBadArg says an argument could not be read, for kinds without a text
// of their own.
func textBadArg(a Arg) Text {
	switch a.Kind {
	case ArgColour:
		return T("Colours are green, amber or red.")
	case ArgNumber:
		return T("Please give a whole number, for example 2.")
	case ArgWord:
		return T("Please give just one word there.")
	}
	return T("I couldn't read that. ").Cmd("help").P(" shows how each command works.")
}

// textMissingArg says a required argument is missing.
func textMissingArg(name string, spec *CommandSpec, a Arg) Text {
	t := T(fmt.Sprintf("Please add the %s. ", a.Name))
	if spec.Example != "" {
		return t.P("For example ").Cmd(spec.Example).P(".")
	}
	return t.P("More: ").Cmd("help " + name).P(".")
}

// textExtraWords says a command got more than it takes.
func textExtraWords(name string, spec *CommandSpec) Text {
	t := T("I didn't follow the end of that, so I haven't done anything. ")
	if spec.Example != "" {
		return t.P("For example ").Cmd(spec.Example).P(". More: ").Cmd("help " + name).P(".")
	}
	return t.Cmd("help " + name).P(" shows how it works.")
}

func textFormUnreadable() Text {
	return T("Sorry, I couldn't read that. Please try again, or ").Cmd("help").P(" shows what I can do.")
}

func textBadZone() Text {
	return T("I don't know that time zone. Please use a name like ").Cmd("timezone Europe/London").P(" or ").Cmd("timezone America/New_York").P(" (capital letters matter).")
}

func textBadDays() Text {
	return T("I couldn't read the days. Use names like tue,thu, a range like mon-fri, or daily, weekdays or weekends.").NL().Add(textScheduleUsage())
}

func textBadTime() Text {
	return T("I couldn't read the time. Use the 24-hour clock, like 19:00.").NL().Add(textScheduleUsage())
}

func textBadScheduleNumber() Text {
	return T("Please give the schedule's number from ").Cmd("schedule list").P(", for example ").Cmd("schedule remove 2").P(".")
}

func textRemindUsage() Text {
	return T("Send ").Cmd("remind on").P(" for a private note when a round opens in your group, or ").Cmd("remind off").P(" to stop them.")
}

func textBadGroupNumber() Text {
	return T("Please give the group's number from the list ").Cmd("group").P(" shows, for example ").Cmd("group 2").P(".")
}

func textScheduleUsage() Text {
	return T("For example ").Cmd("schedule round tue,thu 19:00 45 How are you arriving?").P(": days, a 24-hour time in the group's time zone, then minutes and a prompt if you like.")
}
