package bot

import (
	"context"
	"errors"
	"fmt"
)

// ConditionKind is something an adapter met that the core should know
// about: it could not do what a reply asked, or noticed something on the
// platform. Adapters report conditions; the core decides the words.
type ConditionKind uint8

const (
	// Unreachable: the member cannot be reached privately (Discord DMs
	// closed, a Matrix DM invitation declined).
	Unreachable ConditionKind = iota + 1
	// CannotPin: the message was posted but could not be pinned.
	CannotPin
	// CannotRedact: a sensitive command typed in public could not be
	// removed.
	CannotRedact
	// InteractionExpired: the platform no longer accepts an answer to the
	// member's action (Discord's interaction token ran out).
	InteractionExpired
	// RateLimited: the platform asked the bot to slow down and the message
	// could not be sent in time.
	RateLimited
	// Undecryptable: a member's message arrived encrypted with keys the bot
	// does not have.
	Undecryptable
	// FacilitatorsUnclear: the group's settings make everyone a facilitator
	// (Matrix: the facilitator power level is not above users_default), so
	// nobody is one by those settings until they are fixed. Need is the
	// lowest facilitator level that fixes it. Said once in the group: it
	// names nobody, and no facilitator can be told privately.
	FacilitatorsUnclear
	// RateLimitWaited: the platform asked the bot to slow down and the
	// adapter waited before trying again (reported, for metrics; nothing is
	// said). RateLimited is when waiting was not possible.
	RateLimitWaited
)

func (k ConditionKind) String() string {
	switch k {
	case Unreachable:
		return "unreachable"
	case CannotPin:
		return "cannot_pin"
	case CannotRedact:
		return "cannot_redact"
	case InteractionExpired:
		return "interaction_expired"
	case RateLimited:
		return "rate_limited"
	case Undecryptable:
		return "undecryptable"
	case FacilitatorsUnclear:
		return "facilitators_unclear"
	case RateLimitWaited:
		return "rate_limit_waited"
	}
	return "unknown"
}

// Condition is a condition with what the core needs to act on it. As an
// error (from Platform.Deliver) it means the reply was not shown for that
// reason.
type Condition struct {
	Kind   ConditionKind
	Group  GroupID
	Member MemberID
	// MemberName is the member's display name where the adapter knows it.
	MemberName string
	// Need is the power level the bot would need (Matrix), 0 if none
	// applies.
	Need int
	// Err is the platform's own error, for the log.
	Err error
}

func (c *Condition) Error() string {
	if c.Err != nil {
		return fmt.Sprintf("%s: %v", c.Kind, c.Err)
	}
	return c.Kind.String()
}

func (c *Condition) Unwrap() error { return c.Err }

// Report acts on a condition an adapter met outside a delivery.
func (b *Bot) Report(ctx context.Context, c Condition) {
	c.MemberName = CleanName(c.MemberName)
	if b.obs != nil {
		b.obs.Condition(c.Kind)
	}
	b.log.Info().Str("condition", c.Kind.String()).Str("group_id", string(c.Group)).Msg("Adapter reported a condition")
	var r Reply
	switch c.Kind {
	case CannotPin:
		r = Reply{Visibility: Facilitators, Group: c.Group, Text: textCannotPin(c.Need)}
	case CannotRedact:
		r = Reply{Visibility: Facilitators, Group: c.Group, Text: textCannotRedact(c.Need)}
	case Undecryptable:
		r = Reply{Visibility: Private, Group: c.Group, To: c.Member, ToName: c.MemberName, Text: textUndecryptable()}
	case FacilitatorsUnclear:
		r = Reply{Visibility: Public, Group: c.Group, Text: textFacilitatorsUnclear(c.Need)}
	default:
		return
	}
	if r.Visibility == Facilitators && r.Group != "" {
		if g, err := b.store.Group(ctx, r.Group); err == nil {
			r.Channel, r.To = g.FacilitatorsChannel, g.LastFacilitator
		}
	}
	b.deliver(ctx, nil, []Reply{r})
}

// conditionOf returns the condition a delivery error reports, or nil.
func conditionOf(err error) *Condition {
	var c *Condition
	if errors.As(err, &c) {
		return c
	}
	return nil
}

// PlaceProblem says why a channel cannot be the facilitators' place, or
// cannot be found.
type PlaceProblem uint8

const (
	// PlaceNotFound: no channel or room by that name or reference.
	PlaceNotFound PlaceProblem = iota + 1
	// PlaceBadReference: the platform cannot read that as a channel
	// reference (Matrix wants a room id or address).
	PlaceBadReference
	// PlaceOtherGroup: the channel belongs to another server.
	PlaceOtherGroup
	// PlaceNeedsGroup: this only works inside a server.
	PlaceNeedsGroup
	// PlaceBotAbsent: the bot is not in the channel or cannot see it.
	PlaceBotAbsent
	// PlaceOpen: anyone can join it.
	PlaceOpen
	// PlaceHistoryOpen: anyone can read its history without joining.
	PlaceHistoryOpen
	// PlaceOthersCanRead: members who are not facilitators can read it
	// (Names lists them; Need is the facilitators' power level).
	PlaceOthersCanRead
)

// PlaceError is what ChannelResolver and FacilitatorPlaceChecker return
// when a channel cannot be the facilitators' place; the core tells the
// member why.
type PlaceError struct {
	Problem PlaceProblem
	// Names are the display names of members who should not read it.
	Names []string
	// Need is the power level a facilitator has (Matrix), 0 if none.
	Need int
}

func (e *PlaceError) Error() string { return fmt.Sprintf("facilitators' place: problem %d", e.Problem) }
