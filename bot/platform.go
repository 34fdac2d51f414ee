package bot

import "context"

// Platform delivers Replies. Adapters implement it.
type Platform interface {
	// Deliver shows r on the platform. For a new message it returns the
	// platform's reference to it (empty if the platform cannot edit
	// messages). When r.Edit is set it edits that message instead and
	// returns the reference of the message now showing r (normally r.Edit).
	// An error means nothing was shown; the core logs it.
	Deliver(ctx context.Context, r Reply) (MessageRef, error)
}

// FacilitatorPlaceChecker is implemented by platforms that can tell whether
// only facilitators can read a channel. The core asks it before accepting
// "!facilitators here". Platforms without it cannot have a facilitators'
// place set by command.
type FacilitatorPlaceChecker interface {
	// FacilitatorsOnly reports whether channel ch of group g can be read by
	// facilitators only. A false answer may carry a reason for the member.
	FacilitatorsOnly(ctx context.Context, g GroupID, ch ChannelID) (bool, error)
}

// FacilitatorChecker is implemented by platforms that can tell whether a
// member is a facilitator of a group now. Before private words go to the
// group's fallback facilitator, the core asks (the answer is cached for a
// minute): someone who left or was demoted gets nothing more.
type FacilitatorChecker interface {
	IsFacilitator(ctx context.Context, g GroupID, m MemberID) (bool, error)
}

// IsFacilitator asks the platform of g, when it can tell; otherwise it
// answers true (the core's own record stands).
func (rt Router) IsFacilitator(ctx context.Context, g GroupID, m MemberID) (bool, error) {
	if p, ok := rt[PlatformOf(string(g))].(FacilitatorChecker); ok {
		return p.IsFacilitator(ctx, g, m)
	}
	return true, nil
}

// TextLimiter is implemented by platforms whose messages have a size limit
// (Discord: 2,000 characters; Matrix: 64 KiB events). The core keeps what
// grows with the group (the round status) within TextLimit characters of
// Text.String(), leaving room for the platform's own markup.
type TextLimiter interface {
	TextLimit(g GroupID) int
}

// TextLimit asks the platform of g; 0 means no limit.
func (rt Router) TextLimit(g GroupID) int {
	if p, ok := rt[PlatformOf(string(g))].(TextLimiter); ok {
		return p.TextLimit(g)
	}
	return 0
}

// Router is a Platform that hands each Reply to the Platform registered for
// the prefix of its group id ("console", "matrix", "discord").
type Router map[string]Platform

// Deliver routes r by the prefix of r.Group, or of r.To when Group is empty.
func (rt Router) Deliver(ctx context.Context, r Reply) (MessageRef, error) {
	id := string(r.Group)
	if id == "" {
		id = string(r.To)
	}
	p, ok := rt[PlatformOf(id)]
	if !ok {
		return "", &routeError{id: id}
	}
	return p.Deliver(ctx, r)
}

type routeError struct{ id string }

func (e *routeError) Error() string { return "deliver: no platform for id " + e.id }

// ChannelResolver is implemented by platforms where a facilitator can name a
// channel other than the one they type in ("!facilitators room #team:x.org",
// Discord's channel option). The core uses it for "!facilitators <channel>".
type ChannelResolver interface {
	// ResolveChannel turns what the member typed into a channel of group g,
	// or returns a UserError explaining why it cannot.
	ResolveChannel(ctx context.Context, g GroupID, ref string) (ChannelID, error)
}

// MemberDataKeeper is implemented by platforms that keep something of their
// own about a member (Matrix: the direct chat with them, notes sent to them
// once). The core lists it in !mydata and deletes it in !forgetme, so a
// member's data is everything peerbot keeps, not only the core's.
type MemberDataKeeper interface {
	// MemberData returns what the platform keeps about m (nil for
	// nothing). It never returns message content.
	MemberData(ctx context.Context, m MemberID) ([]DataItem, error)
	// ForgetMember deletes everything the platform keeps about m.
	ForgetMember(ctx context.Context, m MemberID) error
}

// DataKind says what a DataItem is; the core supplies the words.
type DataKind uint8

const (
	// DataDirectChat: the direct chat the bot uses to reach the member
	// (Value: its id).
	DataDirectChat DataKind = iota + 1
	// DataOnceNotes: notes the bot sent the member once and remembers not
	// to repeat (Value: how many).
	DataOnceNotes
)

// DataItem is one thing a platform keeps about a member.
type DataItem struct {
	Kind  DataKind
	Value string
}

// MemberData asks the platform of m, when it keeps member data.
func (rt Router) MemberData(ctx context.Context, m MemberID) ([]DataItem, error) {
	if p, ok := rt[PlatformOf(string(m))].(MemberDataKeeper); ok {
		return p.MemberData(ctx, m)
	}
	return nil, nil
}

// ForgetMember asks the platform of m, when it keeps member data.
func (rt Router) ForgetMember(ctx context.Context, m MemberID) error {
	if p, ok := rt[PlatformOf(string(m))].(MemberDataKeeper); ok {
		return p.ForgetMember(ctx, m)
	}
	return nil
}
