package bot

import "context"

// Visibility says who may see a Reply.
type Visibility uint8

const (
	// Public: everyone in the group channel (Reply.Channel).
	Public Visibility = iota + 1
	// Private: only Reply.To (a Discord ephemeral reply or DM, a Matrix DM
	// room, a "[dm NAME]" console line).
	Private
	// Facilitators: the group's facilitators' place (Reply.Channel when set),
	// else the facilitators the platform can name privately; Reply.To, when
	// set, is the facilitator who last acted, for platforms that cannot list
	// their facilitators. Never the group channel.
	Facilitators
)

func (v Visibility) String() string {
	switch v {
	case Public:
		return "public"
	case Private:
		return "private"
	case Facilitators:
		return "facilitators"
	}
	return "unknown"
}

// Reply is something the core wants said. It says what and to whom, never
// how: adapters render it.
type Reply struct {
	Visibility Visibility
	Group      GroupID
	// Channel is the target channel for Public, and the group's private
	// facilitators' place for Facilitators (empty if none is set).
	Channel ChannelID
	// To is the member for Private, and the fallback facilitator for
	// Facilitators.
	To MemberID
	// ToName is To's display name where known (the console prints it).
	ToName string
	Text   Text
	// Actions are offered with the message: Discord buttons, Matrix
	// reactions beside the equivalent text command, console hints. On an
	// edit, nil keeps the actions the message has and an empty, non-nil
	// slice removes them (a closed round's buttons).
	Actions []Action
	// Key names a message that may be edited later (for example
	// "round/42/status"). When a message with this Key was sent before, the
	// adapter is asked to edit it (Edit is then its reference); otherwise it
	// sends a new one and the core remembers its reference under Key.
	Key string
	// Edit is the reference of the message to replace, set by the core.
	Edit MessageRef
	// Pin asks the platform to pin the message (the agreement).
	Pin bool
	// InReplyTo is the Event this answers, so adapters can use the
	// platform's reply mechanism (a Discord interaction response, an
	// ephemeral follow-up). Empty for messages not caused by an event.
	InReplyTo string
	// Language is the code of the language the core put Text and the
	// actions' labels in ("de"), set by the core before delivery; adapters
	// pass it to ActionHint.
	Language string

	// locale is the platform's locale of the member a private reply
	// answers (a Discord interaction's), when the event had one.
	locale string
	// lang, when set, is the reply's language, chosen when it was queued
	// (the answer to !forgetme confirm: the member's choice is gone by
	// the time it is delivered).
	lang *Lang

	// The core's own delivery plan, never seen by adapters: after this
	// reply was delivered, confirm is delivered; when it could not be,
	// fallback is delivered instead and undo runs.
	confirm, fallback *Reply
	undo              func(context.Context)
}

// Action is something a member can do with one press. Every action is also
// a text command, so platforms without buttons lose nothing.
type Action struct {
	// Command is the command line the action runs, without prefix
	// ("checkin green", "pass", "agree").
	Command string
	// Label is the button text ("I agree").
	Label string
	// Emoji is the reaction or button emoji, if any ("✅").
	Emoji string
	// Input, when set, asks the member for text first (a Discord modal);
	// the text is appended to Command.
	Input *Input
}

// Input describes a text field an action asks for.
type Input struct {
	Label       string
	Placeholder string
	MaxLength   int
	Paragraph   bool // multi-line
	Required    bool
}
