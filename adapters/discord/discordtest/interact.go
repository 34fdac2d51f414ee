package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// Slash runs /name as user in channel; sub names a subcommand ("start")
// or a subcommand group and its subcommand ("round start"). A command
// Discord would not offer the member there fails the test (see TrySlash),
// and so does a text option longer than the registration's max_length (or
// shorter than its min_length): Discord does not send it.
func (f *Server) Slash(user, channel, name, sub string, opts ...Opt) string {
	id, err := f.TrySlash(user, channel, name, sub, opts...)
	if err != nil {
		f.t.Fatalf("fake discord: Discord would not send this: %v", err)
	}
	return id
}

// ErrNotOffered is TrySlash's answer for a command Discord's client does
// not offer the member where they are: not registered for this server or
// for DMs, not available in this context (the command's contexts), no such
// subcommand, or hidden by its default_member_permissions (the member lacks
// one of those permissions in the channel and is not an administrator).
// Discord's client does not show such a command, and a client that sends
// it anyway is refused: the bot never gets an interaction.
var ErrNotOffered = errors.New("the command is not offered to this member here")

// TrySlash is Slash that returns ErrNotOffered (wrapped, saying why)
// instead of failing the test, and sends nothing then.
func (f *Server) TrySlash(user, channel, name, sub string, opts ...Opt) (string, error) {
	cmd, err := f.offered(user, channel, name)
	if err != nil {
		return "", err
	}
	path := strings.Fields(sub)
	if err := hasPath(cmd, path); err != nil {
		return "", fmt.Errorf("%w: /%s %s: %v", ErrNotOffered, name, sub, err)
	}
	if err := checkOptions(cmd, name, path, opts); err != nil {
		f.t.Fatalf("fake discord: Discord would not send this: %v", err)
	}
	options := optionsJSON(opts)
	for i := len(path) - 1; i >= 0; i-- {
		typ := 1
		if i < len(path)-1 {
			typ = 2
		}
		options = []any{map[string]any{"name": path[i], "type": typ, "options": options}}
	}
	data := map[string]any{"id": cmd["id"], "name": name, "type": 1, "options": options}
	return f.interact(2, user, channel, data, ""), nil
}

// Offered lists the commands Discord's client offers user in channel
// (the command picker), by name.
func (f *Server) Offered(user, channel string) []string {
	f.mu.Lock()
	var names []string
	for _, g := range []string{f.guildOf(channel), ""} {
		for _, c := range f.commands[g] {
			names = append(names, c["name"].(string))
		}
	}
	f.mu.Unlock()
	var out []string
	for _, n := range names {
		if _, err := f.offered(user, channel, n); err == nil && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// offered returns the registration of /name if Discord offers it to user
// in channel: a server's command or a global one in a server, a global one
// in a DM; the command's contexts allow the place; in a server, an admin
// allowed the member or one of their roles to use it (AllowCommand), or
// the member has every permission of its default_member_permissions
// there, or is an administrator or the owner.
func (f *Server) offered(user, channel, name string) (map[string]any, error) {
	f.mu.Lock()
	c := f.channels[channel]
	u := f.users[user]
	switch {
	case c == nil || u == nil:
		f.mu.Unlock()
		f.t.Fatalf("fake discord: unknown channel %s or user %s", channel, user)
	case c.GuildID != "" && f.guilds[c.GuildID].left[user]:
		f.mu.Unlock()
		f.t.Fatalf("fake discord: %s left the server of channel %s", user, channel)
	}
	defer f.mu.Unlock()
	var cmd map[string]any
	for _, g := range []string{c.GuildID, ""} {
		for _, rc := range f.commands[g] {
			if rc["name"] == name && cmd == nil {
				cmd = rc
			}
		}
	}
	if cmd == nil {
		return nil, fmt.Errorf("%w: /%s is not registered for this place", ErrNotOffered, name)
	}
	context := 0.0 // GUILD
	if c.GuildID == "" {
		context = 1 // BOT_DM
	}
	if ctx, ok := cmd["contexts"].([]any); ok && !slices.Contains(ctx, any(context)) {
		return nil, fmt.Errorf("%w: /%s is not available in context %v", ErrNotOffered, name, context)
	}
	if c.GuildID == "" {
		return cmd, nil // no guild permissions in a DM
	}
	for _, id := range f.allowed[c.GuildID][name] {
		if id == u.ID || slices.Contains(memberRoles(u), id) {
			return cmd, nil // an admin's override in Integrations
		}
	}
	if need, ok := cmd["default_member_permissions"].(string); ok {
		bits, _ := strconv.ParseInt(need, 10, 64)
		// "0" leaves the command to administrators (and the owner).
		if have := f.channelPerms(c, u); have&PermAdministrator == 0 && (bits == 0 || have&bits != bits) {
			return nil, fmt.Errorf("%w: /%s needs permissions %d, the member has %d here", ErrNotOffered, name, bits, have)
		}
	}
	return cmd, nil
}

// AllowCommand lets a role's members (or a user, by id) use /name in a
// server whatever its default_member_permissions, as a server admin does
// in Server Settings → Integrations (Discord's command permission
// overrides; only allowing is modelled).
func (f *Server) AllowCommand(guildID, name, roleOrUser string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.allowed[guildID] == nil {
		f.allowed[guildID] = map[string][]string{}
	}
	f.allowed[guildID][name] = append(f.allowed[guildID][name], roleOrUser)
}

// hasPath checks that a command has the subcommand (group) path given.
func hasPath(cmd map[string]any, path []string) error {
	opts, _ := cmd["options"].([]any)
	for _, p := range path {
		var next map[string]any
		for _, o := range opts {
			if m, _ := o.(map[string]any); m["name"] == p {
				if t, _ := m["type"].(float64); t == 1 || t == 2 {
					next = m
				}
			}
		}
		if next == nil {
			return fmt.Errorf("no subcommand %q", p)
		}
		opts, _ = next["options"].([]any)
	}
	for _, o := range opts {
		if m, _ := o.(map[string]any); m["type"] == 1.0 || m["type"] == 2.0 {
			return errors.New("a subcommand must be chosen")
		}
	}
	return nil
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

// guildOf returns the guild of a channel, "" for a DM. Callers hold f.mu.
func (f *Server) guildOf(channel string) string {
	if c := f.channels[channel]; c != nil {
		return c.GuildID
	}
	return ""
}

func (f *Server) commandID(channel, name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, g := range []string{f.guildOf(channel), ""} {
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
	if u != nil && u.Locale != "" {
		payload["locale"] = u.Locale
	}
	if c.GuildID != "" {
		if f.guilds[c.GuildID].left[user] {
			f.mu.Unlock()
			f.t.Fatalf("fake discord: %s left the server of channel %s", user, channel)
		}
		payload["guild_id"] = c.GuildID
		payload["guild_locale"] = "en-GB"
		// member.permissions are the member's permissions in this channel,
		// overwrites included, as Discord computes them.
		member := f.memberJSON(u)
		member["permissions"] = itoa(f.channelPerms(c, u))
		payload["member"] = member
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
// registered for the command or the subcommand at path.
func checkOptions(cmd map[string]any, name string, path []string, opts []Opt) error {
	registered, _ := cmd["options"].([]any)
	for _, p := range path {
		for _, o := range registered {
			if m, _ := o.(map[string]any); m["name"] == p {
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
