package matrix

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto"
	"maunium.net/go/mautrix/id"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

var (
	// recoveryKeys holds the recovery key of each bot account set up by
	// crossSignForTest.
	recoveryKeys sync.Map // id.UserID → string
	// unsignedBots lists bot accounts the harness must leave without
	// cross-signing (see leaveUnsigned).
	unsignedBots sync.Map // id.UserID → struct{}
)

// leaveUnsigned keeps crossSignForTest away from user's bots.
func leaveUnsigned(user id.UserID) { unsignedBots.Store(user, struct{}{}) }

// crossSignForTest gives an encrypted bot's account a cross-signing
// identity, as `peerbot matrix-setup` does, the first time the account is
// run, and configures its recovery key: the test members' clients are
// strict and ignore devices that are not cross-signed.
func crossSignForTest(t testing.TB, a *Adapter) {
	t.Helper()
	user := a.cli.UserID
	if !a.cfg.EncryptionOn() || a.cfg.RecoveryKey != "" {
		return
	}
	if _, plain := unsignedBots.Load(user); plain {
		return
	}
	if k, ok := recoveryKeys.Load(user); ok {
		a.cfg.RecoveryKey = k.(string)
		return
	}
	s, err := New(a.cfg, a.db, testLogger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var key string
	err = retry(func() (err error) {
		key, err = s.SetupCrossSigning(context.Background(), fixed(testPassword), true)
		return err
	})
	if err != nil {
		t.Fatalf("set up cross-signing for %s: %v", user, err)
	}
	recoveryKeys.Store(user, key)
	a.cfg.RecoveryKey = key
}

// trustOf is how p's client sees the trust of user's device.
func (p *person) trustOf(user id.UserID, device id.DeviceID) id.TrustState {
	p.t.Helper()
	mach := p.machine()
	ctx := context.Background()
	devices, err := mach.FetchKeys(ctx, []id.UserID{user}, true)
	if err != nil {
		p.t.Fatalf("fetch keys of %s: %v", user, err)
	}
	d := devices[user][device]
	if d == nil {
		p.t.Fatalf("%s has no device %s", user, device)
	}
	trust, err := mach.ResolveTrustContext(ctx, d)
	if err != nil {
		p.t.Fatal(err)
	}
	return trust
}

// TestCrossSigning ensures that matrix-setup signs the bot's device, that
// a restart keeps it signed, and that a new device on a fresh database
// signs itself with the recovery key and no password.
func TestCrossSigning(t *testing.T) {
	ctx := context.Background()
	botAcc := register(t, "peerbot")
	leaveUnsigned(botAcc.UserID)
	olga := newPerson(t, "olga", true)
	cfg := botConfig(botAcc, true)
	db := openDB(t, filepath.Join(t.TempDir(), "one.db"))

	// Before setup: the bot runs, unsigned.
	b := startBot(t, cfg, db, newFakeCore(nil))
	if b.a.crossSigned.Load() {
		t.Fatal("a new account's device counts as cross-signed")
	}
	if tr := olga.trustOf(botAcc.UserID, botAcc.Device); tr >= id.TrustStateCrossSignedTOFU {
		t.Fatalf("before setup the bot's device is %s", tr)
	}
	b.stopBot(t)

	s, err := New(cfg, db, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetupCrossSigning(ctx, fixed("wrong password"), false); err == nil {
		t.Fatal("setup with a wrong password worked")
	}
	s, _ = New(cfg, db, testLogger())
	key, err := s.SetupCrossSigning(ctx, fixed(testPassword), false)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	if key == "" {
		t.Fatal("setup gave no recovery key")
	}
	if tr := olga.trustOf(botAcc.UserID, botAcc.Device); tr != id.TrustStateCrossSignedTOFU {
		t.Fatalf("after setup the bot's device is %s, want cross-signed", tr)
	}
	s, _ = New(cfg, db, testLogger())
	if _, err := s.SetupCrossSigning(ctx, fixed(testPassword), false); err != ErrCrossSigningExists {
		t.Fatalf("second setup: %v, want ErrCrossSigningExists", err)
	}

	// A restart, without the recovery key: still signed.
	b = startBot(t, cfg, db, newFakeCore(nil))
	if !b.a.crossSigned.Load() {
		t.Fatal("after a restart the device is not seen as cross-signed")
	}
	b.stopBot(t)

	// A lost database: a new device, signed with the recovery key alone.
	cli, err := mautrix.NewClient(hs.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	login, err := cli.Login(ctx, &mautrix.ReqLogin{
		Type:       mautrix.AuthTypePassword,
		Identifier: mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: botAcc.UserID.String()},
		Password:   testPassword,
	})
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	acc2 := account{UserID: botAcc.UserID, Token: login.AccessToken, Device: login.DeviceID}
	cfg2 := botConfig(acc2, true)
	db2 := openDB(t, filepath.Join(t.TempDir(), "two.db"))
	b = startBot(t, cfg2, db2, newFakeCore(nil))
	if b.a.crossSigned.Load() {
		t.Fatal("a new device without the recovery key counts as cross-signed")
	}
	b.stopBot(t)
	if tr := olga.trustOf(botAcc.UserID, acc2.Device); tr >= id.TrustStateCrossSignedTOFU {
		t.Fatalf("a new device without the recovery key is %s", tr)
	}
	cfg2.RecoveryKey = "EsTc not a recovery key"
	wrong, err := New(cfg2, db2, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := wrong.Run(ctx, newFakeCore(nil)); err == nil || !strings.Contains(err.Error(), "matrix.recovery_key") {
		t.Fatalf("Run with a wrong recovery key: %v, want an error naming matrix.recovery_key", err)
	}
	cfg2.RecoveryKey = key
	b = startBot(t, cfg2, db2, newFakeCore(nil))
	if !b.a.crossSigned.Load() {
		t.Fatal("the recovery key did not sign the new device")
	}
	if tr := olga.trustOf(botAcc.UserID, acc2.Device); tr != id.TrustStateCrossSignedTOFU {
		t.Fatalf("the new device is %s, want cross-signed", tr)
	}
	b.stopBot(t)

	// A signed device still has its configured key checked.
	if err := b.a.checkRecoveryKey(ctx); err != nil {
		t.Errorf("the right recovery key: %v", err)
	}
	b.a.cfg.RecoveryKey = strings.Replace(key, key[5:6], map[bool]string{true: "a", false: "b"}[key[5:6] != "a"], 1)
	if err := b.a.checkRecoveryKey(ctx); err == nil {
		t.Error("a wrong recovery key passed the check")
	}
}

// machine is p's Olm machine (p must be encrypted).
func (p *person) machine() *crypto.OlmMachine {
	return p.helper.Machine()
}

// fixed is a password source that gives pw.
func fixed(pw string) func() (string, error) {
	return func() (string, error) { return pw, nil }
}
