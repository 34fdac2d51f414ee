package bot

// This file holds the words members see, in one place so they can be
// reviewed (and later translated) as a whole. Tone, from care.md: short,
// warm, plain; no lectures, no alarm, no exclamation marks about distress,
// no emoji-only meaning. Member-supplied text is always added with U().

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// colourText names a colour with its emoji and plain meaning.
func colourText(c Colour) string {
	switch c {
	case Green:
		return "🟢 green"
	case Amber:
		return "🟠 amber"
	case Red:
		return "🔴 red"
	}
	return "no colour"
}

// defaultAgreementItems is the built-in agreement, written from care.md's
// common elements. A member can read it in under a minute.
var defaultAgreementItems = []string{
	"This is a safe, non-judgemental space. Be kind, and step away rather than argue.",
	"What is shared here stays here: no screenshots, no reposting, no talking about members who aren't here.",
	"Stay anonymous: no real names, contact details, locations or photos.",
	"No graphic detail: no methods, tools, injuries, numbers or medication names. Put a content warning before a heavy post.",
	"Speak from your own experience. No advice unless someone asks for it, and no cross-talk during a round.",
	"You can always pass. Listening is taking part.",
	"There is no pressure to stop. We talk about feelings and reasons, not the act, and we don't compare.",
	"This group is not a crisis service. If you need help now, send the bot crisis privately for lines you can reach any time.",
	"Facilitators may add a warning, edit or remove a post, and will tell you why privately. Support stays here, not in private messages between members.",
	"Look after yourself. Take a break whenever you need one.",
}

