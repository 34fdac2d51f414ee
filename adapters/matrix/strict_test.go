package matrix

import (
	"context"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"github.com/peerbot/peerbot/bot"
)

// Current clients (Element's "exclude insecure devices", MSC4153) neither
// send room keys to, nor trust messages from, devices their owner has not
// cross-signed. The test members' clients do the same, so every encrypted
// test needs the bot's device cross-signed (crossSignForTest does what
// `peerbot matrix-setup` does).

// strictTrust is the least trust a strict client accepts: a device signed
// by its owner's self-signing key, the owner's identity trusted on first use.
const strictTrust = id.TrustStateCrossSignedTOFU

// makeStrict gives cli's account a cross-signing identity with its device
// signed, and makes the client share room keys only with cross-signed
// devices. What it accepts is decided by excluded.
func makeStrict(t testing.TB, cli *mautrix.Client, helper *cryptohelper.CryptoHelper) {
	t.Helper()
	ctx := context.Background()
	mach := helper.Machine()
	err := retry(func() error {
		_, _, err := mach.GenerateAndUploadCrossSigningKeysWithPassword(ctx, testPassword, "")
		return err
	})
	if err != nil {
		t.Fatalf("cross-signing keys for %s: %v", cli.UserID, err)
	}
	if err := retry(func() error { return mach.SignOwnDevice(ctx, mach.OwnIdentity()) }); err != nil {
		t.Fatalf("sign device of %s: %v", cli.UserID, err)
	}
	if err := retry(func() error { return mach.SignOwnMasterKey(ctx) }); err != nil {
		t.Fatalf("sign master key of %s: %v", cli.UserID, err)
	}
}

// beStrict makes p's client strict, as current clients are with "exclude
// insecure devices": it shares room keys only with, and accepts messages
// only from, devices cross-signed by their owner. newPerson makes every
// encrypted person strict.
func (p *person) beStrict() {
	mach := p.helper.Machine()
	mach.SendKeysMinTrust = strictTrust
	mach.ShareKeysMinTrust = strictTrust
	p.mu.Lock()
	p.strict = true
	p.mu.Unlock()
}

func (p *person) isStrict() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.strict
}

// A strict client decides on trust with the keys it fetched, and Dendrite
// answers /keys/query with what it could read: when its SQLite database is
// busy it leaves out cross-signing keys and signatures without an error
// (userapi/internal/key_api.go logs "CrossSigningSigsForTarget failed"
// and carries on). A client that cached such an answer would withhold the
// room key from a device that is in fact cross-signed, for the life of
// its megolm session, by timing alone. Current clients look again when
// trust matters; the test clients do so too: before sending (refreshTrust)
// and before excluding a message (recheckTrust) they fetch the keys again,
// a few times, and a device still not cross-signed stays excluded.

// trustTries bounds how often a strict client fetches keys again for a
// device it does not trust, and trustPause is the pause between fetches.
const (
	trustTries = 4
	trustPause = 250 * time.Millisecond
)

// trustFoundOnSend and trustFoundOnReceive count the times a strict
// client trusted a device only after fetching its keys again (TestMain
// reports them).
var trustFoundOnSend, trustFoundOnReceive atomic.Int64

// userDevice names one device of one user.
type userDevice struct {
	user   id.UserID
	device id.DeviceID
}

// strictCrypto is a strict person's crypto helper: it refreshes trust in a
// room's devices before each encryption there.
type strictCrypto struct {
	*cryptohelper.CryptoHelper
	p *person
}

func (s *strictCrypto) Encrypt(ctx context.Context, room id.RoomID, typ event.Type, content any) (*event.EncryptedEventContent, error) {
	if s.p.isStrict() {
		s.p.refreshTrust(ctx, room)
	}
	return s.CryptoHelper.Encrypt(ctx, room, typ, content)
}

// untrustedDevices returns the devices of users that p's client does not
// trust as a strict client must; a user whose devices it never fetched
// counts as one untrusted device "".
func (p *person) untrustedDevices(ctx context.Context, users []id.UserID) map[userDevice]bool {
	mach := p.helper.Machine()
	out := map[userDevice]bool{}
	for _, u := range users {
		devices, err := mach.CryptoStore.GetDevices(ctx, u)
		if err != nil || devices == nil {
			out[userDevice{u, ""}] = true
			continue
		}
		for _, d := range devices {
			if u == p.acc.UserID && d.DeviceID == p.acc.Device {
				continue
			}
			if trust, _ := mach.ResolveTrustContext(ctx, d); trust < strictTrust {
				out[userDevice{u, d.DeviceID}] = true
			}
		}
	}
	return out
}

