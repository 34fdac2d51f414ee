package discordtest

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Members' actions in the fake Discord: each sends an INTERACTION_CREATE
// shaped like Discord's and returns the interaction id.

// Opt is one slash-command option as Discord sends it.
type Opt struct {
	Name  string
	Value any // string, bool or int
}

// O is a slash-command option: name and value (string, bool or int).
func O(name string, value any) Opt { return Opt{Name: name, Value: value} }

func optionsJSON(opts []Opt) []any {
	out := []any{}
	for _, o := range opts {
		t := 3
		switch o.Value.(type) {
		case bool:
			t = 5
		case int:
			t = 4
		}
		out = append(out, map[string]any{"name": o.Name, "type": t, "value": o.Value})
	}
	return out
}

// Slash runs /name (or /name sub when sub is set) as user in channel. A
// text option longer than the registration's max_length (or shorter than
// its min_length) fails the test: Discord does not send it.
func (f *Server) Slash(user, channel, name, sub string, opts ...Opt) string {
	if err := f.checkOptions(channel, name, sub, opts); err != nil {
		f.t.Fatalf("fake discord: Discord would not send this: %v", err)
	}
	options := optionsJSON(opts)
	if sub != "" {
		options = []any{map[string]any{"name": sub, "type": 1, "options": options}}
	}
	data := map[string]any{"id": f.commandID(channel, name), "name": name, "type": 1, "options": options}
	return f.interact(2, user, channel, data, "")
}

// Autocomplete asks for choices while user types value into option name.
func (f *Server) Autocomplete(user, channel, name, option, value string) string {
	data := map[string]any{"id": f.commandID(channel, name), "name": name, "type": 1,
		"options": []any{map[string]any{"name": option, "type": 3, "value": value, "focused": true}}}
	return f.interact(4, user, channel, data, "")
}

// Click presses the button with customID on message msg.
func (f *Server) Click(user, msg, customID string) string {
	m, ok := f.Message(msg)
	if !ok {
		f.t.Fatalf("fake discord: click on unknown message %s", msg)
	}
	data := map[string]any{"custom_id": customID, "component_type": 2}
	return f.interact(3, user, m.ChannelID, data, msg)
}

// Submit fills the modal an interaction opened with value and submits it.
// A value the modal's text input does not take (longer than its
// max_length, shorter than its min_length, empty when required) fails the
// test: Discord does not submit it.
func (f *Server) Submit(user, opened, value string) string {
	in := f.Interaction(opened)
	if in.Response != 9 {
		f.t.Fatalf("fake discord: interaction %s opened no modal (response %d)", opened, in.Response)
	}
	var modal struct {
		CustomID   string      `json:"custom_id"`
		Components []Component `json:"components"`
	}
	_ = json.Unmarshal(in.Data, &modal)
	var rows []any
	for _, row := range modal.Components {
		var inputs []any
		for _, c := range row.Components {
			if err := checkInput(c, value); err != nil {
				f.t.Fatalf("fake discord: Discord would not submit this: %v", err)
			}
			inputs = append(inputs, map[string]any{"type": 4, "custom_id": c.CustomID, "value": value})
		}
		rows = append(rows, map[string]any{"type": 1, "components": inputs})
	}
	data := map[string]any{"custom_id": modal.CustomID, "components": rows}
	from := ""
	if in.Type == 3 {
		from = in.messageID
	}
	return f.interact(5, user, in.ChannelID, data, from)
}

func (f *Server) commandID(channel, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	guild := ""
	if c := f.channels[channel]; c != nil {
		guild = c.GuildID
	}
	for _, g := range []string{guild, ""} {
		for _, c := range f.commands[g] {
			if c["name"] == name {
				return c["id"].(string)
			}
		}
	}
	f.t.Fatalf("fake discord: /%s is not registered", name)
	return ""
}

// interact records an interaction and dispatches INTERACTION_CREATE.
func (f *Server) interact(typ int, user, channel string, data map[string]any, msg string) string {
	f.mu.Lock()
	id, token := f.newID(), "itoken-"+f.newID()
	c := f.channels[channel]
	if c == nil {
		f.mu.Unlock()
		f.t.Fatalf("fake discord: unknown channel %s", channel)
	}
	u := f.users[user]
	in := &Interaction{ID: id, Token: token, Type: typ, User: user, ChannelID: channel, Created: time.Now(), messageID: msg}
	f.interactions[id] = in
	payload := map[string]any{
		"id": id, "application_id": f.appID, "type": typ, "token": token, "version": 1,
		"channel_id": channel, "channel": f.channelJSON(c), "data": data, "locale": "en-GB",
		"app_permissions": "2251799813685247", "entitlements": []any{},
	}
	if c.GuildID != "" {
		payload["guild_id"] = c.GuildID
		payload["guild_locale"] = "en-GB"
		payload["member"] = map[string]any{
			"user": f.UserJSON(user), "roles": append([]string{}, u.Roles...), "permissions": itoa(u.Perms),
			"nick": nil, "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false, "flags": 0,
		}
	} else {
		payload["user"] = f.UserJSON(user)
	}
	if msg != "" {
		if m := f.messages[msg]; m != nil {
			payload["message"] = f.messageJSON(m)
		}
	}
	f.mu.Unlock()
	f.Dispatch("INTERACTION_CREATE", payload)
	return id
}

// checkOptions applies the limits Discord's client enforces before it
// sends a slash command: a text option's min_length and max_length, as
// registered.
func (f *Server) checkOptions(channel, name, sub string, opts []Opt) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	guild := ""
	if c := f.channels[channel]; c != nil {
		guild = c.GuildID
	}
	var registered []any
	for _, g := range []string{guild, ""} {
		for _, c := range f.commands[g] {
			if c["name"] == name && registered == nil {
				registered, _ = c["options"].([]any)
			}
		}
	}
	if sub != "" {
		for _, o := range registered {
			if m, _ := o.(map[string]any); m["name"] == sub {
				registered, _ = m["options"].([]any)
			}
		}
	}
	for _, o := range opts {
		s, ok := o.Value.(string)
		if !ok {
			continue
		}
		for _, r := range registered {
			m, _ := r.(map[string]any)
			if m["name"] != o.Name {
				continue
			}
			n := utf8.RuneCountInString(s)
			if max, ok := m["max_length"].(float64); ok && n > int(max) {
				return fmt.Errorf("option %s of /%s is %d characters, max_length %d", o.Name, name, n, int(max))
			}
			if min, ok := m["min_length"].(float64); ok && n < int(min) {
				return fmt.Errorf("option %s of /%s is %d characters, min_length %d", o.Name, name, n, int(min))
			}
		}
	}
	return nil
}

// checkInput applies the limits of a modal's text input to value, as
// Discord's client does before it submits.
func checkInput(c Component, value string) error {
	n := utf8.RuneCountInString(value)
	switch {
	case c.MaxLength > 0 && n > c.MaxLength:
		return fmt.Errorf("input %s is %d characters, max_length %d", c.CustomID, n, c.MaxLength)
	case n < c.MinLength:
		return fmt.Errorf("input %s is %d characters, min_length %d", c.CustomID, n, c.MinLength)
	case n == 0 && (c.Required == nil || *c.Required):
		return fmt.Errorf("input %s is required", c.CustomID)
	}
	return nil
}
