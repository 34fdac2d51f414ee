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
	f.AddUser(User{ID: "20", Name: "Ana", Perms: PermView | PermSend})
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
	long := strings.Repeat("x", 2001)
	if st, m, _ := call(t, f, "POST", "/channels/10/messages", `{"content":"`+long+`"}`); st != 400 || m["code"] != 50035.0 {
		t.Errorf("2001 characters: %d %v", st, m)
	}
	f.SetDMsClosed("20", true)
	st, dm, _ := call(t, f, "POST", "/users/@me/channels", `{"recipient_id":"20"}`)
	if st != 200 || dm["type"] != 1.0 {
		t.Fatalf("open DM: %d %v", st, dm)
	}
	if st, m, _ := call(t, f, "POST", "/channels/"+dm["id"].(string)+"/messages", `{"content":"hi"}`); st != 403 || m["code"] != 50007.0 {
		t.Errorf("closed DMs: %d %v", st, m)
	}
	if len(f.Requests()) != 5 {
		t.Errorf("recorded %d requests, want 5", len(f.Requests()))
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
