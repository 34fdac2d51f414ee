package bot

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// textCrisis is the full private answer to !crisis, in care.md's order:
// emergency number, the main 24/7 line, text and chat options, then the
// international directories; then which country it is for, why, and how to
// change it.
func textCrisis(p crisisPick, intl []crisislines.Line) Text {
	t := Text{}
	if p.note != nil {
		t = t.Add(p.note).NL().NL()
	}
	t = t.Add(crisisBody(p.entry, intl, 0))
	t = t.NL().NL().Add(msg("crisis.others"))
	return t.NL().Add(textCrisisCountry(p))
}

// crisisLinesText lists the lines of an entry for a short note (the note
// after a red check-in, support not reached), with how to see another
// country's lines or save one's own. max > 0 limits how many lines of the
// country are shown.
func crisisLinesText(e crisislines.Entry, intl []crisislines.Line, max int) Text {
	return crisisBody(e, intl, max).NL().Add(textCrisisCountry(crisisPick{entry: e}))
}

// textCrisisCountry names the country an answer used, why, and how to
// change it; or, when no country is known, how to save one.
func textCrisisCountry(p crisisPick) Text {
	if p.entry.Country == "" {
		return msg("crisis.country.unknown")
	}
	name := country(p.entry.Country, p.entry.Name)
	switch p.from {
	case crisisAsked:
		return msg("crisis.country.asked", "country", name)
	case crisisSaved:
		return msg("crisis.country.saved", "country", name)
	case crisisGroup:
		return msg("crisis.country.group", "country", name)
	case crisisConfigured:
		return msg("crisis.country.configured", "country", name)
	}
	// Short notes do not say why: the heading names the country.
	return msg("crisis.country.short")
}

// textNotACountry answers text that is not a country: it never repeats the
// text, and names the country (or two) it most likely meant, with the
// command to use (cmd is "crisis", "crisis country" or "crisis default").
func textNotACountry(suggest []crisislines.Country, cmd string) Text {
	t := textUnknownCountry()
	switch len(suggest) {
	case 0:
		return t
	case 1:
		s := suggest[0]
		return t.P(" ").Add(msg("country.didyoumean", "country", country(s.Code, s.Name),
			"command", T("").Cmd(cmd+" "+strings.ToLower(s.Code))))
	}
	a, b := suggest[0], suggest[1]
	return t.P(" ").Add(msg("country.didyoumean.two", "a", country(a.Code, a.Name), "b", country(b.Code, b.Name),
		"command_a", T("").Cmd(cmd+" "+strings.ToLower(a.Code)), "command_b", T("").Cmd(cmd+" "+strings.ToLower(b.Code))))
}

// crisisBody is the list itself: the emergency number, the country's lines
// (at most max of them when max > 0), then the international directories.
func crisisBody(e crisislines.Entry, intl []crisislines.Line, max int) Text {
	var t Text
	if e.Country != "" {
		t = msg("crisis.title.country", "country", country(e.Country, e.Name)).NL()
	} else {
		t = msg("crisis.title").NL()
	}
	switch {
	case e.Emergency != "" && e.EmergencyDoubleCheck:
		t = t.P("• ").Add(msg("crisis.emergency.doublecheck", "number", T("").B(e.Emergency))).NL()
	case e.Emergency != "":
		t = t.P("• ").Add(msg("crisis.emergency", "number", T("").B(e.Emergency))).NL()
	default:
		t = t.P("• ").Add(msg("crisis.emergency.local")).NL()
	}
	lines := certain(e.Lines)
	if max > 0 {
		lines = shortList(lines, max)
	}
	for _, l := range lines {
		t = lineText(t, l).NL()
	}
	links := Text{}
	for i, l := range certain(intl) {
		if i > 0 {
			links = links.P(" · ")
		}
		links = links.Link(hostOf(l.Contact), l.Contact)
		if l.DoubleCheck {
			links = links.P(" (").Add(msg("crisis.doublecheck.short")).P(")")
		}
	}
	if len(lines) > 0 {
		return t.P("• ").Add(msg("crisis.directories.anywhere", "links", links))
	}
	return t.P("• ").Add(msg("crisis.directories.country", "links", links))
}

