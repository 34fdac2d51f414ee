package discordtest

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// Message menu commands (type 3, "Apps → …" on a message) and deleting
// members' messages, for content warnings.

// validMenuCommand reports whether c is a message command Discord takes:
// a name of 1 to 32 characters (spaces and capitals allowed), no
// description and no options.
func validMenuCommand(c map[string]any) bool {
	name, _ := c["name"].(string)
	desc, _ := c["description"].(string)
	_, opts := c["options"]
	n := utf8.RuneCountInString(name)
	return n >= 1 && n <= 32 && strings.TrimSpace(name) == name && desc == "" && (!opts || c["options"] == nil)
}

// MenuCommand is user choosing the message command name ("Apps → name")
// on message msg in channel: an application command interaction whose
// data names the target and carries the message, content included
// (Discord sends a menu command's message whatever the bot's intents).
// The command must be registered and offered to the member.
func (f *Server) MenuCommand(user, channel, name, msg string) string {
	cmd, err := f.offered(user, channel, name)
	if err != nil {
		f.t.Fatalf("fake discord: Discord would not send this: %v", err)
	}
	f.mu.Lock()
	m := f.messages[msg]
	if m == nil {
		f.mu.Unlock()
		f.t.Fatalf("fake discord: unknown message %s", msg)
		return ""
	}
	j := f.messageJSON(m)
	f.mu.Unlock()
	data := map[string]any{"id": cmd["id"], "name": name, "type": 3, "target_id": msg,
		"resolved": map[string]any{"messages": map[string]any{msg: j}}}
	return f.interact(2, user, channel, data, "")
}

// DenyDeletes makes the bot lack Manage Messages: deleting a member's
// message is refused with 403 Missing Permissions.
func (f *Server) DenyDeletes(deny bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.denyDeletes = deny
}

// Deleted lists the ids of messages the bot deleted, in order.
func (f *Server) Deleted() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.deleted...)
}

// deleteMessage is DELETE /channels/{ch}/messages/{msg}.
func (f *Server) deleteMessage(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.messages[r.PathValue("msg")]
	if m == nil || m.ChannelID != r.PathValue("ch") {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	if f.denyDeletes && m.Author != "" {
		apiError(w, http.StatusForbidden, 50013, "Missing Permissions")
		return
	}
	delete(f.messages, m.ID)
	f.deleted = append(f.deleted, m.ID)
	w.WriteHeader(http.StatusNoContent)
}
