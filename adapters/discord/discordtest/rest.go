package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The fake Discord's REST routes (API v9), with Discord's status codes and
// JSON error codes.

func (f *Server) routes(mux *http.ServeMux) {
	const v = "/api/v9"
	mux.HandleFunc("GET "+v+"/gateway", f.getGateway)
	mux.HandleFunc("GET "+v+"/gateway/bot", f.getGateway)
	mux.HandleFunc("PUT "+v+"/applications/{app}/commands", f.putCommands)
	mux.HandleFunc("PUT "+v+"/applications/{app}/guilds/{guild}/commands", f.putCommands)
	mux.HandleFunc("POST "+v+"/interactions/{id}/{token}/callback", f.callback)
	mux.HandleFunc("POST "+v+"/webhooks/{app}/{token}", f.followup)
	mux.HandleFunc("PATCH "+v+"/webhooks/{app}/{token}/messages/{msg}", f.webhookEdit)
	mux.HandleFunc("DELETE "+v+"/webhooks/{app}/{token}/messages/{msg}", f.webhookDelete)
	mux.HandleFunc("POST "+v+"/channels/{ch}/messages", f.createMessage)
	mux.HandleFunc("PATCH "+v+"/channels/{ch}/messages/{msg}", f.editMessage)
	mux.HandleFunc("DELETE "+v+"/channels/{ch}/messages/{msg}", f.deleteMessage) // menu.go
	mux.HandleFunc("PUT "+v+"/channels/{ch}/pins/{msg}", f.pin)                  // deprecated route (discordgo v0.29.0)
	mux.HandleFunc("PUT "+v+"/channels/{ch}/messages/pins/{msg}", f.pin)         // current route
	mux.HandleFunc("GET "+v+"/channels/{ch}", f.getChannel)
	mux.HandleFunc("POST "+v+"/users/@me/channels", f.createDM)
	mux.HandleFunc("PUT "+v+"/guilds/{guild}/members/{user}/roles/{role}", f.addRole)
	mux.HandleFunc("GET "+v+"/guilds/{guild}/roles", f.getRoles)
	mux.HandleFunc("GET "+v+"/guilds/{guild}", f.getGuild)
	mux.HandleFunc("GET "+v+"/guilds/{guild}/members/{user}", f.getMember)
	mux.HandleFunc("GET "+v+"/guilds/{guild}/channels", f.getGuildChannels)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, 0, "404: Not Found")
	})
}

