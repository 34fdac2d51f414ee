package bot

import (
	"fmt"
	"time"
)

// prepareMyData reads what the platform keeps about the member, before the
// transaction (the platform may use the same database).
func (b *Bot) prepareMyData(c *call) error {
	if k, ok := b.platform.(MemberDataKeeper); ok {
		items, err := k.MemberData(c.ctx, c.ev.Member.ID)
		if err != nil {
			return fmt.Errorf("my data: platform: %w", err)
		}
		c.platformData = items
	}
	return nil
}

func (b *Bot) cmdMyData(c *call) error {
	d, err := c.st.MemberData(c.ctx, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("my data: %w", err)
	}
	c.private(textMyData(d, c.platformData, b.zone(Group{})))
	return nil
}

// prepareForget deletes what the platform keeps about the member, before
// the transaction that deletes the core's rows. Both are idempotent: if
// the core's part then fails, the member's retry finishes it.
func (b *Bot) prepareForget(c *call) error {
	if k, ok := b.platform.(MemberDataKeeper); ok {
		if err := k.ForgetMember(c.ctx, c.ev.Member.ID); err != nil {
			return fmt.Errorf("forget member: platform: %w", err)
		}
	}
	return nil
}

func (b *Bot) cmdForgetMe(c *call) error {
	c.private(textForgetAsk())
	return nil
}

func (b *Bot) cmdForgetMeConfirm(c *call) error {
	groups, err := c.st.GroupsOf(c.ctx, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("forget member: %w", err)
	}
	if err := c.st.ForgetMember(c.ctx, c.ev.Member.ID); err != nil {
		return fmt.Errorf("forget member: %w", err)
	}
	// Open rounds' status messages showed the member: show them without.
	for _, g := range groups {
		rs, err := c.st.OpenRounds(c.ctx, g.ID)
		if err != nil {
			return fmt.Errorf("forget member: %w", err)
		}
		for _, r := range rs {
			if err := b.statusChanged(c, r); err != nil {
				return fmt.Errorf("forget member: %w", err)
			}
		}
	}
	c.after = append(c.after, b.seen.reset)
	c.private(textForgotten())
	return nil
}

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