// shortList picks up to max lines for a short note, preferring lines open
// around the clock: the first 24/7 line (the main line, when the country
// has one), then the first 24/7 text or chat option (many people who would
// never phone will text), then other 24/7 lines, then text and chat
// options, then the rest. The lines keep the order they came in, which is
// care.md's.
func shortList(ls []crisislines.Line, max int) []crisislines.Line {
	if len(ls) <= max {
		return ls
	}
	used := make([]bool, len(ls))
	n := 0
	take := func(ok func(crisislines.Line) bool) {
		for i, l := range ls {
			if n < max && !used[i] && ok(l) {
				used[i] = true
				n++
				return
			}
		}
	}
	written := func(l crisislines.Line) bool {
		return l.Kind == crisislines.KindText || l.Kind == crisislines.KindChat
	}
	take(crisislines.Line.Is247)
	take(func(l crisislines.Line) bool { return l.Is247() && written(l) })
	for _, ok := range []func(crisislines.Line) bool{crisislines.Line.Is247, written, func(crisislines.Line) bool { return true }} {
		for before := -1; n < max && n != before; {
			before = n
			take(ok)
		}
	}
	out := make([]crisislines.Line, 0, max)
	for i, l := range ls {
		if used[i] {
			out = append(out, l)
		}
	}
	return out
}

// certain returns the lines not marked for double-checking, or, when there
// are none, all lines (each then shown with "please double-check").
func certain(ls []crisislines.Line) []crisislines.Line {
	var out []crisislines.Line
	for _, l := range ls {
		if !l.DoubleCheck {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return ls
	}
	return out
}

// lineText is one line of the list: the service, how to reach it, then
// what the directory knows: the kind, hours (or that they are unknown),
// free, confidential, who it is for, and the languages.
func lineText(t Text, l crisislines.Line) Text {
	t = t.P("• " + l.Service + ": ")
	// Only a URL is a link: a chat may be a WhatsApp number.
	if strings.HasPrefix(l.Contact, "https://") {
		t = t.Link(hostOf(l.Contact), l.Contact)
	} else {
		t = t.B(l.Contact)
	}
	var about []Text
	switch l.Kind {
	case crisislines.KindText:
		about = append(about, msg("line.text"))
	case crisislines.KindChat:
		about = append(about, msg("line.chat"))
	}
	switch {
	case l.Hours != "":
		about = append(about, hoursText(l.Hours))
	case l.Kind != crisislines.KindWeb:
		about = append(about, msg("line.hours.unknown"))
	}
	if l.Free {
		about = append(about, msg("line.free"))
	}
	if l.Confidential {
		about = append(about, msg("line.confidential"))
	}
	if l.Audience != "" {
		about = append(about, msg("line.for", "who", directoryWords("audience: ", l.Audience)))
	}
	if len(about) > 0 {
		t = t.P(" (")
		for i, a := range about {
			if i > 0 {
				t = t.P(", ")
			}
			t = t.Add(a)
		}
		t = t.P(")")
	}
	if l.DoubleCheck {
		t = t.P(" — ").Add(msg("line.doublecheck"))
	}
	if lang := strings.TrimRight(strings.TrimSpace(l.Languages), "."); lang != "" {
		t = t.P(". ").Add(msg("line.languages", "languages", spokenList(lang))).P(".")
	}
	return t
}

// hoursPattern is the directory's daily opening hours ("daily 10:00-22:00").
var hoursPattern = regexp.MustCompile(`^daily (\d{1,2}:\d{2})-(\d{1,2}:\d{2})$`)

// hoursText is a line's opening hours in the reader's language: "24/7",
// "daily HH:MM-HH:MM", "… (may have changed)" and the directory's other
// hours have messages; an operator's own words are shown as they are.
func hoursText(h string) Text {
	if inner, ok := strings.CutSuffix(h, " (may have changed)"); ok {
		return msg("hours.maybe", "hours", hoursText(inner))
	}
	if h == "24/7" {
		return msg("hours.always")
	}
	if m := hoursPattern.FindStringSubmatch(h); m != nil {
		return msg("hours.daily", "from", m[1], "to", m[2])
	}
	return directoryWords("hours: ", h)
}

// directoryWords is the directory's words (hours, audiences) in the
// reader's language when the catalog has them ("hours: varies"), else as
// the directory has them.
func directoryWords(prefix, s string) Text {
	if english.Has(prefix + s) {
		return msg(prefix + s)
	}
	return T(s)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}
