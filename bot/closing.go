package bot

import (
	"errors"
	"fmt"
	"time"
)

// The closing round (issue 15): "One word for how you're leaving". A
// closing round is a round of words only: no colours are asked for, kept
// or counted, and its summary counts without repeating anyone's words.

// defaultClosingMinutes is how long a closing round stays open unless the
// facilitator says.
const defaultClosingMinutes = 15

// cmdRoundClosing opens a closing round in the channel.
func (b *Bot) cmdRoundClosing(c *call) error {
	if c.ev.Channel == "" {
		return Userf(textRoundNeedsChannel())
	}
	minutes, prompt := roundStart(c.cmd)
	if !c.cmd.Has("minutes") {
		minutes = defaultClosingMinutes
	}
	if open, err := c.st.OpenRound(c.ctx, c.ev.Channel); err == nil {
		return Userf(textRoundAlreadyOpen(open, b.zoneOf(c)))
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	r, err := c.st.CreateRound(c.ctx, Round{
		Group: c.group, Channel: c.ev.Channel, Prompt: prompt, OpenedBy: c.ev.Member.ID,
		OpenedAt: c.now, ClosesAt: c.now.Add(time.Duration(minutes) * time.Minute), Closing: true,
	})
	if errors.Is(err, ErrAlreadyExists) {
		return Userf(textRoundOpenMeanwhile())
	} else if err != nil {
		return fmt.Errorf("start closing round: %w", err)
	}
	c.say(Reply{Visibility: Public, Channel: r.Channel, Key: statusKey(r.ID),
		Text: roundStatusText(r, nil, b.zoneOf(c), b.textLimit(r.Group)), Actions: actionsFor(r), InReplyTo: c.ev.ID})
	reminders, err := b.reminders(c.ctx, c.st, r, b.zoneOf(c), c.ev.Member.ID)
	c.replies = append(c.replies, reminders...)
	return err
}

// actionsFor are the buttons of an open round: colours for a check-in
// round; words or pass for a closing round.
func actionsFor(r Round) []Action {
	if r.Closing {
		return closingActions()
	}
	return roundActions()
}

// closingActions: pass, or add a word.
func closingActions() []Action {
	as := roundActions()
	var out []Action
	for _, a := range as {
		if a.Command == "pass" || a.Command == "checkin" {
			out = append(out, a)
		}
	}
	return out
}

// closingCheckIn fits a check-in to a closing round: words only, so a
// colour is neither kept nor shown. It reports whether a colour was
// dropped (the member is told). A red colour still brings the private
// note with crisis lines (checkIn decides that before).
func closingCheckIn(ci *CheckIn) bool {
	dropped := ci.Colour != NoColour && !ci.Passed
	ci.Colour = NoColour
	ci.Hidden = false
	return dropped
}
