package bot

import (
	"fmt"
	"time"
)

// Texts about what the bot keeps about a member (!mydata, !forgetme).

// textMyData lists everything kept about a member: the core's records and
// what the platform keeps (platform), with times in zone.
func textMyData(d MemberData, platform []DataItem, zone *time.Location) Text {
	day := func(t time.Time) string { return t.In(zone).Format("2 Jan 2006 15:04") }
	t := T("").B("Everything I keep about you").NL()
	t = t.P("• Name: ").U(d.Member.Name).NL()
	country := d.Member.Country
	if country == "" {
		country = "not saved"
	}
	t = t.P("• Country for crisis lines: " + country).NL()
	t = t.P(fmt.Sprintf("• Groups: %d", len(d.Groups)))
	for _, g := range d.Groups {
		t = t.NL().P("  – ").U(groupLabel(g))
	}
	t = t.NL().P(fmt.Sprintf("• Agreements you agreed to: %d", len(d.Acceptances)))
	for _, a := range d.Acceptances {
		t = t.NL().P(fmt.Sprintf("  – version %d, on %s", a.Version, day(a.At)))
	}
	if d.Member.DMGroup != "" {
		t = t.NL().P("• Group for commands you send privately: ").U(string(d.Member.DMGroup))
	}
	t = t.NL().P(fmt.Sprintf("• Round reminders: on in %d group(s)", len(d.Reminders)))
	if !d.Member.LastSupportAt.IsZero() {
		t = t.NL().P("• Last time you asked for support: " + day(d.Member.LastSupportAt) + " (kept for the once-per-10-minutes limit)")
	}
	t = t.NL().P(fmt.Sprintf("• Check-ins: %d", len(d.CheckIns)))
	for _, ci := range d.CheckIns {
		t = t.NL().P("  – " + day(ci.At) + ": ")
		switch {
		case ci.Passed:
			t = t.P("passed")
		default:
			t = t.P(colourText(ci.Colour))
			if ci.Private {
				t = t.P(" (private)")
			}
			if ci.Words != "" {
				t = t.P(", words: ").U(ci.Words)
			}
		}
	}
	for _, it := range platform {
		switch it.Kind {
		case DataDirectChat:
			t = t.NL().P("• The direct chat I use to reach you privately: ").U(it.Value)
		case DataOnceNotes:
			t = t.NL().P("• Notes I sent you once and remember not to repeat: " + it.Value)
		}
	}
	return t.NL().NL().P("To delete all of this, send ").Cmd("forgetme").P(".")
}
