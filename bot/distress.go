package bot

import (
	"context"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// The no-dead-ends invariant: any input that signals distress — a red
// check-in anywhere, !support, !crisis, !safer, a private message that is
// not a command — gets a private answer with a route to help: crisis lines
// for the member's country (or the international directories) and the
// offer of !support. Handlers include the route in their own answers;
// when a handler cannot run (a mistake, a full disk, a busy database) the
// core adds it to whatever it says instead. The lines come from the
// embedded directory, so help never waits on the database.

// distress reports whether the call's input signals distress.
func (c *call) distress() bool {
	switch c.ev.Kind {
	case EventMessage:
		return c.ev.Private
	case EventCommand:
	default:
		return false
	}
	spec := c.cmd.Spec()
	if spec == nil {
		// A private message that names no command is a message, not a
		// mistake: it may be someone reaching out.
		return c.ev.Private
	}
	return spec.Distress || (spec.Name == "checkin" && c.cmd.Colour("colour") == Red)
}

// routeEntry picks crisis lines for the member without depending on the
// database: the member's saved country and the group's default when they
// can be read, else the configured default (crisisChoose reads nothing).
func (b *Bot) routeEntry(ctx context.Context, c *call) crisislines.Entry {
	var saved, groupDefault string
	if m, err := b.store.Member(ctx, c.ev.Member.ID); err == nil {
		saved = m.Country
	}
	if c.group != "" {
		if g, err := b.store.Group(ctx, c.group); err == nil {
			groupDefault = g.DefaultCountry
		}
	}
	return b.crisisChoose(saved, groupDefault, nil).entry
}

// withRoute returns t followed by the route to help, for answers to
// distress inputs that did not carry it themselves.
func (b *Bot) withRoute(ctx context.Context, c *call, t Text) Text {
	return append(Text{}, t...).NL().NL().Add(textHelpRoute(b.routeEntry(ctx, c), b.crisis.International()))
}

// careKeyOf names the round open in the member's group, else the group and
// day, for the facilitators' self-care line (once per round).
func (b *Bot) careKeyOf(c *call) string {
	if c.group != "" && c.st != nil {
		if rs, err := c.st.OpenRounds(c.ctx, c.group); err == nil && len(rs) > 0 {
			return statusKey(rs[0].ID)
		}
	}
	return "day/" + c.now.Format("2006-01-02")
}
