package bot

import "strings"

// GroupID identifies one peer-support group. It is opaque to the core:
// adapters build it and parse it. By convention it starts with the
// platform's name and a colon ("console:group", "matrix:!abc:example.org",
// "discord:123456"), so that several platforms can share one store.
type GroupID string

// ChannelID identifies a place inside a group where messages are posted
// (a console group, a Matrix room, a Discord channel). Opaque, prefixed like
// GroupID.
type ChannelID string

// MemberID identifies a person on one platform. Opaque, prefixed like GroupID.
type MemberID string

// MessageRef is a platform's reference to a message the bot posted, kept so
// that the message can be edited later (the live round status). Opaque.
type MessageRef string

// PlatformOf returns the platform prefix of an opaque id: the part before the
// first colon, or "" when there is none.
func PlatformOf(id string) string {
	p, _, ok := strings.Cut(id, ":")
	if !ok {
		return ""
	}
	return p
}
