// Package matrix connects peerbot to Matrix rooms, encrypted ones included,
// through mautrix-go. Each room the bot is invited to by an allowed inviter
// is a group; a direct-message room with a member is that member's private
// way in. See Config for the settings.
package matrix

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/util/dbutil"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/crypto/cryptohelper"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/sqlstatestore"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

// Adapter is peerbot's Matrix platform. Create it with New, hand it to the
// core as its Platform, then call Run. Its methods are safe for concurrent
// use.
type Adapter struct {
	cfg    Config
	db     *sql.DB
	t      tables
	log    zerolog.Logger
	cli    *mautrix.Client
	crypto *cryptohelper.CryptoHelper
	state  *sqlstatestore.SQLStateStore // set by Run
	sync   *syncStore

	mu     sync.RWMutex
	core   bot.Core
	prefix string
	names  []string // lower-case names members may address the bot by

	dmMu sync.Mutex // serialises DM room creation

	// crossSigned is set once the device is known to be signed by its
	// account's self-signing key (see checkCrossSigning).
	crossSigned atomic.Bool
	pins        *pins      // pins being carried out; stopped when Run returns
	reacts      *reactions // action reactions being sent; waited for when Run returns

	namesMu   sync.Mutex
	roomNames map[id.RoomID]string

	// maxBackoff caps the wait between failed syncs.
	maxBackoff time.Duration
	// onStarted, when set (tests), is called once the stores are ready.
	onStarted func()
	// ready is closed once the stores are ready and the adapter can deliver.
	ready     chan struct{}
	readyOnce sync.Once
	// synced is when a sync last succeeded, in Unix nanoseconds (health.go).
	synced atomic.Int64
}

var (
	_ bot.Platform                = (*Adapter)(nil)
	_ bot.FacilitatorPlaceChecker = (*Adapter)(nil)
	_ bot.ChannelResolver         = (*Adapter)(nil)
	_ bot.FacilitatorChecker      = (*Adapter)(nil)
	_ bot.TextLimiter             = (*Adapter)(nil)
)

// New returns an Adapter for cfg whose own tables, sync token, Matrix state
// and encryption keys live in db (the shared SQLite file; it must allow one
// open connection with WAL, foreign keys and a busy timeout). It does not
// contact the homeserver: Run does. It returns an error naming the config
// key when cfg is invalid.
func New(cfg Config, db *sql.DB, log zerolog.Logger) (*Adapter, error) {
	cfg.ApplyDefaults()
	if problems := cfg.Validate(); len(problems) > 0 {
		return nil, fmt.Errorf("matrix config: %s", strings.Join(problems, "; "))
	}
	if db == nil {
		return nil, errors.New("matrix: a database is required")
	}
	cli, err := mautrix.NewClient(cfg.Homeserver, id.UserID(cfg.UserID), cfg.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("matrix client: %w", err)
	}
	cli.DeviceID = id.DeviceID(cfg.DeviceID)
	// Message content must never reach the logs (see mautrixLog).
	cli.Log = mautrixLog(log)
	cli.Client = &http.Client{Transport: &rateLimitTransport{next: http.DefaultTransport, log: log}}
	// Let the sync supervisor handle retries, so that a homeserver restart
	// is seen and logged once per attempt.
	cli.DefaultHTTPRetries = 2
	a := &Adapter{
		cfg:        cfg,
		db:         db,
		t:          tables{db: db, st: &stmts{}, m: &memo{}},
		log:        log,
		cli:        cli,
		prefix:     "!",
		roomNames:  map[id.RoomID]string{},
		maxBackoff: 30 * time.Second,
		ready:      make(chan struct{}),
		pins:       newPins(),
		reacts:     newReactions(),
	}
	a.sync = &syncStore{t: a.t}
	cli.Store = a.sync
	return a, nil
}

// UserID returns the bot's Matrix user id.
func (a *Adapter) UserID() id.UserID { return a.cli.UserID }

