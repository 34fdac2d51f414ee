package discordtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// call makes one REST request to the fake as the bot would.
func call(t *testing.T, f *Server, method, path, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, f.URL()+"/api/v9"+path, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bot "+Token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m, resp.Header
}

func newWorld(t *testing.T) *Server {
	f := New(t)
	f.AddGuild("1", "g")
	f.AddChannel(Channel{ID: "10", GuildID: "1", Name: "c"})
	f.AddUser(User{ID: "20", Name: "Ana"})
	return f
}

// TestRESTErrors ensures the fake answers like Discord: bad tokens, unknown
// channels, over-long content and closed DMs get Discord's statuses and
// JSON codes.
func TestRESTErrors(t *testing.T) {
	f := newWorld(t)
	req, _ := http.NewRequest("GET", f.URL()+"/api/v9/channels/10", nil)
	req.Header.Set("Authorization", "Bot wrong")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("bad token: %v %v", resp, err)
	}
	if st, m, _ := call(t, f, "POST", "/channels/99/messages", `{"content":"x"}`); st != 404 || m["code"] != 10003.0 {
		t.Errorf("unknown channel: %d %v", st, m)
	}
	long := strings.Repeat("é", 2001)
	st, m, _ := call(t, f, "POST", "/channels/10/messages", `{"content":"`+long+`"}`)
	errs, _ := m["errors"].(map[string]any)
	content, _ := errs["content"].(map[string]any)
	list, _ := content["_errors"].([]any)
	if first, _ := list[0].(map[string]any); st != 400 || m["code"] != 50035.0 || m["message"] != "Invalid Form Body" || first["code"] != "BASE_TYPE_MAX_LENGTH" {
		t.Errorf("2001 characters: %d %v; want 400, 50035 with errors.content", st, m)
	}
	if st, _, _ := call(t, f, "POST", "/channels/10/messages", `{"content":"`+long[2:]+`"}`); st != 200 {
		t.Errorf("2000 characters (2 bytes each): %d, want 200: Discord counts code points", st)
	}
	f.SetDMsClosed("20", true)
	st, dm, _ := call(t, f, "POST", "/users/@me/channels", `{"recipient_id":"20"}`)
	if st != 200 || dm["type"] != 1.0 {
		t.Fatalf("open DM: %d %v", st, dm)
	}
	if st, m, _ := call(t, f, "POST", "/channels/"+dm["id"].(string)+"/messages", `{"content":"hi"}`); st != 403 || m["code"] != 50007.0 {
		t.Errorf("closed DMs: %d %v", st, m)
	}
	if len(f.Requests()) != 6 {
		t.Errorf("recorded %d requests, want 6", len(f.Requests()))
	}
}

// TestMessageRateLimit ensures a channel takes 5 messages per window, then
// answers 429 with retry_after and X-RateLimit headers.
func TestMessageRateLimit(t *testing.T) {
	f := newWorld(t)
	for i := range 5 {
		st, _, h := call(t, f, "POST", "/channels/10/messages", `{"content":"x"}`)
		if st != 200 || h.Get("X-RateLimit-Remaining") != string(rune('4'-i)) || h.Get("X-RateLimit-Reset-After") == "" {
			t.Fatalf("message %d: %d, remaining %q", i, st, h.Get("X-RateLimit-Remaining"))
		}
	}
	st, m, h := call(t, f, "POST", "/channels/10/messages", `{"content":"x"}`)
	if st != 429 || m["retry_after"] == nil || h.Get("X-RateLimit-Scope") != "user" {
		t.Errorf("sixth message: %d %v %v", st, m, h)
	}
	f.Inject("PATCH", `/messages/`, 429, 1)
	if st, _, _ := call(t, f, "PATCH", "/channels/10/messages/1", `{"content":"y"}`); st != 429 {
		t.Errorf("injected 429: %d", st)
	}
	if st, _, _ := call(t, f, "PATCH", "/channels/10/messages/1", `{"content":"y"}`); st != 404 {
		t.Errorf("after the injection, an unknown message: %d", st)
	}
	rs := f.Requests()
	if rs[5].Status != 429 || rs[5].Injected || rs[6].Status != 429 || !rs[6].Injected {
		t.Errorf("natural and injected 429s not told apart: %+v, %+v", rs[5], rs[6])
	}
}

