package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// The test server: one guild with a group channel, a channel only
// facilitators can see, a channel everyone can see which one member
// moderates, a facilitators' role, and a few members.
const (
	guildID = "300000000000000001"
	groupCh = "300000000000000010"
	facCh   = "300000000000000011" // @everyone may not view
	openCh  = "300000000000000012" // everyone may view
	ana     = "400000000000000001"
	ben     = "400000000000000002"
	cat     = "400000000000000003"
	dee     = "400000000000000004"
	fac     = "400000000000000009" // has roleFac
	mod     = "400000000000000008" // Manage Messages in #general only (a channel overwrite)
	roleFac = "500000000000000001" // Facilitators: Manage Messages server-wide
	roleOK  = "500000000000000002" // the agreed role
)

// harness runs the real core on a real SQLite file behind the adapter,
// connected to the fake Discord.
type harness struct {
	t     testing.TB
	f     *dt.Server
	a     *Adapter
	b     *bot.Bot
	st    bot.Store // what the real core stores
	clock *bot.ManualClock
	logs  *syncBuffer

	mu   sync.Mutex
	done map[string]chan struct{}

	cancel   context.CancelFunc
	errc     chan error
	coreDone func() // waits for the core's loop to end; nil with another core
}

// newHarness starts everything and waits until the bot is connected and
// its commands are registered.
func newHarness(t testing.TB, configure ...func(*Config)) *harness {
	return newHarnessWith(t, nil, configure...)
}

// newHarnessWith runs the adapter with core c instead of the real core
// when c is not nil.
func newHarnessWith(t testing.TB, c bot.Core, configure ...func(*Config)) *harness {
	return startHarness(t, c, nil, 0, configure...)
}

// startHarness starts the fake, the adapter, and the given core or else
// the real one, with its own loop running (bot.Bot.Start), on store st
// (nil: a fresh SQLite file) and statusDelay (0: the core edits the status
// at once).
func startHarness(t testing.TB, c bot.Core, st bot.Store, statusDelay time.Duration, configure ...func(*Config)) *harness {
	f := dt.New(t)
	f.AddGuild(guildID, "Tuesday group")
	f.AddChannel(dt.Channel{ID: groupCh, GuildID: guildID, Name: "meeting"})
	f.AddChannel(dt.Channel{ID: facCh, GuildID: guildID, Name: "facilitators", HiddenFromEveryone: true})
	f.AddChannel(dt.Channel{ID: openCh, GuildID: guildID, Name: "general",
		Overwrites: []dt.Overwrite{{ID: mod, Type: 1, Allow: dt.PermManageMessages}}})
	f.AddRole(guildID, dt.Role{ID: roleFac, Name: "Facilitators", Perms: dt.PermManageMessages})
	for id, name := range map[string]string{ana: "Ana", ben: "Ben", cat: "Cat", dee: "Dee", mod: "Mo"} {
		f.AddUser(dt.User{ID: id, Name: name})
	}
	f.AddUser(dt.User{ID: fac, Name: "Fran", Roles: []string{roleFac}})

	cfg := Config{Token: dt.Token, ApplicationID: dt.AppID, GuildIDs: []string{guildID}, APIURL: f.URL()}
	for _, conf := range configure {
		conf(&cfg)
	}
	logs := &syncBuffer{}
	log := zerolog.New(logs)
	a, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	clock := bot.NewManualClock(time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC))
	if st == nil {
		st = storetest.Open(t)
	}
	b, err := bot.New(bot.Options{
		Store: st, Platform: bot.Router{"discord": a}, Clock: clock,
		Prefixes: map[string]string{"discord": "/"}, DefaultCountry: "GB", Log: &log, StatusDelay: statusDelay,
	})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, f: f, a: a, b: b, st: st, clock: clock, logs: logs, done: map[string]chan struct{}{}, errc: make(chan error, 1)}
	a.afterInteraction = func(id string) { h.markDone(id) }
	a.afterEvent = func(key string) { h.markDone(key) }
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	if c == nil {
		c = b
		h.coreDone = b.Start(ctx)
	}
	go func() { h.errc <- a.Run(ctx, c) }()
	t.Cleanup(h.stop)
	select {
	case <-a.ready:
	case err := <-h.errc:
		t.Fatalf("Run returned before it was ready: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the adapter did not get ready")
	}
	return h
}

// stop ends Run and checks it returned cleanly.
func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	if h.coreDone != nil {
		h.coreDone()
	}
	select {
	case err := <-h.errc:
		if err != nil {
			h.t.Errorf("Run returned %v", err)
		}
	case <-time.After(30 * time.Second):
		h.t.Errorf("Run did not return after its context was cancelled")
	}
}

func (h *harness) doneChan(id string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.done[id]
	if !ok {
		c = make(chan struct{})
		h.done[id] = c
	}
	return c
}

// markDone records that the adapter has finished with an interaction or
// event; the same key again (a role updated twice) changes nothing.
func (h *harness) markDone(key string) {
	c := h.doneChan(key)
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-c:
	default:
		close(c)
	}
}

