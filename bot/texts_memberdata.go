package bot

import (
	"time"
)

// Texts about what the bot keeps about a member (!mydata, !forgetme).

// textMyData lists everything kept about a member: the core's records and
// what the platform keeps (platform), with times in zone.
func textMyData(d MemberData, platform []DataItem, zone *time.Location) Text {
	day := func(t time.Time) Text { return dateTimeText(t, zone) }
	t := msg("data.title").NL()
	t = t.P("• ").Add(msg("data.name", "name", user(d.Member.Name))).NL()
	if d.Member.Country != "" {
		t = t.P("• ").Add(msg("data.country", "country", d.Member.Country)).NL()
	} else {
		t = t.P("• ").Add(msg("data.country.none")).NL()
	}
	if l, ok := LanguageOf(d.Member.Language); ok {
		t = t.P("• ").Add(msg("data.language", "language", l.name+" ("+l.code+")")).NL()
	} else {
		t = t.P("• ").Add(msg("data.language.none")).NL()
	}
	t = t.P("• ").Add(msg("data.groups", "n", len(d.Groups)))
	for _, g := range d.Groups {
		t = t.NL().P("  – ").U(groupLabel(g))
	}
	t = t.NL().P("• ").Add(msg("data.agreements", "n", len(d.Acceptances)))
	for _, a := range d.Acceptances {
		t = t.NL().P("  – ").Add(msg("data.agreement", "version", a.Version, "date", day(a.At)))
	}
	if d.Member.DMGroup != "" {
		t = t.NL().P("• ").Add(msg("data.dmgroup", "group", user(string(d.Member.DMGroup))))
	}
	t = t.NL().P("• ").Add(msg("data.reminders", "n", len(d.Reminders)))
	if !d.Member.LastSupportAt.IsZero() {
		t = t.NL().P("• ").Add(msg("data.support", "date", day(d.Member.LastSupportAt)))
	}
	t = t.NL().P("• ").Add(msg("data.checkins", "n", len(d.CheckIns)))
	for _, ci := range d.CheckIns {
		t = t.NL().P("  – ").Add(day(ci.At)).P(": ")
		switch {
		case ci.Passed:
			t = t.Add(msg("data.checkin.passed"))
		default:
			t = t.Add(colourText(ci.Colour))
			if ci.Private {
				t = t.P(" ").Add(msg("data.checkin.private"))
			}
			if ci.Words != "" {
				t = t.P(", ").Add(msg("data.checkin.words", "words", user(ci.Words)))
			}
		}
	}
	t = t.Add(textMyThreads(d, day)) // issue 15: threads and tips
	for _, it := range platform {
		switch it.Kind {
		case DataDirectChat:
			t = t.NL().P("• ").Add(msg("data.directchat", "room", user(it.Value)))
		case DataOnceNotes:
			t = t.NL().P("• ").Add(msg("data.oncenotes", "n", it.Value))
		}
	}
	return t.NL().NL().Add(msg("data.forget"))
}
