package bot

import (
	"net/url"
	"strings"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// textCrisis is the full private answer to !crisis, in care.md's order:
// emergency number, the main 24/7 line, text and chat options, then the
// international directories.
func textCrisis(e crisislines.Entry, intl []crisislines.Line) Text {
	t := crisisLinesText(e, intl, 0)
	t = t.NL().NL().P("They're there to listen. Another choice is someone you trust, or the group.")
	return t.NL().P("Another country: ").Cmd("crisis <country>").P(". To save yours: ").Cmd("crisis country <name>").P(".")
}

// crisisLinesText lists the lines of an entry. max > 0 limits how many
// lines of the country are shown (the short note after a red check-in).
func crisisLinesText(e crisislines.Entry, intl []crisislines.Line, max int) Text {
	t := Text{}
	if e.Country != "" {
		t = t.B("Help you can reach now, " + e.Name).NL()
		if e.Emergency != "" {
			t = t.P("• In danger right now: call ").B(e.Emergency)
			if e.EmergencyDoubleCheck {
				t = t.P(" (please double-check this number)")
			}
			t = t.NL()
		}
		lines := certain(e.Lines)
		if max > 0 {
			lines = shortList(lines, max)
		}
		for _, l := range lines {
			t = lineText(t, l).NL()
		}
	} else {
		t = t.B("Help you can reach now").NL()
		t = t.P("• In danger right now: call your local emergency number.").NL()
	}
	t = t.P("• Helplines in your country: ")
	shown := 0
	for _, l := range intl {
		if l.DoubleCheck {
			continue
		}
		if shown > 0 {
			t = t.P(" · ")
		}
		t = t.Link(hostOf(l.Contact), l.Contact)
		shown++
	}
	return t
}

// shortList picks up to max lines for a short note: the main line first,
// then the first text or chat option (many people who would never phone
// will text), then the rest in order.
func shortList(ls []crisislines.Line, max int) []crisislines.Line {
	if len(ls) <= max {
		return ls
	}
	out := []crisislines.Line{ls[0]}
	used := map[int]bool{0: true}
	for i, l := range ls {
		if !used[i] && (l.Kind == crisislines.KindText || l.Kind == crisislines.KindChat) {
			out, used[i] = append(out, l), true
			break
		}
	}
	for i, l := range ls {
		if len(out) >= max {
			break
		}
		if !used[i] {
			out, used[i] = append(out, l), true
		}
	}
	return out[:min(len(out), max)]
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

func lineText(t Text, l crisislines.Line) Text {
	t = t.P("• " + l.Service + ": ")
	if l.Kind == "chat" || l.Kind == "web" || strings.HasPrefix(l.Contact, "https://") {
		t = t.Link(hostOf(l.Contact), l.Contact)
	} else {
		t = t.B(l.Contact)
	}
	var about []string
	switch l.Kind {
	case "text":
		about = append(about, "text")
	case "chat":
		about = append(about, "online chat")
	}
	if l.Hours != "" {
		about = append(about, l.Hours)
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
	return t
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}
