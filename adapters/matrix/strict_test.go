package matrix

import (
	"context"
	"path/filepath"
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
// only from, devices cross-signed by their owner. Only the strict tests
// use it: elsewhere a member's client that fetched the bot's keys a moment
// before the test cross-signed them would withhold keys by timing alone.
func (p *person) beStrict() {
	mach := p.cli.Crypto.(*cryptohelper.CryptoHelper).Machine()
	mach.SendKeysMinTrust = strictTrust
	mach.ShareKeysMinTrust = strictTrust
	p.mu.Lock()
	p.strict = true
	p.mu.Unlock()
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
	alice.beStrict()
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