// Run checks the access token with whoami, takes the device lock, sets up
// the state and crypto stores, and syncs until ctx is done, resuming after
// homeserver errors with backoff, handing what members do to c. It never
// ticks c: the core runs its own clock (bot.Bot.Start). It returns nil when
// ctx ends, and an error when startup fails (one line, naming what is
// wrong) or the homeserver rejects the token.
func (a *Adapter) Run(ctx context.Context, c bot.Core) error {
	a.mu.Lock()
	a.core = c
	a.prefix = c.Prefix()
	a.mu.Unlock()
	defer a.pins.close()

	if err := a.start(ctx); err != nil {
		return err
	}
	if err := a.checkInviters(ctx); err != nil {
		return err
	}
	if err := a.t.migrate(ctx, a.log.With().Str("db_section", "matrix_tables").Logger()); err != nil {
		return err
	}
	lockCtx, stopLock := context.WithCancel(ctx)
	lock, err := acquireLock(lockCtx, a.db, a.cli.DeviceID, a.log)
	if err != nil {
		stopLock()
		return err
	}
	defer func() {
		// The reactions being sent finish, and their ids are written,
		// while this process still holds the device.
		a.stopReactions()
		stopLock()
		lock.release()
	}()
	if err := a.setupStores(ctx); err != nil {
		return err
	}
	if a.crypto != nil {
		if err := a.checkCrossSigning(ctx); err != nil {
			return err
		}
	}
	if err := a.resumeReactions(ctx); err != nil {
		return err
	}
	a.log.Info().Str("user_id", a.cli.UserID.String()).Str("device_id", a.cli.DeviceID.String()).
		Bool("encryption", a.crypto != nil).Msg("Matrix adapter started")
	if a.onStarted != nil {
		a.onStarted()
	}
	a.readyOnce.Do(func() { close(a.ready) })
	return a.syncLoop(ctx, lock.lost)
}

// Ready is closed once the adapter can deliver (its stores are set up), so
// that the core's clock starts only then and nothing it says at start is
// lost.
func (a *Adapter) Ready() <-chan struct{} { return a.ready }

// start checks the token and learns the bot's device and names.
func (a *Adapter) start(ctx context.Context) error {
	who, err := a.cli.Whoami(ctx)
	if err != nil {
		if errors.Is(err, mautrix.MUnknownToken) || errors.Is(err, mautrix.MMissingToken) {
			return fmt.Errorf("matrix.access_token: the homeserver rejected the token (whoami): %w", err)
		}
		return fmt.Errorf("matrix.homeserver: whoami at %s failed: %w", a.cfg.Homeserver, err)
	}
	if who.UserID != a.cli.UserID {
		return fmt.Errorf("matrix.user_id: the access token belongs to %s, not %s", who.UserID, a.cli.UserID)
	}
	if a.cfg.DeviceID != "" && who.DeviceID != "" && who.DeviceID != a.cli.DeviceID {
		return fmt.Errorf("matrix.device_id: the access token belongs to device %s, not %s", who.DeviceID, a.cli.DeviceID)
	}
	if who.DeviceID != "" {
		a.cli.DeviceID = who.DeviceID
	}
	if a.cli.DeviceID == "" && a.cfg.EncryptionOn() {
		return errors.New("matrix.device_id: the homeserver did not say which device the token belongs to; set matrix.device_id")
	}
	names := []string{strings.ToLower(a.cli.UserID.Localpart())}
	if dn, err := a.cli.GetOwnDisplayName(ctx); err == nil && dn.DisplayName != "" {
		names = append(names, strings.ToLower(dn.DisplayName))
	}
	a.mu.Lock()
	a.names = names
	a.mu.Unlock()
	return nil
}

// setupStores creates the adapter's tables, the Matrix state store and,
// when encryption is on, the crypto store, all in the shared database.
func (a *Adapter) setupStores(ctx context.Context) error {
	db, err := dbutil.NewWithDB(a.db, store.DialectOf(a.db))
	if err != nil {
		return fmt.Errorf("matrix store: %w", err)
	}
	db.Owner = "peerbot"
	state := sqlstatestore.NewSQLStateStore(db, dbutil.ZeroLogger(a.log.With().Str("db_section", "matrix_state").Logger()), false)
	if err := state.Upgrade(ctx); err != nil {
		return fmt.Errorf("matrix state store: %w", err)
	}
	a.cli.StateStore = newCachedState(state)
	a.state = state

	syncer := newSyncer(a)
	a.cli.Syncer = syncer
	syncer.OnSync(a.onFirstSync)
	syncer.OnSync(a.onSynced) // health.go
	// Before the state store takes them: it compares the old levels.
	syncer.OnEvent(a.guard(a.onPowerLevels))
	syncer.OnEvent(a.cli.StateStoreSyncHandler)
	syncer.OnEventType(event.StateMember, a.guard(a.onMember))
	syncer.OnEventType(event.EventMessage, a.guard(a.onMessage))
	syncer.OnEventType(event.EventReaction, a.guard(a.onReaction))

	if a.cfg.EncryptionOn() {
		helper, err := cryptohelper.NewCryptoHelper(a.cli, []byte(a.cfg.PickleKey), db)
		if err != nil {
			return fmt.Errorf("matrix encryption: %w", err)
		}
		helper.DecryptErrorCallback = a.onDecryptError
		if err := helper.Init(ctx); err != nil {
			return fmt.Errorf("matrix encryption: set up device %s: %w", a.cli.DeviceID, err)
		}
		// Not helper.Close: it would close the shared database.
		a.crypto = helper
		a.cli.Crypto = helper
	}
	return nil
}