// DefaultAgreement returns the built-in agreement as plain text (what is
// stored when a group restores it).
func DefaultAgreement() string {
	var b strings.Builder
	for _, it := range defaultAgreementItems {
		b.WriteString("• " + it + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func defaultAgreementText() Text {
	t := Text{}
	for i, it := range defaultAgreementItems {
		if i > 0 {
			t = t.NL()
		}
		if before, after, ok := strings.Cut(it, "send the bot crisis privately"); ok {
			t = t.P("• " + before + "send ").Cmd("crisis").P(" to the bot privately" + after)
			continue
		}
		t = t.P("• " + it)
	}
	return t
}

func agreementText(a Agreement, zone *time.Location) Text {
	t := T("").B("Our group agreement")
	if a.Version > 0 && !a.Default {
		t = t.P(fmt.Sprintf(" (version %d, %s)", a.Version, a.SetAt.In(zone).Format("2 Jan 2006"))).NL()
		t = t.U(a.Text)
	} else {
		if a.Version > 0 {
			t = t.P(fmt.Sprintf(" (version %d)", a.Version))
		}
		t = t.NL().Add(defaultAgreementText())
	}
	return t.NL().NL().P("If you're happy to be part of the group on these terms, send ").Cmd("agree").P(".")
}

func textAgreementSetUsage() Text {
	return T("Please add the new agreement after the command, for example ").Cmd("agreement set Be kind. What is shared here stays here.").P(" Several lines are fine.")
}

func textAgreementSaved(version int) Text {
	return T(fmt.Sprintf("Saved as version %d. I've asked everyone to read it and agree again.", version))
}

// textAgreementChanged is posted in the group with the new agreement.
func textAgreementChanged(a Agreement, zone *time.Location) Text {
	return T("").B("The group agreement has changed.").P(" Please read it, and agree again if you're happy with it.").NL().NL().Add(agreementText(a, zone))
}

// defaultPrompt is a round's question when the facilitator gives none.
const defaultPrompt = "How are you arriving today?"

var agreeAction = Action{Command: "agree", Label: "I agree", Emoji: "✅"}

// supportAction comes with the note after a red check-in.
var supportAction = Action{Command: "support", Label: "Let a facilitator know", Emoji: "🤝"}

func welcomeText(name string, a Agreement, zone *time.Location) Text {
	t := T("Welcome, ").U(name).P(". This is a peer-support group: people here listen and talk with each other. Here is how we look after each other.").NL().NL()
	t = t.Add(agreementText(a, zone)).NL()
	return t.P("Anything about you (").Cmd("crisis").P(", ").Cmd("support").P(", a private check-in) you can also send to me privately.")
}

// roundStatusText is the live status of a round. With limit > 0 (the
// platform's message size, in characters) the list of members stops
// before the limit and ends with "…and N more", the counts intact.
func roundStatusText(r Round, cs []CheckIn, zone *time.Location, limit int) Text {
	t := T("").B("Check-in round").P(": ").U(r.Prompt).NL()
	if r.Open() {
		t = t.P("Check in with ").Cmd("checkin green, amber or red").P(", with a few words if you like, or ").Cmd("pass").P(". Passing is always fine.").NL()
		t = t.P("Words only for the facilitators: send me ").Cmd("checkin private amber …").P(" privately.").NL()
		t = t.P("Open until " + until(r.ClosesAt, r.OpenedAt, zone) + ".").NL()
		t = t.Add(textStandingHelp())
	} else {
		t = t.P("This round has closed.")
	}
	size := utf8.RuneCountInString(t.String())
	for i, c := range cs {
		line := T("\n• ").U(c.MemberName)
		switch {
		case c.Passed:
			line = line.P(": passed")
		case c.Private || c.Hidden || c.Colour == NoColour:
			line = line.P(": checked in")
		default:
			line = line.P(": " + colourText(c.Colour))
		}
		n := utf8.RuneCountInString(line.String())
		if limit > 0 && size+n+statusReserve > limit {
			return t.Add(textStatusMore(cs[i:], len(cs)))
		}
		t, size = t.Add(line), size+n
	}
	return t
}

// statusReserve keeps room for the "…and N more" line.
const statusReserve = 80

func textStatusMore(rest []CheckIn, total int) Text {
	passed := 0
	for _, c := range rest {
		if c.Passed {
			passed++
		}
	}
	return T(fmt.Sprintf("\n…and %d more (%d in this round so far; %d of them passed).", len(rest), total, passed))
}

func roundActions() []Action {
	return []Action{
		{Command: "checkin green", Label: "Green", Emoji: "🟢"},
		{Command: "checkin amber", Label: "Amber", Emoji: "🟠"},
		{Command: "checkin red", Label: "Red", Emoji: "🔴"},
		{Command: "pass", Label: "Pass", Emoji: "⏭️"},
		{Command: "checkin", Label: "Add words", Emoji: "✏️", Input: &Input{
			Label: "A few words about how you are", Placeholder: "tired but here",
			MaxLength: maxWords, Paragraph: true, Required: true,
		}},
	}
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
	t := T("").B("The round has closed.").P(fmt.Sprintf(" %s checked in, %d passed.", people(in), passed)).NL()
	t = t.P(fmt.Sprintf("🟢 green %d · 🟠 amber %d · 🔴 red %d · no colour %d",
		counts[Green], counts[Amber], counts[Red], counts[NoColour]))
	if private > 0 {
		t = t.P(fmt.Sprintf(" · privately %d", private))
	}
	t = t.NL()
	return t.P("Thank you for being here, and for listening to each other. Take care until next time.")
}

func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

// until names a closing time for people in zone: "19:30 (Europe/London)",
// with the weekday when it is not on the same local day as from.
func until(t, from time.Time, zone *time.Location) string {
	lt, lf := t.In(zone), from.In(zone)
	if lt.YearDay() != lf.YearDay() || lt.Year() != lf.Year() {
		return lt.Format("Mon 15:04") + " (" + zoneName(zone) + ")"
	}
	return lt.Format("15:04") + " (" + zoneName(zone) + ")"
}

// when names a moment for people in zone: "Mon 7 Jan 19:00 (Europe/London)".
func when(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("Mon 2 Jan 15:04") + " (" + zoneName(zone) + ")"
}

func zoneName(z *time.Location) string {
	if z == nil {
		return "UTC"
	}
	return z.String()
}