// TestInteractionResponseRules ensures one response per interaction,
// within 3 seconds, and follow-ups only after it.
func TestInteractionResponseRules(t *testing.T) {
	f := newWorld(t)
	f.mu.Lock()
	f.commands["1"] = []map[string]any{{"name": "help", "id": "5"}}
	f.mu.Unlock()
	id := f.Slash("20", "10", "help", "")
	in := f.Interaction(id)
	if st, m, _ := call(t, f, "POST", "/webhooks/"+AppID+"/"+in.Token+"?wait=true", `{"content":"early"}`); st != 404 || m["code"] != 10015.0 {
		t.Errorf("follow-up before the response: %d %v", st, m)
	}
	cb := "/interactions/" + id + "/" + in.Token + "/callback"
	if st, _, _ := call(t, f, "POST", cb, `{"type":4,"data":{"content":"hi","flags":64}}`); st != 204 {
		t.Fatalf("response: %d", st)
	}
	if st, m, _ := call(t, f, "POST", cb, `{"type":4,"data":{"content":"again"}}`); st != 400 || m["code"] != 40060.0 {
		t.Errorf("second response: %d %v", st, m)
	}
	if got := f.Interaction(id); got.Original == nil || !got.Original.Ephemeral || got.Original.Content != "hi" {
		t.Errorf("original: %+v", got.Original)
	}
	late := f.Slash("20", "10", "help", "")
	f.mu.Lock()
	f.interactions[late].Created = time.Now().Add(-4 * time.Second)
	tok := f.interactions[late].Token
	f.mu.Unlock()
	if st, m, _ := call(t, f, "POST", "/interactions/"+late+"/"+tok+"/callback", `{"type":4,"data":{"content":"late"}}`); st != 404 || m["code"] != 10062.0 {
		t.Errorf("response after 3 s: %d %v", st, m)
	}
}

// TestCommandRegistrationLimits ensures the fake refuses command
// registrations Discord refuses: a string option longer than 6000
// characters, autocomplete together with choices, an integer bound beyond
// 2^53.
func TestCommandRegistrationLimits(t *testing.T) {
	f := newWorld(t)
	put := func(option string) int {
		t.Helper()
		st, _, _ := call(t, f, "PUT", "/applications/"+AppID+"/guilds/1/commands",
			`[{"name":"x","description":"d","options":[{"name":"o","description":"d","type":3,`+option+`}]}]`)
		return st
	}
	for option, want := range map[string]int{
		`"max_length":6000`:                200,
		`"max_length":6001`:                400,
		`"max_length":0`:                   400,
		`"autocomplete":true,"choices":[]`: 200,
		`"autocomplete":true,"choices":[{"name":"a","value":"a"}]`: 400,
		`"min_value":1,"max_value":1440`:                           200,
		`"max_value":1e16`:                                         400,
	} {
		if st := put(option); st != want {
			t.Errorf("option with %s: status %d, want %d", option, st, want)
		}
	}
}