// syncLoop runs mautrix's sync until ctx ends, restarting it after errors
// with backoff. It stops with an error only when the token is rejected or
// the device lock is lost.
//
// Stopping does not cancel a long-poll in flight: Dendrite on SQLite can be
// left with a connection stuck in a transaction when a request is cancelled
// mid-write, and then fails every write. StopSync makes the loop drop what
// the last long-poll returns; its context is cancelled only after a grace
// period longer than a long-poll, and a batch being processed gets a moment
// to finish before syncLoop returns.
func (a *Adapter) syncLoop(ctx context.Context, lockLost <-chan error) error {
	syncCtx, cancelSync := context.WithCancel(context.WithoutCancel(ctx))
	stop := func(err error) error {
		a.cli.StopSync()
		time.AfterFunc(40*time.Second, cancelSync)
		return err
	}
	backoff := time.Second
	for {
		done := make(chan error, 1)
		go func() { done <- a.cli.SyncWithContext(syncCtx) }()
		var err error
		select {
		case <-ctx.Done():
			err = stop(nil)
			select {
			case <-done:
			case <-time.After(2 * time.Second):
			}
			return err
		case lerr := <-lockLost:
			return stop(lerr)
		case err = <-done:
		}
		if errors.Is(err, mautrix.MUnknownToken) {
			cancelSync()
			return fmt.Errorf("matrix.access_token: the homeserver no longer accepts the token: %w", err)
		}
		a.log.Warn().Err(err).Dur("retry_in", backoff).Msg("Matrix sync stopped; restarting")
		select {
		case <-ctx.Done():
			cancelSync()
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, a.maxBackoff)
	}
}

func (a *Adapter) getCore() bot.Core {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.core
}

func (a *Adapter) getPrefix() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.prefix
}

// guard wraps an event handler so that a panic in it is logged and does not
// abort the rest of the sync batch.
func (a *Adapter) guard(h func(ctx context.Context, evt *event.Event)) func(ctx context.Context, evt *event.Event) {
	return func(ctx context.Context, evt *event.Event) {
		defer func() {
			if r := recover(); r != nil {
				a.log.Error().Str("event_id", evt.ID.String()).Str("room_id", evt.RoomID.String()).
					Interface("panic", r).Msg("Matrix event handler panicked")
			}
		}()
		h(ctx, evt)
	}
}

// groupID and memberID build the core's opaque ids.
func groupID(room id.RoomID) bot.GroupID     { return bot.GroupID("matrix:" + room) }
func channelID(room id.RoomID) bot.ChannelID { return bot.ChannelID("matrix:" + room) }
func memberID(user id.UserID) bot.MemberID   { return bot.MemberID("matrix:" + user) }
func roomOf(s string) id.RoomID              { return id.RoomID(strings.TrimPrefix(s, "matrix:")) }
func userOf(m bot.MemberID) id.UserID        { return id.UserID(strings.TrimPrefix(string(m), "matrix:")) }
func messageRef(r id.RoomID, e id.EventID) bot.MessageRef {
	return bot.MessageRef("matrix:" + r.String() + " " + e.String())
}

// parseRef splits a MessageRef made by messageRef.
func parseRef(ref bot.MessageRef) (id.RoomID, id.EventID, bool) {
	room, ev, ok := strings.Cut(strings.TrimPrefix(string(ref), "matrix:"), " ")
	return id.RoomID(room), id.EventID(ev), ok && room != "" && ev != ""
}
