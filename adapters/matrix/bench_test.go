package matrix

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// benchCommands is how many commands each bot answers per measurement.
const benchCommands = 200

// BenchmarkCommandLatency measures command-to-reply latency on the local
// Dendrite, as a member sees it (sent → reply arrived through sync), for
// peerbot (!round status with a round open: the core, its store and a
// private reply) and for a minimal mautrix echo client on the same server
// in the same run. It reports p50 and p99 of each and their ratio.
//
//	go test -tags goolm -run '^$' -bench CommandLatency -benchtime 1x ./adapters/matrix/
func BenchmarkCommandLatency(b *testing.B) {
	for _, enc := range []bool{false, true} {
		name := "unencrypted"
		if enc {
			name = "encrypted"
		}
		b.Run(name, func(b *testing.B) { benchLatency(b, enc) })
	}
}

func benchLatency(b *testing.B, enc bool) {
	clock := bot.NewManualClock(time.Now())
	botAcc := register(b, "peerbot")
	me := botAcc.UserID
	startPeerbot(b, botConfig(botAcc, enc), clock)
	member := newPerson(b, "member", enc)
	fran := newPerson(b, "fran", enc)
	room := fran.createRoom(enc, map[id.UserID]int{me: 50}, me)
	fran.waitJoined(room, me)
	fran.invite(room, member.acc.UserID)
	member.waitJoined(room, me)
	dm := member.dmFrom(me)
	member.waitNotice(dm, me, "Welcome")
	fran.say(room, "!round start 1440 Bench")
	member.waitNotice(room, me, "Check-in round: Bench")

	echo := startEcho(b, enc)
	echoRoom := fran.createRoom(enc, nil, echo.acc.UserID, member.acc.UserID)
	member.waitJoined(echoRoom, echo.acc.UserID)
	member.waitJoined(echoRoom, member.acc.UserID)

	for range b.N {
		peer := measure(member, room, "!round status", dm, me, "Check-in round")
		ech := measure(member, echoRoom, "!round status", echoRoom, echo.acc.UserID, "echo")
		p50, p99 := pct(peer, 50), pct(peer, 99)
		e50, e99 := pct(ech, 50), pct(ech, 99)
		b.ReportMetric(float64(p50.Microseconds())/1000, "peerbot-p50-ms")
		b.ReportMetric(float64(p99.Microseconds())/1000, "peerbot-p99-ms")
		b.ReportMetric(float64(e50.Microseconds())/1000, "echo-p50-ms")
		b.ReportMetric(float64(e99.Microseconds())/1000, "echo-p99-ms")
		b.ReportMetric(float64(p50)/float64(e50), "ratio-p50")
		b.ReportMetric(float64(p99)/float64(e99), "ratio-p99")
	}
}

// measure sends cmd n times in room and times each until a message from
// sender containing want arrives in replyRoom.
func measure(p *person, room id.RoomID, cmd string, replyRoom id.RoomID, sender id.UserID, want string) []time.Duration {
	var out []time.Duration
	for range benchCommands {
		start := time.Now()
		sent := p.say(room, cmd)
		p.waitNoticeAfter(replyRoom, sender, want, sent)
		out = append(out, time.Since(start))
		p.mu.Lock()
		p.events = p.events[:0] // keep the scan short
		p.mu.Unlock()
	}
	return out
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p+99)/100 - 1
	return s[max(i, 0)]
}

// echo is the baseline: a minimal mautrix client that answers every text
// message with a notice, encrypted where the room is.
type echoBot struct{ acc account }

func startEcho(tb testing.TB, enc bool) *echoBot {
	p := newPerson(tb, "echo", enc)
	syncer := p.cli.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnEventType(event.EventMessage, func(ctx context.Context, evt *event.Event) {
		if evt.Sender == p.acc.UserID || !strings.HasPrefix(msgOf(evt).Body, "!") {
			return
		}
		_, _ = p.cli.SendMessageEvent(ctx, evt.RoomID, event.EventMessage, &event.MessageEventContent{
			MsgType: event.MsgNotice, Body: "echo", Mentions: &event.Mentions{},
		})
	})
	return &echoBot{acc: p.acc}
}