// refreshTrust fetches again the keys of room's members with a device p's
// client does not trust, a few times, and starts a new megolm session in
// room when a device it withheld the key from last time is trusted now.
func (p *person) refreshTrust(ctx context.Context, room id.RoomID) {
	users, err := p.cli.StateStore.GetRoomJoinedOrInvitedMembers(ctx, room)
	if err != nil {
		return
	}
	mach := p.helper.Machine()
	untrusted := p.untrustedDevices(ctx, users)
	first := untrusted
	for try := 0; len(untrusted) > 0 && try < trustTries; try++ {
		if try > 0 {
			time.Sleep(trustPause)
		}
		var who []id.UserID
		for ud := range untrusted {
			if !slices.Contains(who, ud.user) {
				who = append(who, ud.user)
			}
		}
		_, _ = mach.FetchKeys(ctx, who, true)
		untrusted = p.untrustedDevices(ctx, users)
	}
	for ud := range first {
		if ud.device != "" && !untrusted[ud] {
			trustFoundOnSend.Add(1)
		}
	}
	p.mu.Lock()
	rotate := false
	for ud := range p.withheld[room] {
		rotate = rotate || !untrusted[ud]
	}
	p.withheld[room] = untrusted
	p.mu.Unlock()
	if rotate {
		_ = mach.CryptoStore.RemoveOutboundGroupSession(ctx, room)
	}
}

// recheckTrust fetches the sender's keys again, a few times, when p's
// client would exclude evt, and raises the event's trust if the device
// that sent it turns out to be cross-signed. Without the device (its key
// was unknown at decryption) every device of the sender must be.
func (p *person) recheckTrust(evt *event.Event) {
	ctx := context.Background()
	mach := p.helper.Machine()
	for try := range trustTries {
		if try > 0 {
			time.Sleep(trustPause)
		}
		if _, err := mach.FetchKeys(ctx, []id.UserID{evt.Sender}, true); err != nil {
			continue
		}
		if src := evt.Mautrix.TrustSource; src != nil {
			d, err := mach.CryptoStore.GetDevice(ctx, evt.Sender, src.DeviceID)
			if err != nil || d == nil || d.SigningKey != src.SigningKey {
				continue
			}
			if trust, _ := mach.ResolveTrustContext(ctx, d); trust >= strictTrust {
				evt.Mautrix.TrustState = trust
				trustFoundOnReceive.Add(1)
				return
			}
		} else if len(p.untrustedDevices(ctx, []id.UserID{evt.Sender})) == 0 {
			evt.Mautrix.TrustState = strictTrust
			trustFoundOnReceive.Add(1)
			return
		}
	}
}

// excluded reports whether a strict client ignores evt: it was encrypted
// by a device its owner did not cross-sign.
func excluded(evt *event.Event) bool {
	return evt.Mautrix.WasEncrypted && evt.Mautrix.TrustState < strictTrust
}

// TestStrictExcludesUnsigned ensures the strict members' clients are
// really strict: a bot whose device is not cross-signed cannot read a
// member, and what it sends arrives but is excluded. (The other encrypted
// tests pass only because their bot is cross-signed.)
func TestStrictExcludesUnsigned(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	leaveUnsigned(botAcc.UserID)
	me := botAcc.UserID
	alice := newPerson(t, "alice", true)
	var a *Adapter
	fc := pingCore(&a)
	b := startBot(t, botConfig(botAcc, true), openDB(t, filepath.Join(t.TempDir(), "bot.db")), fc)
	a = b.a
	if a.crossSigned.Load() {
		t.Fatal("the bot's device counts as cross-signed")
	}
	_, room := groupWith(t, me, true, alice)

	// The bot speaks: alice's client decrypts it and excludes it. Under
	// load the room key can reach alice after the message, and her client
	// then never decrypts it at all: either way she must not accept it.
	// (The second half below is the check that cannot pass vacuously.)
	if _, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Public, Group: groupID(room), Channel: channelID(room), Text: bot.T("hello")}); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	deadline := time.Now().Add(waitLimit / 2)
	for {
		alice.mu.Lock()
		var got *event.Event
		for _, e := range alice.untrusted {
			if e.RoomID == room && e.Sender == me && e.Type == event.EventMessage {
				got = e
			}
		}
		alice.mu.Unlock()
		if got != nil {
			if got.Mautrix.TrustState >= strictTrust {
				t.Fatalf("excluded with trust %s", got.Mautrix.TrustState)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Log("alice's client never decrypted the unsigned bot's message (its key came late); checking she accepted nothing")
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := len(alice.seen(func(e *event.Event) bool { return e.RoomID == room && e.Sender == me && e.Type == event.EventMessage })); n != 0 {
		t.Fatalf("alice accepted %d messages from the unsigned bot", n)
	}

	// alice speaks: her client withholds the room key from the bot's
	// device, so the bot cannot read her.
	alice.say(room, "!ping")
	deadline = time.Now().Add(waitLimit)
	for {
		fc.mu.Lock()
		undecryptable := false
		for _, c := range fc.conditions {
			undecryptable = undecryptable || (c.Kind == bot.Undecryptable && c.Member == memberID(alice.acc.UserID))
		}
		fc.mu.Unlock()
		if undecryptable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the unsigned bot never reported alice's message as undecryptable")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := fc.count(func(e bot.Event) bool { return e.Command.Name == "ping" }); n != 0 {
		t.Fatalf("the unsigned bot read alice's command (%d times)", n)
	}
}
