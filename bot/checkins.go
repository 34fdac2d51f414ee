package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

const supportInterval = 10 * time.Minute

func (b *Bot) cmdCheckIn(c *call) error {
	return b.checkIn(c, CheckIn{Colour: c.cmd.Colour("colour"), Words: c.cmd.Text("words"), Private: c.cmd.Flag("private")})
}

func (b *Bot) cmdPass(c *call) error {
	return b.checkIn(c, CheckIn{Passed: true})
}

// checkIn stores a check-in into the open round and queues the member's
// acknowledgement, the status edit and, for red, the private support note.
func (b *Bot) checkIn(c *call, ci CheckIn) error {
	r, err := b.roundFor(c)
	if errors.Is(err, ErrNotFound) {
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
		c.private(textRoundClosed())
		return nil
	}
	_, err = c.st.MemberCheckIn(c.ctx, r.ID, c.ev.Member.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("check in: %w", err)
	}
	again := err == nil
	ci.Round, ci.Member, ci.MemberName, ci.At = r.ID, c.ev.Member.ID, c.ev.Member.Name, c.now
	if err := c.st.PutCheckIn(c.ctx, ci); err != nil {
		return fmt.Errorf("check in: %w", err)
	}
	if ci.Private && ci.Words != "" {
		err := c.facilitators(textPrivateCheckIn(c.ev.Member.Name, ci),
			textCheckedIn(c.ev.Member.Name, ci, again, true), textCheckedIn(c.ev.Member.Name, ci, again, false))
		if err != nil {
			return err
		}
	} else {
		c.private(textCheckedIn(c.ev.Member.Name, ci, again, true))
	}
	if ci.Colour == Red && !ci.Passed {
		entry, note := b.crisisEntry(c, "")
		c.private(textRedNote(b, entry, note), supportAction)
	}
	return b.statusChanged(c, r)
}

func (b *Bot) cmdSupport(c *call) error {
	words := c.cmd.Text("words")
	m, err := c.st.Member(c.ctx, c.ev.Member.ID)
	if err != nil {
		return fmt.Errorf("support: %w", err)
	}
	if !m.LastSupportAt.IsZero() && c.now.Sub(m.LastSupportAt) < supportInterval {
		c.private(textSupportRecent())
		return nil
	}
	before := m.LastSupportAt
	m.LastSupportAt = c.now
	if err := c.st.SaveMember(c.ctx, m); err != nil {
		return fmt.Errorf("support: %w", err)
	}
	entry, _ := b.crisisEntry(c, "")
	err = c.facilitators(textSupportForFacilitators(c.ev.Member.Name, words), textSupportSent(), textSupportNotReached(b, entry))
	if err != nil {
		return err
	}
	// Not delivered: the member may ask again at once.
	c.replies[len(c.replies)-1].undo = func(ctx context.Context) {
		if m, err := b.store.Member(ctx, c.ev.Member.ID); err == nil && m.LastSupportAt.Equal(c.now) {
			m.LastSupportAt = before
			if err := b.store.SaveMember(ctx, m); err != nil {
				b.log.Error().Err(err).Msg("Resetting the support limit failed")
			}
		}
	}
	return nil
}