// TestMessageCreateFollowsIntents ensures MESSAGE_CREATE goes to each
// session as Discord sends it: a DM (the member's, and the bot's own
// answer) only with the direct messages intent, with its content and
// without guild_id or member; a server message only with the guild
// messages intent, and without a member's content unless the session has
// the message content intent (the bot's own keeps its content).
func TestMessageCreateFollowsIntents(t *testing.T) {
	f := newWorld(t)
	none := sessionOf(dial(t, f).identify(0, nil))
	dms := sessionOf(dial(t, f).identify(intentDirectMessages, nil))
	guild := sessionOf(dial(t, f).identify(intentGuildMessages, nil))
	content := sessionOf(dial(t, f).identify(intentGuildMessages|intentMessageContent, nil))

	id := f.DM("20", "I want to talk")
	// The bot's own answer in the DM comes back as an event too.
	if st, _, _ := call(t, f, "POST", "/channels/"+f.DMChannel("20")+"/messages", `{"content":"answer"}`); st != 200 {
		t.Fatalf("answer: %d", st)
	}
	post := f.Post("20", "10", "hi all")
	if st, _, _ := call(t, f, "POST", "/channels/10/messages", `{"content":"welcome"}`); st != 200 {
		t.Fatalf("the bot's post: %d", st)
	}

	if got := received(f, none, "MESSAGE_CREATE"); len(got) != 0 {
		t.Errorf("without intents the session got %v", got)
	}
	got := received(f, dms, "MESSAGE_CREATE")
	if len(got) != 2 {
		t.Fatalf("with direct messages only: %v", got)
	}
	dm := got[0]
	author, _ := dm["author"].(map[string]any)
	if dm["id"] != id || dm["channel_id"] != f.DMChannel("20") || dm["content"] != "I want to talk" || author["id"] != "20" {
		t.Errorf("DM event: %v", dm)
	}
	if _, ok := dm["guild_id"]; ok {
		t.Errorf("DM event has a guild_id: %v", dm)
	}
	if _, ok := dm["member"]; ok {
		t.Errorf("DM event has a member: %v", dm)
	}
	if a, _ := got[1]["author"].(map[string]any); a["id"] != BotID || a["bot"] != true || got[1]["content"] != "answer" {
		t.Errorf("the bot's own DM: %v", got[1])
	}
	if ms := f.ChannelMessages(f.DMChannel("20")); len(ms) != 1 || ms[0].Content != "answer" {
		t.Errorf("ChannelMessages lists the bot's messages only: %+v", ms)
	}

	got = received(f, guild, "MESSAGE_CREATE")
	if len(got) != 2 || got[0]["id"] != post || got[0]["guild_id"] != "1" || got[0]["content"] != "" || got[0]["member"] == nil {
		t.Errorf("server message without the content intent: %v", got)
	} else if got[1]["content"] != "welcome" {
		t.Errorf("the bot's own server message without the content intent: %v", got[1])
	}
	got = received(f, content, "MESSAGE_CREATE")
	if len(got) != 2 || got[0]["content"] != "hi all" {
		t.Errorf("server message with the content intent: %v", got)
	}
}

// TestClientLimits ensures the fake refuses, as Discord's client does, a
// text option longer than its registered max_length and modal input the
// text input does not take.
func TestClientLimits(t *testing.T) {
	cmds := map[string]map[string]any{
		"checkin": {"name": "checkin", "id": "5", "options": []any{map[string]any{"name": "words", "type": 3.0, "max_length": 500.0}}},
		"round": {"name": "round", "id": "6", "options": []any{map[string]any{"name": "start", "type": 1.0,
			"options": []any{map[string]any{"name": "prompt", "type": 3.0, "max_length": 10.0, "min_length": 2.0}}}}},
	}
	for _, tc := range []struct {
		name, sub string
		opt       Opt
		ok        bool
	}{
		{"checkin", "", O("words", strings.Repeat("é", 500)), true},
		{"checkin", "", O("words", strings.Repeat("é", 501)), false},
		{"checkin", "", O("private", true), true},
		{"round", "start", O("prompt", "0123456789"), true},
		{"round", "start", O("prompt", "0123456789x"), false},
		{"round", "start", O("prompt", "x"), false},
	} {
		if err := checkOptions(cmds[tc.name], tc.name, strings.Fields(tc.sub), []Opt{tc.opt}); (err == nil) != tc.ok {
			t.Errorf("/%s %s %s: %v, want ok %v", tc.name, tc.sub, tc.opt.Name, err, tc.ok)
		}
	}
	no := false
	for _, tc := range []struct {
		c     Component
		value string
		ok    bool
	}{
		{Component{MaxLength: 500}, strings.Repeat("a", 500), true},
		{Component{MaxLength: 500}, strings.Repeat("a", 501), false},
		{Component{MinLength: 3}, "ab", false},
		{Component{}, "", false},             // required by default
		{Component{Required: &no}, "", true}, // optional
	} {
		if err := checkInput(tc.c, tc.value); (err == nil) != tc.ok {
			t.Errorf("input %+v with %d characters: %v, want ok %v", tc.c, len(tc.value), err, tc.ok)
		}
	}
}
