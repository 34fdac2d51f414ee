package bot

// This file and the other texts*.go files build the words members see, in
// one place so they can be reviewed and translated as a whole. The words
// themselves are messages of the catalog (texts_en.go is the source;
// texts_de.go, texts_es.go, texts_fr.go and texts_pt.go translate it; the
// markup is described in lang.go). Tone, from care.md: short, warm, plain;
// no lectures, no alarm, no exclamation marks about distress, no emoji-only
// meaning. Member-supplied text is always added with U() or user().

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// colourText names a colour with its emoji and plain meaning.
func colourText(c Colour) Text {
	switch c {
	case Green:
		return msg("colour.green")
	case Amber:
		return msg("colour.amber")
	case Red:
		return msg("colour.red")
	}
	return msg("colour.none")
}

// agreementItems is how many points the built-in agreement has
// (agreement.default.1 …), written from care.md's common elements. A
// member can read it in under a minute.
const agreementItems = 10

// DefaultAgreement returns the built-in agreement as plain English text
// (what is stored when a group restores it; it is shown in the group's
// language).
func DefaultAgreement() string { return defaultAgreementText().String() }

func defaultAgreementText() Text {
	t := Text{}
	for i := 1; i <= agreementItems; i++ {
		if i > 1 {
			t = t.NL()
		}
		t = t.P("• ").Add(msg(fmt.Sprintf("agreement.default.%d", i)))
	}
	return t
}

func agreementText(a Agreement, zone *time.Location) Text {
	var t Text
	if a.Version > 0 && !a.Default {
		t = msg("agreement.title.version.date", "version", a.Version, "date", dateText(a.SetAt, zone)).NL().U(a.Text)
	} else {
		if a.Version > 0 {
			t = msg("agreement.title.version", "version", a.Version)
		} else {
			t = msg("agreement.title")
		}
		t = t.NL().Add(defaultAgreementText())
	}
	return t.NL().NL().Add(msg("agreement.agree"))
}

func textAgreementSetUsage() Text { return msg("agreement.set.usage") }

func textAgreementSaved(version int) Text { return msg("agreement.saved", "version", version) }

// textAgreementChanged is posted in the group with the new agreement.
func textAgreementChanged(a Agreement, zone *time.Location) Text {
	return msg("agreement.changed").NL().NL().Add(agreementText(a, zone))
}

// defaultPrompt is a round's question when the facilitator gives none: it
// is stored empty and shown in the group's language (promptText).
const defaultPrompt = ""

// promptText is a round's question: the facilitator's words, or the
// default question.
func promptText(p string) Text {
	if p == defaultPrompt {
		return msg("round.prompt.default")
	}
	return user(p)
}

var agreeAction = Action{Command: "agree", Label: textsEN["action.agree"], Emoji: "✅"}

// supportAction comes with the note after a red check-in.
var supportAction = Action{Command: "support", Label: textsEN["action.support"], Emoji: "🤝"}

func welcomeText(name string, a Agreement, zone *time.Location) Text {
	t := msg("welcome", "name", user(name)).NL().NL()
	t = t.Add(agreementText(a, zone)).NL()
	return t.Add(msg("welcome.private"))
}

// roundStatusText is the live status of a round. With limit > 0 (the
// platform's message size, in characters) the list of members stops
// before the limit and ends with "…and N more", the counts intact. Sizes
// are measured in the language whose words are longest, so the status
// fits in every language.
func roundStatusText(r Round, cs []CheckIn, zone *time.Location, limit int) Text {
	t := msg("round.title", "prompt", promptText(r.Prompt)).NL()
	if r.Closing {
		t = textClosingTitle(r).NL()
	}
	if r.Open() && r.Closing {
		t = t.Add(msg("closing.howto")).NL()
	} else if r.Open() {
		t = t.Add(msg("round.howto")).NL()
		t = t.Add(msg("round.private")).NL()
	}
	if r.Open() {
		t = t.Add(msg("round.until", "until", until(r.ClosesAt, r.OpenedAt, zone))).NL()
		t = t.Add(textStandingHelp())
	} else {
		t = t.Add(msg("round.closed.short"))
	}
	size := 0
	if limit > 0 {
		size = longest(t)
	}
	for i, c := range cs {
		line := T("\n• ").U(c.MemberName)
		switch {
		case c.Passed:
			line = line.Add(msg("round.line.passed"))
		case c.Private || c.Hidden || c.Colour == NoColour:
			line = line.Add(msg("round.line.checkedin"))
		default:
			line = line.Add(msg("round.line.colour", "colour", colourText(c.Colour)))
		}
		if limit > 0 {
			n := longest(line)
			if size+n+statusReserve > limit {
				return t.Add(textStatusMore(cs[i:], len(cs)))
			}
			size += n
		}
		t = t.Add(line)
	}
	return t
}

// longest is the length of t in characters in the language where it is
// longest.
func longest(t Text) int {
	n := 0
	for _, l := range catalogs {
		n = max(n, utf8.RuneCountInString(l.Resolve(t).String()))
	}
	return n
}

// statusReserve keeps room for the "…and N more" line.
const statusReserve = 100

