package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

const supportInterval = 10 * time.Minute

func (b *Bot) cmdCheckIn(c *call) error {
	ci := CheckIn{Colour: c.cmd.Colour("colour"), Words: c.cmd.Text("words"), Private: c.cmd.Flag("private"),
		Hidden: c.ev.Private && !c.cmd.Flag("public")}
	if n, cut := c.cmd.Over("words"); cut && ci.Colour != Red {
		return Userf(textWordsTooLong(maxWords, n))
	}
	return b.checkIn(c, ci)
}

func (b *Bot) cmdPass(c *call) error {
	return b.checkIn(c, CheckIn{Passed: true})
}

// checkIn stores a check-in into the open round and queues the member's
// acknowledgement, the status edit and, for red, the private note with
// crisis lines and the offer of !support. A red check-in gets that note
// wherever it lands: with no round open, after the round closed, with words
// over the limit (kept cut, and said so).
func (b *Bot) checkIn(c *call, ci CheckIn) error {
	red := ci.Colour == Red && !ci.Passed
	r, err := b.roundFor(c)
	if errors.Is(err, ErrNotFound) {
		if red {
			// Nothing is stored: the member gets help, not a refusal.
			c.private(textRedNoRound(c.group != "").NL().NL().Add(b.redNote(c)), supportAction, saferAction)
			return nil
		}
		return Userf(textNoRound(c))
	} else if err != nil {
		return fmt.Errorf("check in: %w", err)
	}
	if !c.now.Before(r.ClosesAt) {
		// Its time ran out before the clock ticked (a message that waited
		// while the bot was down): close it now, and say so.
		if err := c.st.CloseRound(c.ctx, r.ID, r.ClosesAt); err != nil {
			return fmt.Errorf("check in: %w", err)
		}
		r.ClosedAt = r.ClosesAt
		if err := b.roundClosed(c.ctx, c.st, r, c.say); err != nil {
			return err
		}
		if red {
			c.private(textRoundClosed().NL().NL().Add(b.redNote(c)), supportAction, saferAction)
		} else {
			c.private(textRoundClosed())
		}
		return nil
	}
	droppedColour := r.Closing && closingCheckIn(&ci)
	_, err = c.st.MemberCheckIn(c.ctx, r.ID, c.ev.Member.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("check in: %w", err)
	}
	again := err == nil
	ci.Round, ci.Member, ci.MemberName, ci.At = r.ID, c.ev.Member.ID, c.ev.Member.Name, c.now
	if err := c.st.PutCheckIn(c.ctx, ci); err != nil {
		return fmt.Errorf("check in: %w", err)
	}
	ack := func(reached bool) Text {
		t := textCheckedIn(c.ev.Member.Name, ci, again, reached, !c.ev.Private)
		if n, cut := c.cmd.Over("words"); cut {
			t = t.P(" ").Add(textWordsCut(maxWords, n, ci.Private))
		}
		if droppedColour {
			t = t.P(" ").Add(textClosingNoColour())
		}
		if !c.ev.Private && c.cmd.Sensitive() {
			t = t.NL().Add(textTypedInPublic(c.ev.Removed))
		}
		return t
	}
	c.careKey = statusKey(r.ID)
	if ci.Private && ci.Words != "" {
		n, cut := c.cmd.Over("words")
		err := c.facilitators(textPrivateCheckIn(c.ev.Member, ci, red, cut, n), ack(true), ack(false))
		if err != nil {
			return err
		}
		if err := b.withThread(c); err != nil { // issue 15: answering through the bot
			return err
		}
	} else {
		c.private(ack(true))
	}
	if red {
		c.private(b.redNote(c), supportAction, saferAction)
	}
	return b.statusChanged(c, r)
}

// redNote is the private note after a red check-in: crisis lines for the
// member and the offer of !support.
func (b *Bot) redNote(c *call) Text {
	entry, note := b.crisisEntry(c, "")
	return textRedNote(b, entry, note)
}

// cmdSupport passes the member's request to the facilitators. New words
// are always forwarded; only a repeat without words within
// supportInterval is answered without sending again. The member is told
// the facilitators have it only when it was delivered.
func (b *Bot) cmdSupport(c *call) error {
	words := c.cmd.Text("words")
	m, err := c.st.Member(c.ctx, c.ev.Member.ID)
	if errors.Is(err, ErrNotFound) {
		m, err = MemberRecord{ID: c.ev.Member.ID, Name: c.ev.Member.Name}, nil
	}
	if err != nil {
		return fmt.Errorf("support: %w", err)
	}
	entry, _ := b.crisisEntry(c, "")
	lines := crisisLinesText(entry, b.crisis.International(), 2)
	if words == "" && !m.LastSupportAt.IsZero() && c.now.Sub(m.LastSupportAt) < supportInterval {
		c.private(textSupportRecent().NL().Add(lines), saferAction)
		return nil
	}
	before := m.LastSupportAt
	m.LastSupportAt = c.now
	if err := c.st.SaveMember(c.ctx, m); err != nil {
		return fmt.Errorf("support: %w", err)
	}
	n, cut := c.cmd.Over("words")
	sent := textSupportSent()
	if cut {
		sent = sent.P(" ").Add(textWordsCut(maxWords, n, true))
	}
	c.careKey = b.careKeyOf(c)
	err = c.facilitators(textSupportForFacilitators(c.ev.Member, words, cut, n),
		sent.NL().Add(lines), textSupportNotReached(b, entry))
	if err != nil {
		return err
	}
	if err := b.withThread(c); err != nil { // issue 15: answering through the bot
		return err
	}
	last := len(c.replies) - 1
	c.replies[last].confirm.Actions = []Action{saferAction}
	c.replies[last].fallback.Actions = []Action{supportAction}
	// Not delivered: the member may ask again at once.
	c.replies[last].undo = func(ctx context.Context) {
		if m, err := b.store.Member(ctx, c.ev.Member.ID); err == nil && m.LastSupportAt.Equal(c.now) {
			m.LastSupportAt = before
			if err := b.store.SaveMember(ctx, m); err != nil {
				b.log.Error().Err(err).Msg("Resetting the support limit failed")
			}
		}
	}
	return nil
}

// cmdSafer tells the facilitators that things have eased for the member.
func (b *Bot) cmdSafer(c *call) error {
	words := c.cmd.Text("words")
	n, cut := c.cmd.Over("words")
	entry, _ := b.crisisEntry(c, "")
	lines := crisisLinesText(entry, b.crisis.International(), 2)
	c.careKey = b.careKeyOf(c)
	err := c.facilitators(textSaferForFacilitators(c.ev.Member, words, cut, n),
		textSaferSent().NL().Add(lines), textSaferNotReached().NL().Add(lines))
	if err != nil {
		return err
	}
	last := len(c.replies) - 1
	c.replies[last].confirm.Actions = []Action{supportAction}
	c.replies[last].fallback.Actions = []Action{supportAction}
	return nil
}

// cmdSignpost posts a neutral note in the channel on where help is, naming
// nobody.
func (b *Bot) cmdSignpost(c *call) error {
	if c.ev.Channel == "" {
		return Userf(textGroupOnly())
	}
	c.public(c.ev.Channel, textSignpost())
	if c.ev.Private {
		c.private(textSignpostPosted())
	}
	return nil
}