// getGateway answers GET /gateway with the gateway's URL and GET
// /gateway/bot also with the shard count Discord recommends (see
// SetRecommendedShards) and the session start limit.
func (f *Server) getGateway(w http.ResponseWriter, r *http.Request) {
	url := strings.Replace(f.srv.URL, "http", "ws", 1) + "/ws"
	if !strings.HasSuffix(r.URL.Path, "/bot") {
		writeJSON(w, 200, map[string]any{"url": url})
		return
	}
	writeJSON(w, 200, map[string]any{"url": url, "shards": f.recommendedShards(),
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
}

var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)

// maxCommandSize is Discord's limit on the combined length of a command's
// names, descriptions and choices (its options and subcommands included).
const maxCommandSize = 8000

// putCommands is the bulk overwrite, with Discord's validation rules: names
// and descriptions, options (see validOptions), at most 8000 characters
// per command, contexts, and default_member_permissions (null, or a
// permission bit set as a decimal string). A refusal is Discord's 400
// "Invalid Form Body" (50035) naming the command's index and field. The
// accepted registration is kept as sent (see Command).
func (f *Server) putCommands(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("app") != f.appID {
		apiError(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	var cmds []map[string]any
	if err := json.NewDecoder(r.Body).Decode(&cmds); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	if len(cmds) > 100 {
		formError(w, []string{"_errors"}, "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
		return
	}
	seen := map[string]bool{}
	for i, c := range cmds {
		at := strconv.Itoa(i)
		name, _ := c["name"].(string)
		desc, _ := c["description"].(string)
		if typ, _ := c["type"].(float64); typ == 3 {
			if !validMenuCommand(c) || seen["menu:"+name] {
				apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: menu command "+name)
				return
			}
			seen["menu:"+name] = true
			continue
		}
		if !commandName.MatchString(name) || name != strings.ToLower(name) || seen[name] || desc == "" || len([]rune(desc)) > 100 {
			apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: command "+name)
			return
		}
		seen[name] = true
		if !validOptions(c["options"], 0) {
			apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: options of "+name)
			return
		}
		if n := commandSize(c); n > maxCommandSize {
			formError(w, []string{at, "_errors"}, "APPLICATION_COMMAND_TOO_LARGE",
				fmt.Sprintf("Command exceeds maximum size (%d)", maxCommandSize))
			return
		}
		if bad := badPermissions(c["default_member_permissions"]); bad != "" {
			formError(w, []string{at, "default_member_permissions"}, "NUMBER_TYPE_COERCE", bad)
			return
		}
		if ctx, ok := c["contexts"]; ok && ctx != nil && !validContexts(ctx) {
			formError(w, []string{at, "contexts"}, "ENUM_TYPE_COERCE", "Value is not a valid enum value.")
			return
		}
	}
	f.mu.Lock()
	for _, c := range cmds {
		c["id"] = f.newID()
		c["application_id"] = f.appID
		c["version"] = f.newID()
		if _, ok := c["default_member_permissions"]; !ok {
			c["default_member_permissions"] = nil
		}
	}
	f.commands[r.PathValue("guild")] = cmds
	f.mu.Unlock()
	writeJSON(w, 200, cmds)
}

// badPermissions says what is wrong with a default_member_permissions
// value, or "" when Discord takes it: null (everyone may use the command)
// or a string of decimal digits ("0": administrators only).
func badPermissions(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		if v == "" || strings.TrimLeft(v, "0123456789") != "" {
			return fmt.Sprintf("Value %q is not int.", v)
		}
		if _, err := strconv.ParseUint(v, 10, 63); err != nil {
			return fmt.Sprintf("Value %q is not int.", v)
		}
		return ""
	}
	return fmt.Sprintf("Value %v is not int.", v)
}

// validContexts checks a command's contexts: a list of 0 (GUILD), 1
// (BOT_DM) and 2 (PRIVATE_CHANNEL).
func validContexts(v any) bool {
	list, ok := v.([]any)
	if !ok {
		return false
	}
	for _, c := range list {
		if n, ok := c.(float64); !ok || (n != 0 && n != 1 && n != 2) {
			return false
		}
	}
	return true
}

// commandSize is what counts towards Discord's 8000 characters: every
// name, description and choice (name, and value when a string).
func commandSize(c map[string]any) int {
	n := 0
	for _, k := range []string{"name", "description"} {
		s, _ := c[k].(string)
		n += len([]rune(s))
	}
	if ch, ok := c["choices"].([]any); ok {
		for _, x := range ch {
			m, _ := x.(map[string]any)
			s, _ := m["name"].(string)
			n += len([]rune(s))
			if v, ok := m["value"].(string); ok {
				n += len([]rune(v))
			}
		}
	}
	if opts, ok := c["options"].([]any); ok {
		for _, o := range opts {
			if m, ok := o.(map[string]any); ok {
				n += commandSize(m)
			}
		}
	}
	return n
}

// validOptions checks one level of options at the given depth (0: the
// command's own): names (unique), descriptions, at most 25 options and
// choices, required options before optional ones, the bounds Discord puts
// on max_length (1–6000) and min_value/max_value (±2^53), and nesting:
// subcommands (type 1) and groups (type 2) are not mixed with other
// options; a group holds only subcommands, at least one; a subcommand
// holds no subcommands; groups only at the command's own level.
func validOptions(v any, depth int) bool {
	opts, _ := v.([]any)
	if len(opts) > 25 {
		return false
	}
	optional := false
	subs, others := 0, 0
	names := map[string]bool{}
	for _, o := range opts {
		m, _ := o.(map[string]any)
		name, _ := m["name"].(string)
		desc, _ := m["description"].(string)
		if !commandName.MatchString(name) || name != strings.ToLower(name) || desc == "" || len([]rune(desc)) > 100 || names[name] {
			return false
		}
		names[name] = true
		ch, _ := m["choices"].([]any)
		if len(ch) > 25 {
			return false
		}
		if auto, _ := m["autocomplete"].(bool); auto && len(ch) > 0 {
			return false // autocomplete and choices are mutually exclusive
		}
		if ml, ok := m["max_length"].(float64); ok && (ml < 1 || ml > 6000) {
			return false
		}
		for _, k := range []string{"min_value", "max_value"} {
			if v, ok := m[k].(float64); ok && (v < -(1<<53) || v > 1<<53) {
				return false
			}
		}
		req, _ := m["required"].(bool)
		if req && optional {
			return false
		}
		if !req {
			optional = true
		}
		switch t, _ := m["type"].(float64); t {
		case 1: // a subcommand: its options are arguments
			subs++
			if depth > 1 || !validOptions(m["options"], 2) {
				return false
			}
		case 2: // a group: subcommands only
			subs++
			inner, _ := m["options"].([]any)
			if depth > 0 || len(inner) == 0 || !validOptions(m["options"], 1) {
				return false
			}
			for _, x := range inner {
				if xm, _ := x.(map[string]any); xm["type"] != 1.0 {
					return false
				}
			}
		default:
			others++
			if depth == 1 {
				return false // a group holds subcommands only
			}
		}
	}
	return subs == 0 || others == 0
}

// messageBody is what message-creating payloads carry.
type messageBody struct {
	Content         *string         `json:"content"`
	Components      json.RawMessage `json:"components"`
	Flags           int             `json:"flags"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	// Modal fields.
	CustomID string `json:"custom_id"`
	Title    string `json:"title"`
}

// messageError is why Discord refuses a message payload: a status, a JSON
// code and, for 50035, the field and its error.
type messageError struct {
	code        int
	field       []string // path to the field, for 50035
	fieldCode   string
	fieldReason string
}

// write sends the refusal, with prefix before the field's path (an
// interaction response's message is under "data").
func (e *messageError) write(w http.ResponseWriter, prefix ...string) {
	switch e.code {
	case 50006:
		apiError(w, http.StatusBadRequest, 50006, "Cannot send an empty message")
	default:
		formError(w, append(prefix, e.field...), e.fieldCode, e.fieldReason)
	}
}

// checkMessage applies Discord's limits on content (2000 characters,
// counted in Unicode code points as Discord does) and components.
func checkMessage(b messageBody, needContent bool) *messageError {
	if b.Content != nil && utf8.RuneCountInString(*b.Content) > maxContent {
		return &messageError{code: 50035, field: []string{"content"}, fieldCode: "BASE_TYPE_MAX_LENGTH",
			fieldReason: fmt.Sprintf("Must be %d or fewer in length.", maxContent)}
	}
	comps := DecodeComponents(b.Components)
	if needContent && (b.Content == nil || *b.Content == "") && len(comps) == 0 {
		return &messageError{code: 50006}
	}
	bad := &messageError{code: 50035, field: []string{"components"}, fieldCode: "COMPONENT_LAYOUT_INVALID", fieldReason: "Invalid components."}
	if len(comps) > 5 {
		return bad
	}
	ids := map[string]bool{}
	for _, row := range comps {
		if row.Type != 1 || len(row.Components) == 0 || len(row.Components) > 5 {
			return bad
		}
		for _, c := range row.Components {
			if len(c.CustomID) > 100 || len([]rune(c.Label)) > 80 || ids[c.CustomID] {
				return bad
			}
			if c.CustomID != "" {
				ids[c.CustomID] = true
			}
		}
	}
	return nil
}

// maxContent is Discord's limit on a message's content.
const maxContent = 2000

type Component struct {
	Type       int         `json:"type"`
	CustomID   string      `json:"custom_id"`
	Label      string      `json:"label"`
	Style      int         `json:"style"`
	Components []Component `json:"components"`
	// A text input's limits; Required is nil when not sent (Discord's
	// default is required).
	MinLength int   `json:"min_length"`
	MaxLength int   `json:"max_length"`
	Required  *bool `json:"required"`
}

func DecodeComponents(raw json.RawMessage) []Component {
	var cs []Component
	_ = json.Unmarshal(raw, &cs)
	return cs
}

func (f *Server) callback(w http.ResponseWriter, r *http.Request) {
	var resp struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(r.Body).Decode(&resp); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	var data messageBody
	_ = json.Unmarshal(resp.Data, &data)
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.interactions[r.PathValue("id")]
	if in == nil || in.Token != r.PathValue("token") || time.Since(in.Created) > 3*time.Second {
		apiError(w, http.StatusNotFound, 10062, "Unknown interaction")
		return
	}
	if in.Response != 0 {
		apiError(w, http.StatusBadRequest, 40060, "Interaction has already been acknowledged.")
		return
	}
	component := in.Type == 3 || in.Type == 5
	switch resp.Type {
	case 4, 5:
		if resp.Type == 4 {
			if e := checkMessage(data, true); e != nil {
				e.write(w, "data")
				return
			}
		}
		m := &Message{ID: f.newID(), ChannelID: in.ChannelID, Ephemeral: data.Flags&64 != 0, Interaction: in.ID, Components: data.Components}
		if data.Content != nil {
			m.Content = *data.Content
		}
		f.messages[m.ID] = m
		in.Original = m
		in.Deferred = resp.Type == 5
	case 6:
		if !component {
			apiError(w, http.StatusBadRequest, 40043, "Interaction has invalid response type")
			return
		}
	case 8:
		if in.Type != 4 {
			apiError(w, http.StatusBadRequest, 40043, "Interaction has invalid response type")
			return
		}
	case 9:
		if in.Type != 2 && in.Type != 3 {
			apiError(w, http.StatusBadRequest, 40043, "Interaction has invalid response type")
			return
		}
		if data.CustomID == "" || len(data.CustomID) > 100 || data.Title == "" || len([]rune(data.Title)) > 45 {
			apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
			return
		}
		in.ModalID = data.CustomID
	default:
		apiError(w, http.StatusBadRequest, 40043, "Interaction has invalid response type")
		return
	}
	in.Response = resp.Type
	in.Data = resp.Data
	w.WriteHeader(http.StatusNoContent)
}

// tokenInteraction finds the interaction an interaction token belongs to.
// Callers hold f.mu.
func (f *Server) tokenInteraction(app, token string) *Interaction {
	if app != f.appID {
		return nil
	}
	for _, in := range f.interactions {
		if in.Token == token {
			return in
		}
	}
	return nil
}

func (f *Server) followup(w http.ResponseWriter, r *http.Request) {
	var data messageBody
	if !decodeMessage(w, r, &data, true) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.tokenInteraction(r.PathValue("app"), r.PathValue("token"))
	if in == nil || in.Response == 0 || in.Response == 9 || in.Response == 8 {
		apiError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return
	}
	m := &Message{ID: f.newID(), ChannelID: in.ChannelID, Content: *data.Content, Components: data.Components,
		Ephemeral: data.Flags&64 != 0, Interaction: in.ID}
	f.messages[m.ID] = m
	in.Followups = append(in.Followups, m)
	if r.URL.Query().Get("wait") == "true" {
		writeJSON(w, 200, f.messageJSON(m))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (f *Server) webhookMessage(in *Interaction, id string) *Message {
	if id == "@original" {
		return in.Original
	}
	for _, m := range in.Followups {
		if m.ID == id {
			return m
		}
	}
	return nil
}

func (f *Server) webhookEdit(w http.ResponseWriter, r *http.Request) {
	var data messageBody
	if !decodeMessage(w, r, &data, false) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.tokenInteraction(r.PathValue("app"), r.PathValue("token"))
	if in == nil {
		apiError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return
	}
	m := f.webhookMessage(in, r.PathValue("msg"))
	if m == nil {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	applyEdit(m, data)
	if r.PathValue("msg") == "@original" {
		in.Deferred = false
	}
	writeJSON(w, 200, f.messageJSON(m))
}

// decodeMessage reads a message payload and refuses it as Discord would;
// it reports whether the request may go on.
func decodeMessage(w http.ResponseWriter, r *http.Request, data *messageBody, needContent bool) bool {
	if err := json.NewDecoder(r.Body).Decode(data); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return false
	}
	if e := checkMessage(*data, needContent); e != nil {
		e.write(w)
		return false
	}
	return true
}

func applyEdit(m *Message, data messageBody) {
	if data.Content != nil {
		m.Content = *data.Content
	}
	if data.Components != nil {
		m.Components = data.Components
	}
	m.Edits++
}

func (f *Server) webhookDelete(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.tokenInteraction(r.PathValue("app"), r.PathValue("token"))
	if in == nil {
		apiError(w, http.StatusNotFound, 10015, "Unknown Webhook")
		return
	}
	m := f.webhookMessage(in, r.PathValue("msg"))
	if m == nil {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	delete(f.messages, m.ID)
	if m == in.Original {
		in.Original = nil
	}
	w.WriteHeader(http.StatusNoContent)
}

func (f *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	var data messageBody
	if !decodeMessage(w, r, &data, true) {
		return
	}
	f.mu.Lock()
	c := f.channels[r.PathValue("ch")]
	if c == nil {
		f.mu.Unlock()
		apiError(w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	if c.Type == 1 && f.users[c.Recipient] != nil && f.users[c.Recipient].DMsClosed {
		f.mu.Unlock()
		apiError(w, http.StatusForbidden, 50007, "Cannot send messages to this user")
		return
	}
	if data.Flags&64 != 0 {
		f.mu.Unlock()
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: ephemeral only in interaction responses")
		return
	}
	m := &Message{ID: f.newID(), ChannelID: c.ID, Components: data.Components}
	if data.Content != nil {
		m.Content = *data.Content
	}
	f.messages[m.ID] = m
	out := f.messageJSON(m)
	// Discord tells the bot about its own messages too, as its intents
	// allow (messages.go).
	ev := f.messageCreate(m)
	f.mu.Unlock()
	f.send(ev)
	writeJSON(w, 200, out)
}

func (f *Server) editMessage(w http.ResponseWriter, r *http.Request) {
	var data messageBody
	if !decodeMessage(w, r, &data, false) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.messages[r.PathValue("msg")]
	if m == nil || m.ChannelID != r.PathValue("ch") || m.Interaction != "" {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	applyEdit(m, data)
	writeJSON(w, 200, f.messageJSON(m))
}

func (f *Server) pin(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.messages[r.PathValue("msg")]
	if m == nil || m.ChannelID != r.PathValue("ch") {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	route := "pins"
	if strings.Contains(r.URL.Path, "/messages/pins/") {
		route = "messages/pins"
	}
	f.pins = append(f.pins, Pin{Channel: m.ChannelID, Message: m.ID, Route: route})
	w.WriteHeader(http.StatusNoContent)
}

func (f *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.channels[r.PathValue("ch")]
	if c == nil {
		apiError(w, http.StatusNotFound, 10003, "Unknown Channel")
		return
	}
	writeJSON(w, 200, f.channelJSON(c))
}

func (f *Server) createDM(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.users[body.RecipientID]
	if u == nil {
		apiError(w, http.StatusBadRequest, 50033, "Invalid Recipient(s)")
		return
	}
	if u.dmChannelID == "" {
		u.dmChannelID = f.newID()
		f.channels[u.dmChannelID] = &Channel{ID: u.dmChannelID, Type: 1, Recipient: u.ID}
	}
	writeJSON(w, 200, f.channelJSON(f.channels[u.dmChannelID]))
}

func (f *Server) addRole(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.guilds[r.PathValue("guild")] == nil || f.users[r.PathValue("user")] == nil {
		apiError(w, http.StatusNotFound, 10007, "Unknown Member")
		return
	}
	f.roleAdds = append(f.roleAdds, RoleAdd{Guild: r.PathValue("guild"), User: r.PathValue("user"), Role: r.PathValue("role")})
	u := f.users[r.PathValue("user")]
	u.Roles = append(u.Roles, r.PathValue("role"))
	w.WriteHeader(http.StatusNoContent)
}

func (f *Server) getRoles(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.guilds[r.PathValue("guild")]
	if g == nil {
		apiError(w, http.StatusNotFound, 10004, "Unknown Guild")
		return
	}
	writeJSON(w, 200, f.rolesJSON(g))
}

func (f *Server) getGuildChannels(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.guilds[r.PathValue("guild")] == nil {
		apiError(w, http.StatusNotFound, 10004, "Unknown Guild")
		return
	}
	out := []any{}
	for _, c := range f.channels {
		if c.GuildID == r.PathValue("guild") {
			out = append(out, f.channelJSON(c))
		}
	}
	writeJSON(w, 200, out)
}

// getGuild is GET /guilds/{guild}: the guild object with its roles and
// owner (no channels or members, as Discord's REST answer).
func (f *Server) getGuild(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.guilds[r.PathValue("guild")]
	if g == nil {
		apiError(w, http.StatusNotFound, 10004, "Unknown Guild")
		return
	}
	writeJSON(w, 200, map[string]any{
		"id": g.ID, "name": g.Name, "owner_id": g.OwnerID, "roles": f.rolesJSON(g),
		"system_channel_id": nilIfEmpty(g.SystemChannelID), "features": []any{}, "emojis": []any{}, "stickers": []any{},
	})
}

// getMember is GET /guilds/{guild}/members/{user}: the member object, or
// 404 Unknown Member (10007) for someone who is not (or no longer) in the
// server.
func (f *Server) getMember(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.guilds[r.PathValue("guild")]
	if g == nil {
		apiError(w, http.StatusNotFound, 10004, "Unknown Guild")
		return
	}
	u := f.users[r.PathValue("user")]
	if u == nil || g.left[u.ID] {
		apiError(w, http.StatusNotFound, 10007, "Unknown Member")
		return
	}
	writeJSON(w, 200, f.memberJSON(u))
}
