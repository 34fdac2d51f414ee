package bot

import (
	"net/url"
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
	t = t.NL().NL().P("They're there to listen. Another choice is someone you trust, or the group.")
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
		return T("I don't know your country yet. To save it: ").Cmd("crisis country <country>").
			P(". To see a country's lines: ").Cmd("crisis <country>").P(".")
	}
	name := p.entry.Name
	var t Text
	switch p.from {
	case crisisAsked:
		return T("Country you asked for: " + name + ". To save yours: ").Cmd("crisis country <country>").P(".")
	case crisisSaved:
		return T("Your saved country: " + name + ". Another country: ").Cmd("crisis <country>").
			P(". To change yours: ").Cmd("crisis country <country>").P(".")
	case crisisGroup:
		t = T("Your group's country: " + name + ". ")
	case crisisConfigured:
		t = T("This bot's default country: " + name + ". ")
	default:
		// Short notes do not say why: the heading names the country.
		return T("Another country: ").Cmd("crisis <country>").P(". To save or change yours: ").Cmd("crisis country <country>").P(".")
	}
	return t.P("Another country: ").Cmd("crisis <country>").P(". To save yours: ").Cmd("crisis country <country>").P(".")
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
		return t.P(" Did you mean " + suggest[0].Name + "? Send ").Cmd(cmd + " " + strings.ToLower(suggest[0].Code)).P(".")
	}
	a, b := suggest[0], suggest[1]
	return t.P(" Did you mean " + a.Name + " or " + b.Name + "? Send ").Cmd(cmd + " " + strings.ToLower(a.Code)).
		P(" or ").Cmd(cmd + " " + strings.ToLower(b.Code)).P(".")
}

// crisisBody is the list itself: the emergency number, the country's lines
// (at most max of them when max > 0), then the international directories.
func crisisBody(e crisislines.Entry, intl []crisislines.Line, max int) Text {
	t := Text{}
	if e.Country != "" {
		t = t.B("Help you can reach now, " + e.Name).NL()
	} else {
		t = t.B("Help you can reach now").NL()
	}
	if e.Emergency != "" {
		t = t.P("• In danger right now: call ").B(e.Emergency)
		if e.EmergencyDoubleCheck {
			t = t.P(" (please double-check this number)")
		}
		t = t.NL()
	} else {
		t = t.P("• In danger right now: call your local emergency number.").NL()
	}
	lines := certain(e.Lines)
	if max > 0 {
		lines = shortList(lines, max)
	}
	for _, l := range lines {
		t = lineText(t, l).NL()
	}
	if len(lines) > 0 {
		t = t.P("• Find a helpline anywhere: ")
	} else {
		t = t.P("• Find a helpline in your country: ")
	}
	for i, l := range certain(intl) {
		if i > 0 {
			t = t.P(" · ")
		}
		t = t.Link(hostOf(l.Contact), l.Contact)
		if l.DoubleCheck {
			t = t.P(" (please double-check)")
		}
	}
	return t
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
	var about []string
	switch l.Kind {
	case crisislines.KindText:
		about = append(about, "text")
	case crisislines.KindChat:
		about = append(about, "online chat")
	}
	switch {
	case l.Hours != "":
		about = append(about, l.Hours)
	case l.Kind != crisislines.KindWeb:
		about = append(about, "hours unknown")
	}
	if l.Free {
		about = append(about, "free")
	}
	if l.Confidential {
		about = append(about, "confidential")
	}
	if l.Audience != "" {
		about = append(about, "for "+l.Audience)
	}
	if len(about) > 0 {
		t = t.P(" (" + strings.Join(about, ", ") + ")")
	}
	if l.DoubleCheck {
		t = t.P(" — please double-check this one")
	}
	if lang := strings.TrimRight(strings.TrimSpace(l.Languages), "."); lang != "" {
		t = t.P(". Languages: " + lang + ".")
	}
	return t
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}
