package matrix

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// waitLimit bounds every wait for something to show up. It is a deadline
// against hanging, not a speed requirement.
const waitLimit = 45 * time.Second

// openDB opens a SQLite file the way peerbot's store does: one connection,
// WAL, foreign keys, busy timeout, BEGIN IMMEDIATE.
func openDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// account is a registered user with a token and device.
type account struct {
	UserID id.UserID
	Token  string
	Device id.DeviceID
}

func register(t testing.TB, base string) account {
	t.Helper()
	cli, err := mautrix.NewClient(hs.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	var resp *mautrix.RespRegister
	err = retry(func() (err error) {
		resp, err = cli.RegisterDummy(context.Background(), &mautrix.ReqRegister[any]{
			Username: uniqueName(base), Password: testPassword,
		})
		return err
	})
	if err != nil {
		t.Fatalf("register %s: %v", base, err)
	}
	return account{UserID: resp.UserID, Token: resp.AccessToken, Device: resp.DeviceID}
}

// retry runs f again, a few times, while the homeserver answers with a
// server error: Dendrite on SQLite now and then fails a request with
// "database is locked" (matrix-org/dendrite#1348), which is not what these
// tests are about.
func retry(f func() error) error {
	var err error
	for attempt := range 5 {
		if err = f(); err == nil {
			return nil
		}
		var he mautrix.HTTPError
		if !errors.As(err, &he) || he.Response == nil || he.Response.StatusCode < 500 {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	return err
}

// person is a real mautrix client playing a member or facilitator. It
// syncs in the background, joins rooms it is invited to, decrypts what it
// can, and records every message it sees.
type person struct {
	t   testing.TB
	acc account
	cli *mautrix.Client

	mu     sync.Mutex
	events []*event.Event // decrypted timeline messages and reactions, in order
	// untrusted holds the encrypted events a strict client excluded: sent
	// from a device its owner did not cross-sign (see strict_test.go).
	untrusted []*event.Event
	// strict is set by beStrict (every encrypted person is strict): the
	// client then excludes what devices not cross-signed by their owner
	// send, and withholds room keys from them.
	strict bool
	// withheld holds, per room, the devices that were not trusted when p
	// last sent there (see refreshTrust).
	withheld map[id.RoomID]map[userDevice]bool
	helper   *cryptohelper.CryptoHelper
	invites  map[id.RoomID]id.UserID
	notify   chan struct{}
}

// newPerson registers a user and starts its client; encrypted clients get
// their own crypto store, a cross-signed device, and are strict (see
// beStrict), as current clients are.
func newPerson(t testing.TB, base string, encrypted bool) *person {
	t.Helper()
	acc := register(t, base)
	cli, err := mautrix.NewClient(hs.URL, acc.UserID, acc.Token)
	if err != nil {
		t.Fatal(err)
	}
	cli.DeviceID = acc.Device
	cli.Log = zerolog.Nop()
	// No request may hang a test: long-polls last 30s, so this is above.
	cli.Client = &http.Client{Timeout: waitLimit}
	p := &person{t: t, acc: acc, cli: cli, invites: map[id.RoomID]id.UserID{}, notify: make(chan struct{}, 1),
		withheld: map[id.RoomID]map[userDevice]bool{}}
	syncer := cli.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) {
		if evt.GetStateKey() == acc.UserID.String() && evt.Content.AsMember().Membership == event.MembershipInvite {
			p.mu.Lock()
			p.invites[evt.RoomID] = evt.Sender
			p.mu.Unlock()
			_, _ = cli.JoinRoomByID(ctx, evt.RoomID)
		}
		p.record(evt)
	})
	syncer.OnEventType(event.EventMessage, func(_ context.Context, evt *event.Event) { p.record(evt) })
	syncer.OnEventType(event.EventReaction, func(_ context.Context, evt *event.Event) { p.record(evt) })
	syncer.OnEventType(event.EventRedaction, func(_ context.Context, evt *event.Event) { p.record(evt) })
	syncer.OnEvent(func(_ context.Context, evt *event.Event) {
		if evt.Type.Type == event.StatePinnedEvents.Type {
			p.record(evt)
		}
	})
	if encrypted {
		db, err := dbutil.NewWithDB(openDB(t, filepath.Join(t.TempDir(), "client.db")), "sqlite")
		if err != nil {
			t.Fatal(err)
		}
		helper, err := cryptohelper.NewCryptoHelper(cli, []byte("test pickle key"), db)
		if err != nil {
			t.Fatal(err)
		}
		if err := helper.Init(context.Background()); err != nil {
			t.Fatalf("crypto init for %s: %v", base, err)
		}
		p.helper = helper
		cli.Crypto = &strictCrypto{CryptoHelper: helper, p: p}
		makeStrict(t, cli, helper)
		p.beStrict()
	}
	// The client is stopped with StopSync, never by cancelling its
	// long-poll: Dendrite on SQLite can be left with a connection stuck in
	// a transaction when a request is cancelled mid-write, after which it
	// fails every write. The last long-poll ends by itself within 30s.
	var stopped atomic.Bool
	go func() {
		for !stopped.Load() {
			_ = cli.SyncWithContext(context.Background())
			time.Sleep(200 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { stopped.Store(true); cli.StopSync() })
	return p
}

func (p *person) record(evt *event.Event) {
	if p.isStrict() && excluded(evt) {
		p.recheckTrust(evt)
	}
	p.mu.Lock()
	if p.strict && excluded(evt) {
		p.untrusted = append(p.untrusted, evt)
	} else {
		p.events = append(p.events, evt)
	}
	p.mu.Unlock()
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

// waitEvent waits until an event matching ok has been seen and returns it.
func (p *person) waitEvent(what string, ok func(*event.Event) bool) *event.Event {
	p.t.Helper()
	deadline := time.After(waitLimit)
	for {
		p.mu.Lock()
		for _, e := range p.events {
			if ok(e) {
				p.mu.Unlock()
				return e
			}
		}
		p.mu.Unlock()
		select {
		case <-p.notify:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			p.t.Fatalf("%s never saw %s", p.acc.UserID, what)
			return nil
		}
	}
}

// seen returns the events matching ok seen so far.
func (p *person) seen(ok func(*event.Event) bool) []*event.Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*event.Event
	for _, e := range p.events {
		if ok(e) {
			out = append(out, e)
		}
	}
	return out
}

// waitNotice waits for a notice from sender in room whose plain body
// contains want, and returns it.
func (p *person) waitNotice(room id.RoomID, sender id.UserID, want string) *event.Event {
	p.t.Helper()
	return p.waitEvent("a notice containing "+want, func(e *event.Event) bool {
		return e.RoomID == room && e.Sender == sender && e.Type == event.EventMessage &&
			strings.Contains(msgOf(e).Body, want)
	})
}

// waitNoticeAfter is waitNotice for a notice that came after event after.
func (p *person) waitNoticeAfter(room id.RoomID, sender id.UserID, want string, after id.EventID) *event.Event {
	p.t.Helper()
	return p.waitEvent("a notice containing "+want+" after "+after.String(), func(e *event.Event) bool {
		return e.RoomID == room && e.Sender == sender && e.Type == event.EventMessage &&
			strings.Contains(msgOf(e).Body, want) && p.after(after, e.ID)
	})
}

// expect counts the notices from sender in room whose plain body contains
// want, and returns a function that waits for the next one and returns
// it. Unlike waitNoticeAfter it does not depend on the order p saw rooms
// in: one sync batch can hold several rooms, in any order.
func (p *person) expect(room id.RoomID, sender id.UserID, want string) func() *event.Event {
	p.t.Helper()
	match := func(e *event.Event) bool {
		return e.RoomID == room && e.Sender == sender && e.Type == event.EventMessage &&
			strings.Contains(msgOf(e).Body, want)
	}
	n := len(p.seen(match))
	return func() *event.Event {
		p.t.Helper()
		deadline := time.After(waitLimit)
		for {
			if got := p.seen(match); len(got) > n {
				return got[n]
			}
			select {
			case <-p.notify:
			case <-time.After(100 * time.Millisecond):
			case <-deadline:
				p.t.Fatalf("%s never saw notice %d containing %s", p.acc.UserID, n+1, want)
				return nil
			}
		}
	}
}

// after reports whether p saw event b after event a.
func (p *person) after(a, b id.EventID) bool {
	ia, ib := -1, -1
	for i, e := range p.events { // called with p.mu held by waitEvent
		switch e.ID {
		case a:
			ia = i
		case b:
			ib = i
		}
	}
	return ia >= 0 && ib > ia
}

// dmFrom waits until sender invited p to a DM room and p joined, and returns it.
func (p *person) dmFrom(sender id.UserID) id.RoomID {
	p.t.Helper()
	e := p.waitEvent("a DM invite from "+sender.String(), func(e *event.Event) bool {
		return e.Type == event.StateMember && e.Sender == sender && e.GetStateKey() == p.acc.UserID.String() &&
			e.Content.AsMember().Membership == event.MembershipInvite && e.Content.AsMember().IsDirect
	})
	return e.RoomID
}

func (p *person) say(room id.RoomID, text string) id.EventID {
	p.t.Helper()
	var resp *mautrix.RespSendEvent
	err := retry(func() (err error) {
		resp, err = p.cli.SendText(context.Background(), room, text)
		return err
	})
	if err != nil {
		p.t.Fatalf("%s send: %v", p.acc.UserID, err)
	}
	return resp.EventID
}

func (p *person) react(room id.RoomID, target id.EventID, key string) {
	p.t.Helper()
	if err := retry(func() error { _, err := p.cli.SendReaction(context.Background(), room, target, key); return err }); err != nil {
		p.t.Fatalf("%s react: %v", p.acc.UserID, err)
	}
}

// posted is one message in a room timeline: its sender and its bodies
// (plain and formatted, and those of an edit's new content).
type posted struct {
	ID     id.EventID
	Sender id.UserID
	Body   string
}

// timeline reads room's whole timeline through /messages as p and returns
// its messages, decrypted, each once (pages may overlap). It fails the test if an
// event cannot be decrypted, because then it could not be checked.
func (p *person) timeline(room id.RoomID) []posted {
	p.t.Helper()
	ctx := context.Background()
	var bodies []posted
	had := map[id.EventID]bool{}
	from := ""
	for range 50 {
		resp, err := p.cli.Messages(ctx, room, from, "", mautrix.DirectionBackward, nil, 100)
		if err != nil {
			p.t.Fatalf("read timeline: %v", err)
		}
		for _, e := range resp.Chunk {
			if had[e.ID] {
				continue
			}
			had[e.ID] = true
			if e.Unsigned.RedactedBecause != nil {
				continue // content removed by the server
			}
			if e.Type == event.EventEncrypted {
				if err := e.Content.ParseRaw(e.Type); err != nil {
					p.t.Fatalf("parse encrypted: %v", err)
				}
				dec, err := p.cli.Crypto.Decrypt(ctx, e)
				if err != nil {
					p.t.Fatalf("%s cannot decrypt %s in the timeline: %v", p.acc.UserID, e.ID, err)
				}
				e = dec
			}
			if e.Type == event.EventMessage {
				_ = e.Content.ParseRaw(e.Type)
				m := e.Content.AsMessage()
				body := m.Body + "\n" + m.FormattedBody
				if m.NewContent != nil {
					body += "\n" + m.NewContent.Body + "\n" + m.NewContent.FormattedBody
				}
				bodies = append(bodies, posted{ID: e.ID, Sender: e.Sender, Body: body})
			}
		}
		if resp.End == "" || len(resp.Chunk) == 0 {
			return bodies
		}
		from = resp.End
	}
	return bodies
}

func msgOf(e *event.Event) *event.MessageEventContent {
	if m, ok := e.Content.Parsed.(*event.MessageEventContent); ok {
		return m
	}
	return &event.MessageEventContent{}
}

// createRoom makes a group room owned by p, optionally encrypted, with the
// given users invited and their power levels set.
func (p *person) createRoom(encrypted bool, levels map[id.UserID]int, invite ...id.UserID) id.RoomID {
	p.t.Helper()
	pl := &event.PowerLevelsEventContent{Users: map[id.UserID]int{p.acc.UserID: 100}}
	for u, l := range levels {
		pl.Users[u] = l
	}
	req := &mautrix.ReqCreateRoom{Preset: "private_chat", Name: "group", Invite: invite, PowerLevelOverride: pl}
	if encrypted {
		req.InitialState = []*event.Event{{Type: event.StateEncryption, Content: event.Content{Parsed: &event.EncryptionEventContent{Algorithm: id.AlgorithmMegolmV1}}}}
	}
	var resp *mautrix.RespCreateRoom
	err := retry(func() (err error) {
		resp, err = p.cli.CreateRoom(context.Background(), req)
		return err
	})
	if err != nil {
		p.t.Fatalf("create room: %v", err)
	}
	return resp.RoomID
}

// waitJoined waits until user's membership in room is join, as p sees it.
func (p *person) waitJoined(room id.RoomID, user id.UserID) {
	p.t.Helper()
	p.waitEvent(user.String()+" joining", func(e *event.Event) bool {
		return e.RoomID == room && e.Type == event.StateMember && e.GetStateKey() == user.String() &&
			e.Content.AsMember().Membership == event.MembershipJoin
	})
}

func (p *person) invite(room id.RoomID, user id.UserID) {
	p.t.Helper()
	if err := retry(func() error {
		_, err := p.cli.InviteUser(context.Background(), room, &mautrix.ReqInviteUser{UserID: user})
		return err
	}); err != nil {
		p.t.Fatalf("invite: %v", err)
	}
}
