package discord

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store/storetest"
)

// recordingCore is the real core, recording the events it is handed.
type recordingCore struct {
	bot.Core
	mu     sync.Mutex
	events []bot.Event
}

func (r *recordingCore) Handle(ctx context.Context, ev bot.Event) bot.Outcome {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
	return r.Core.Handle(ctx, ev)
}

// got returns the events with id ("discord:" and the interaction's or
// message's id) the core was handed.
func (r *recordingCore) got(id string) []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []bot.Event
	for _, ev := range r.events {
		if ev.ID == "discord:"+id {
			out = append(out, ev)
		}
	}
	return out
}

// shard is one peerbot shard in a test: an adapter and its own core, on a
// store all shards share.
type shard struct {
	a    *Adapter
	core *recordingCore
	done *harness // only its markDone and waits are used
}

// startShards runs n adapters, shards 0 to n-1 of n, each with its own
// real core, all on one store and one fake Discord, and waits until each
// is ready. Commands are registered globally (no guild_ids).
func startShards(t *testing.T, f *dt.Server, n int) []*shard {
	st := storetest.Open(t)
	var out []*shard
	for i := range n {
		cfg := Config{Token: dt.Token, ApplicationID: dt.AppID, APIURL: f.URL(), ShardID: i, ShardCount: n}
		log := zerolog.New(&syncBuffer{})
		a, err := New(cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		b, err := bot.New(bot.Options{Store: st, Platform: bot.Router{"discord": a}, Clock: bot.NewManualClock(time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)),
			Prefixes: map[string]string{"discord": "/"}, DefaultCountry: "GB", Log: &log})
		if err != nil {
			t.Fatal(err)
		}
		sh := &shard{a: a, core: &recordingCore{Core: b}, done: &harness{t: t, f: f, done: map[string]chan struct{}{}}}
		a.afterInteraction = sh.done.markDone
		a.afterEvent = sh.done.markDone
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- a.Run(ctx, sh.core) }()
		t.Cleanup(func() {
			cancel()
			select {
			case err := <-errc:
				if err != nil {
					t.Errorf("shard %d: Run returned %v", i, err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("shard %d: Run did not return", i)
			}
		})
		select {
		case <-a.ready:
		case err := <-errc:
			t.Fatalf("shard %d: Run returned before it was ready: %v", i, err)
		case <-time.After(30 * time.Second):
			t.Fatalf("shard %d did not get ready", i)
		}
		out = append(out, sh)
	}
	return out
}

// TestTwoShards runs shards 0 and 1 of 2 on one fake Discord with a server
// on each: each identifies as its shard and is told of its own server
// only; a command in each server is handled by the shard of that server
// alone (its core gets the event, its adapter answers); a DM and a command
// in a DM reach shard 0 only; the commands are registered once, by shard 0.
func TestTwoShards(t *testing.T) {
	f := dt.New(t)
	g0 := f.GuildOnShard("Monday group", 0, 2)
	g1 := f.GuildOnShard("Tuesday group", 1, 2)
	ch := map[string]string{g0: "300000000000000010", g1: "300000000000000020"}
	for g, c := range ch {
		f.AddChannel(dt.Channel{ID: c, GuildID: g, Name: "meeting"})
	}
	f.AddUser(dt.User{ID: ana, Name: "Ana"})
	f.AddUser(dt.User{ID: fac, Name: "Fran", Perms: dt.PermView | dt.PermSend | dt.PermManageMessages})
	shards := startShards(t, f, 2)
	f.WaitShardConnects(0, 1)
	f.WaitShardConnects(1, 1)

	ss := f.Sessions()
	if len(ss) != 2 || ss[0].Shard != [2]int{0, 2} || ss[1].Shard != [2]int{1, 2} ||
		!slices.Equal(ss[0].Guilds, []string{g0}) || !slices.Equal(ss[1].Guilds, []string{g1}) {
		t.Fatalf("sessions %+v; want shard [0 2] with %s and [1 2] with %s", ss, g0, g1)
	}
	if n := len(f.RequestsTo("PUT", `/commands$`)); n != 1 {
		t.Errorf("commands registered %d times, want once (by shard 0)", n)
	}
	if p := f.RequestsTo("PUT", `/commands$`)[0].Path; p != "/api/v9/applications/"+dt.AppID+"/commands" {
		t.Errorf("registered at %s, want the global commands", p)
	}

	for i, g := range []string{g0, g1} {
		mine, other := shards[i], shards[1-i]
		id := f.Slash(fac, ch[g], "facilitator", "round start", dt.O("minutes", 30), dt.O("prompt", "How are you arriving?"))
		if got := f.ShardsGot("INTERACTION_CREATE", id); !slices.Equal(got, []int{i}) {
			t.Errorf("the command in %s reached shards %v, want [%d]", g, got, i)
		}
		mine.done.wait(id)
		if evs := mine.core.got(id); len(evs) != 1 || evs[0].Group != bot.GroupID("discord:"+g) || evs[0].Kind != bot.EventCommand {
			t.Errorf("shard %d's core got %+v for the command in its server", i, evs)
		}
		if evs := other.core.got(id); len(evs) != 0 {
			t.Errorf("shard %d's core got %+v for a command in shard %d's server", 1-i, evs, i)
		}
		if in := f.Interaction(id); in.Original == nil || !in.Original.Ephemeral {
			t.Errorf("the command in %s: no private answer (%+v)", g, in.Original)
		}
		if ms := f.ChannelMessages(ch[g]); len(ms) != 1 || !strings.Contains(ms[0].Content, "How are you arriving?") {
			t.Errorf("%s's channel: %+v, want the round's status message", g, ms)
		}
		// Each adapter keeps what its gateway told it: its own server.
		if mine.a.guild(g).name == "" || other.a.guild(g).name != "" {
			t.Errorf("server %s known to shard %d: %q, to shard %d: %q; want only its own shard", g, i, mine.a.guild(g).name, 1-i, other.a.guild(g).name)
		}
		if !mine.a.OnShard(bot.GroupID("discord:"+g)) || other.a.OnShard(bot.GroupID("discord:"+g)) {
			t.Errorf("OnShard(%s): shard %d %v, shard %d %v", g, i, mine.a.OnShard(bot.GroupID("discord:"+g)), 1-i, other.a.OnShard(bot.GroupID("discord:"+g)))
		}
	}

	msg := f.DM(ana, "hello?")
	shards[0].done.waitEvent("message:" + msg)
	if got := f.ShardsGot("MESSAGE_CREATE", msg); !slices.Equal(got, []int{0}) {
		t.Errorf("a DM reached shards %v, want [0]", got)
	}
	if len(shards[0].core.got(msg)) != 1 || len(shards[1].core.got(msg)) != 0 {
		t.Errorf("the DM reached core 0 %d times, core 1 %d times; want 1 and 0", len(shards[0].core.got(msg)), len(shards[1].core.got(msg)))
	}
	if ms := f.ChannelMessages(f.DMChannel(ana)); len(ms) != 1 {
		t.Errorf("answers in Ana's DM: %d, want 1", len(ms))
	}
	help := f.Slash(ana, f.DMChannel(ana), "help", "")
	shards[0].done.wait(help)
	if got := f.ShardsGot("INTERACTION_CREATE", help); !slices.Equal(got, []int{0}) {
		t.Errorf("/help in a DM reached shards %v, want [0]", got)
	}
	if len(shards[0].core.got(help)) != 1 || len(shards[1].core.got(help)) != 0 {
		t.Errorf("/help in a DM reached core 0 %d times, core 1 %d times; want 1 and 0", len(shards[0].core.got(help)), len(shards[1].core.got(help)))
	}
}

// TestShardingRequired ensures that when Discord refuses the bot with 4011
// (too many servers for one shard), Run says which key to change and how
// many shards Discord recommends, and stops.
func TestShardingRequired(t *testing.T) {
	f := dt.New(t)
	f.GuildOnShard("Monday group", 0, 2)
	f.GuildOnShard("Tuesday group", 1, 2)
	f.SetMaxGuildsPerShard(1)
	a, err := New(Config{Token: dt.Token, ApplicationID: dt.AppID, APIURL: f.URL()}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	c := &recordingCore{Core: newCore(t, a)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = a.Run(ctx, c)
	if err == nil || !strings.Contains(err.Error(), "discord.shard_count") || !strings.Contains(err.Error(), "Discord recommends 2") {
		t.Errorf("Run returned %v; want discord.shard_count and Discord's recommendation of 2", err)
	}
	if n := len(f.RequestsTo("PUT", `/commands$`)); n != 0 {
		t.Errorf("commands registered %d times by a refused bot", n)
	}
}

// newCore is a real core for adapter a on a fresh store.
func newCore(t *testing.T, a *Adapter) *bot.Bot {
	b, err := bot.New(bot.Options{Store: storetest.Open(t), Platform: bot.Router{"discord": a}, Prefixes: map[string]string{"discord": "/"}, DefaultCountry: "GB"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOnShard ensures OnShard applies Discord's formula to the server's
// id and never claims a DM or another platform's group.
func TestOnShard(t *testing.T) {
	for _, tc := range []struct {
		g            bot.GroupID
		shard, count int
		want         bool
	}{
		{"discord:81384788765712384", 7, 17, true}, // serenity's documented example
		{"discord:81384788765712384", 6, 17, false},
		{"discord:300000000000000001", 0, 1, true},
		{"discord:", 0, 1, false},
		{"matrix:!room:example.org", 0, 1, false},
	} {
		a, err := New(Config{Token: "t", ApplicationID: dt.AppID, ShardID: tc.shard, ShardCount: tc.count}, zerolog.Nop())
		if err != nil {
			t.Fatal(err)
		}
		if got := a.OnShard(tc.g); got != tc.want {
			t.Errorf("shard %d of %d: OnShard(%s) = %v, want %v", tc.shard, tc.count, tc.g, got, tc.want)
		}
	}
}