func textStatusMore(rest []CheckIn, total int) Text {
	passed := 0
	for _, c := range rest {
		if c.Passed {
			passed++
		}
	}
	return T("\n").Add(msg("round.more", "n", len(rest), "total", total, "passed", passed))
}

func roundActions() []Action {
	return []Action{
		{Command: "checkin green", Label: textsEN["action.checkin green"], Emoji: "🟢"},
		{Command: "checkin amber", Label: textsEN["action.checkin amber"], Emoji: "🟠"},
		{Command: "checkin red", Label: textsEN["action.checkin red"], Emoji: "🔴"},
		{Command: "pass", Label: textsEN["action.pass"], Emoji: "⏭️"},
		{Command: "checkin", Label: textsEN["action.checkin"], Emoji: "✏️", Input: &Input{
			Label: textsEN["action.checkin.input"], Placeholder: textsEN["action.checkin.placeholder"],
			MaxLength: maxWords, Paragraph: true, Required: true,
		}},
	}
}

// localiseActions puts the labels of actions into l's words (by command:
// action.<command>, action.<command>.input, action.<command>.placeholder).
func (l *Lang) localiseActions(as []Action) []Action {
	if len(as) == 0 {
		return as
	}
	word := func(key, fallback string) string {
		if !english.Has(key) {
			return fallback
		}
		return l.Resolve(msg(key)).String()
	}
	out := make([]Action, len(as))
	for i, a := range as {
		key := actionKey(a.Command)
		a.Label = word(key, a.Label)
		if strings.HasSuffix(key, " #") {
			a.Label += a.Command[strings.LastIndexByte(a.Command, ' '):]
		}
		if a.Input != nil {
			in := *a.Input
			in.Label = word(key+".input", in.Label)
			in.Placeholder = word(key+".placeholder", in.Placeholder)
			a.Input = &in
		}
		out[i] = a
	}
	return out
}

// actionKey is the catalog key of an action's label: action.<command>,
// else, for a command ending in a number ("done 12", "tip approve 3"),
// action.<command without it> or action.<command without it> # (whose
// label is followed by the number).
func actionKey(cmd string) string {
	key := "action." + cmd
	if english.Has(key) {
		return key
	}
	i := strings.LastIndexByte(cmd, ' ')
	if i < 0 {
		return key
	}
	if _, err := strconv.Atoi(cmd[i+1:]); err != nil {
		return key
	}
	if english.Has("action." + cmd[:i] + " #") {
		return "action." + cmd[:i] + " #"
	}
	if english.Has("action." + cmd[:i]) {
		return "action." + cmd[:i]
	}
	return key
}

func summaryText(cs []CheckIn) Text {
	var in, passed, private int
	counts := map[Colour]int{}
	for _, c := range cs {
		switch {
		case c.Passed:
			passed++
		case c.Private || c.Hidden:
			// A private colour is not counted in public: in a small group the
			// counts would give it away.
			in++
			private++
		default:
			in++
			counts[c.Colour]++
		}
	}
	t := msg("round.summary", "in", in, "passed", passed).NL()
	t = t.Add(msg("round.summary.counts", "green", counts[Green], "amber", counts[Amber], "red", counts[Red], "none", counts[NoColour]))
	if private > 0 {
		t = t.P(" · ").Add(msg("round.summary.private", "n", private))
	}
	t = t.NL()
	return t.Add(msg("round.summary.thanks"))
}

// until names a closing time for people in zone: "19:30 (Europe/London)",
// with the weekday when it is not on the same local day as from.
func until(t, from time.Time, zone *time.Location) Text {
	lt, lf := t.In(zone), from.In(zone)
	if lt.YearDay() != lf.YearDay() || lt.Year() != lf.Year() {
		return msg("time.until.day", "weekday", weekdayText(lt.Weekday()), "time", lt.Format("15:04"), "zone", zoneName(zone))
	}
	return msg("time.until", "time", lt.Format("15:04"), "zone", zoneName(zone))
}

// when names a moment for people in zone: "Mon 7 Jan 19:00 (Europe/London)".
func when(t time.Time, zone *time.Location) Text {
	lt := t.In(zone)
	return msg("time.when", "weekday", weekdayText(lt.Weekday()), "day", lt.Day(), "month", monthText(lt.Month()),
		"time", lt.Format("15:04"), "zone", zoneName(zone))
}

// dateText names a day: "2 Jan 2006".
func dateText(t time.Time, zone *time.Location) Text {
	lt := t.In(zone)
	return msg("time.date", "day", lt.Day(), "month", monthText(lt.Month()), "year", lt.Year())
}

// dateTimeText names a day and time: "2 Jan 2006 15:04".
func dateTimeText(t time.Time, zone *time.Location) Text {
	return msg("time.datetime", "date", dateText(t, zone), "time", t.In(zone).Format("15:04"))
}

func weekdayText(d time.Weekday) Text { return msg(fmt.Sprintf("weekday.%d", int(d))) }

func monthText(m time.Month) Text { return msg(fmt.Sprintf("month.%d", int(m))) }

func zoneName(z *time.Location) string {
	if z == nil {
		return "UTC"
	}
	return z.String()
}