// wait blocks until the adapter has finished with interaction id.
func (h *harness) wait(id string) dt.Interaction {
	h.t.Helper()
	select {
	case <-h.doneChan(id):
	case <-time.After(30 * time.Second):
		h.t.Fatalf("interaction %s was not handled", id)
	}
	return h.f.Interaction(id)
}

// waitEvent blocks until the adapter has finished with a gateway event
// other than an interaction ("message:ID", "join:USER", "leave:USER",
// "roles:USER", "role:ROLE").
func (h *harness) waitEvent(key string) {
	h.t.Helper()
	select {
	case <-h.doneChan(key):
	case <-time.After(30 * time.Second):
		h.t.Fatalf("gateway event %s was not handled", key)
	}
}

// dm sends the bot a plain direct message from user, waits until the bot
// has dealt with it, and returns what the bot has said in that DM since.
func (h *harness) dm(user, text string) []dt.Message {
	h.t.Helper()
	before := 0
	if ch := h.f.DMChannel(user); ch != "" {
		before = len(h.f.ChannelMessages(ch))
	}
	h.waitEvent("message:" + h.f.DM(user, text))
	return h.f.ChannelMessages(h.f.DMChannel(user))[before:]
}

// flush shows every pending status edit now.
func (h *harness) flush() { h.a.edits.flush(context.Background(), true) }

// slash, click and submit act as a member and wait for the bot.
func (h *harness) slash(user, channel, name, sub string, opts ...dt.Opt) dt.Interaction {
	h.t.Helper()
	return h.wait(h.f.Slash(user, channel, name, sub, opts...))
}

func (h *harness) click(user, msg, customID string) dt.Interaction {
	h.t.Helper()
	return h.wait(h.f.Click(user, msg, customID))
}

func (h *harness) submit(user, opened, value string) dt.Interaction {
	h.t.Helper()
	return h.wait(h.f.Submit(user, opened, value))
}

// ephemeral returns what the member saw privately for an interaction: the
// response and follow-ups, all of which must be ephemeral.
func (h *harness) ephemeral(in dt.Interaction) []string {
	h.t.Helper()
	var out []string
	for _, m := range append([]*dt.Message{in.Original}, in.Followups...) {
		if m == nil {
			continue
		}
		if !m.Ephemeral {
			h.t.Errorf("interaction %s answered with a public message: %q", in.ID, m.Content)
		}
		out = append(out, m.Content)
	}
	return out
}

// lastMessage returns the newest bot message in a channel.
func (h *harness) lastMessage(ch string) dt.Message {
	h.t.Helper()
	ms := h.f.ChannelMessages(ch)
	if len(ms) == 0 {
		h.t.Fatalf("no message in channel %s", ch)
	}
	return ms[len(ms)-1]
}

// checkPayloads asserts what must hold for every request the bot made:
// every message payload pings nobody (allowed_mentions.parse is an empty
// list), and no request broke a rate limit (the fake allows 5 messages
// per 5-second window per channel, as Discord does).
func (h *harness) checkPayloads() {
	h.t.Helper()
	for _, r := range h.f.Requests() {
		if !carriesMessage(r) {
			continue
		}
		var body struct {
			Type            int `json:"type"`
			Data            *json.RawMessage
			AllowedMentions *struct {
				Parse *[]string `json:"parse"`
			} `json:"allowed_mentions"`
		}
		_ = json.Unmarshal(r.Body, &body)
		am := body.AllowedMentions
		if strings.HasSuffix(r.Path, "/callback") {
			if body.Type != 4 && body.Type != 5 && body.Type != 7 {
				continue // modals, autocomplete and silent acknowledgements carry no message
			}
			var d struct {
				AllowedMentions *struct {
					Parse *[]string `json:"parse"`
				} `json:"allowed_mentions"`
			}
			if body.Data != nil {
				_ = json.Unmarshal(*body.Data, &d)
			}
			am = d.AllowedMentions
		}
		if am == nil || am.Parse == nil || len(*am.Parse) != 0 {
			h.t.Errorf("%s %s: allowed_mentions is not {parse: []}: %s", r.Method, r.Path, r.Body)
		}
	}
	for _, r := range h.f.Requests() {
		if r.Status == 429 && !r.Injected {
			h.t.Errorf("%s %s broke Discord's rate limit (5 messages per 5 s per channel)", r.Method, r.Path)
		}
	}
}

// carriesMessage reports whether a request creates or edits a message.
func carriesMessage(r dt.Request) bool {
	switch {
	case r.Method == "POST" && strings.HasSuffix(r.Path, "/callback"):
		return true
	case r.Method == "POST" && strings.Contains(r.Path, "/channels/") && strings.HasSuffix(r.Path, "/messages"):
		return true
	case r.Method == "PATCH" && strings.Contains(r.Path, "/messages/"):
		return true
	case r.Method == "POST" && strings.HasPrefix(r.Path, "/api/v9/webhooks/"):
		return true
	}
	return false
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
