package bot

// EventKind says what happened.
type EventKind uint8

const (
	// EventCommand: a member asked for something, by text, slash command,
	// button, modal or reaction. Event.Command holds the parsed command.
	EventCommand EventKind = iota + 1
	// EventJoin: a member joined the group.
	EventJoin
	// EventLeave: a member left the group.
	EventLeave
	// EventRoles: the member's facilitator status may have changed (a
	// Matrix power-level change, a Discord role change). Member.Facilitator
	// is the new status; a demoted member stops receiving private words.
	EventRoles
	// EventMessage: a private message to the bot that is not a command.
	// Adapters send it without its text: the core answers every such
	// message with the same short pointer and a route to help, and never
	// reads what it said (no keyword monitoring).
	EventMessage
)

// Member is a person as an adapter sees them at the time of an event.
type Member struct {
	ID   MemberID
	Name string // display name, user-supplied: always rendered as User text
	// Handle identifies the member unambiguously on the platform, for
	// facilitators ("alex_99, id 80351110224678912" on Discord); empty
	// means the id without its platform prefix (a Matrix user id).
	Handle string
	// Facilitator is the platform's word on whether this member moderates
	// the group (Matrix power level, Discord role or permission, console
	// /facilitator). The core trusts it for this event only.
	Facilitator bool
}

// Event is one platform-neutral thing that happened.
type Event struct {
	// ID is the platform's own id for the event, used to ignore redelivered
	// events. Empty means the platform has no stable id (not de-duplicated).
	ID   string
	Kind EventKind
	// Group is the group the event happened in. It may be empty for a
	// private message to the bot; the core then works out the member's group.
	Group GroupID
	// Channel is where the event happened inside the group (empty for a
	// private message).
	Channel ChannelID
	// Private is true when nobody but the bot saw the member's input: a
	// direct message, or a Discord slash command (whose reply is ephemeral).
	Private bool
	// Removed is true when the input was typed in public and the adapter
	// removed it again (Matrix redacts sensitive commands), so answers
	// can say truthfully who may have seen it.
	Removed bool
	Member  Member
	// Command is set for EventCommand.
	Command Command
	// GroupName is a human name for Group, when the adapter knows one
	// (used when the bot asks a member which group they mean).
	GroupName string
	// Locale is the member's language as their app reports it with the
	// event (a Discord interaction's locale, "fr", "pt-BR"), if the
	// platform tells. Private answers follow it unless the member chose a
	// language (!language me).
	Locale string
	// ReplyTo is the platform's id of the post the command was sent as a
	// reply to, where the platform tells (!cw on Matrix, the console's
	// "@ID" of an earlier line); empty otherwise.
	ReplyTo string
}
