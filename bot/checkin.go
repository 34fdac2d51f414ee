package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

const supportInterval = 10 * time.Minute

// parseColour reads a colour word: green/amber/red, g/a/r, 🟢🟠🔴.
func parseColour(w string) (Colour, bool) {
	switch strings.ToLower(strings.TrimSuffix(w, "\ufe0f")) {
	case "green", "g", "🟢":
		return Green, true
	case "amber", "a", "orange", "🟠", "🟡":
		return Amber, true
	case "red", "r", "🔴":
		return Red, true
	}
	return NoColour, false
}

// checkInInput is a parsed check-in: [private] [colour] [words].
type checkInInput struct {
	private bool
	colour  Colour
	words   string
}

func parseCheckIn(cmd Command) (checkInInput, error) {
	var in checkInInput
	skip := 0
	args := cmd.Args
	if len(args) > 0 && strings.EqualFold(args[0], "private") {
		in.private, skip, args = true, 1, args[1:]
	}
	if len(args) > 0 {
		col, ok := parseColour(args[0])
		// A lone "a" is amber only at the end: "!checkin a bit tired" is words.
		if ok && strings.EqualFold(args[0], "a") && len(args) > 1 {
			ok = false
		}
		if ok {
			in.colour, skip = col, skip+1
		}
	}
	in.words = restAfter(cmd.Raw, skip)
	if n := utf8.RuneCountInString(in.words); n > maxWords {
		return in, Userf(textWordsTooLong(n))
	}
	return in, nil
}

func (b *Bot) cmdCheckIn(c *call) error {
	in, err := parseCheckIn(c.cmd)
	if err != nil {
		return err
	}
	return b.checkIn(c, CheckIn{Colour: in.colour, Words: in.words, Private: in.private})
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

var supportAction = Action{Command: "support", Label: "Let a facilitator know", Emoji: "🤝"}

func (b *Bot) cmdSupport(c *call) error {
	words := strings.TrimSpace(c.cmd.Raw)
	if n := utf8.RuneCountInString(words); n > maxWords {
		return Userf(textWordsTooLong(n))
	}
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
