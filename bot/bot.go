package bot

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot/crisislines"
)

// Options configure a Bot. Store and Platform are required.
type Options struct {
	Store    Store
	Platform Platform
	Clock    Clock // default SystemClock
	// Prefix is the command prefix for text commands (default "!").
	Prefix string
	// DefaultCountry is the configured fallback country for crisis lines
	// (ISO 3166-1 alpha-2; may be empty).
	DefaultCountry string
	// DefaultTimezone is the configured fallback IANA zone (default "UTC").
	DefaultTimezone string
	// Prefixes maps a platform ("discord") to the prefix its members type
	// commands with ("/"), where it differs from Prefix. Used when the bot
	// names a command in a message.
	Prefixes map[string]string
	// Crisis is the crisis-line directory (default crisislines.Default()).
	Crisis *crisislines.Directory
	// StatusDelay debounces edits of a round's live status message: at most
	// one edit per StatusDelay, with the latest state, sent from Tick.
	// 0 edits at once, with every check-in (the console).
	StatusDelay time.Duration
	// TickEvery is how often the core's loop (Start) does what became due
	// (default 1 s).
	TickEvery time.Duration
	// Log receives operational logs; never message content.
	Log *zerolog.Logger
	// Leases, when set, shares the timed work with other processes on the
	// same database: this process does a group's status edits, round
	// closing and scheduled rounds only while it holds the group's lease
	// (see Leases). Nil: this process does all of it (one process per
	// database, as with SQLite).
	Leases Leases
	// Holder names this process in the leases (required with Leases;
	// unique among the processes sharing the database).
	Holder string
	// LeaseTTL is how long a lease lasts without renewal (default 30 s):
	// how soon the groups of a process that died are taken over.
	LeaseTTL time.Duration
	// Observer is told what was handled and delivered, for metrics
	// (observe.go); nil: nobody.
	Observer Observer
	// DefaultLanguage is the language of groups whose facilitators have
	// not chosen one (a code of LanguageCodes; default "en").
	DefaultLanguage string
}

// Bot is the platform-neutral core. Its methods are safe for concurrent use.
type Bot struct {
	store     Store
	platform  Platform
	clock     Clock
	prefix    string
	country   string
	timezone  string
	crisis    *crisislines.Directory
	log       zerolog.Logger
	prefixes  map[string]string
	commands  *Table
	tickEvery time.Duration
	// tickMu runs ticks one at a time, so that a clock move's tick waits
	// for a periodic one already under way: what was due is done when the
	// move returns.
	tickMu sync.Mutex

	groupLocks  locks
	statusDelay time.Duration
	status      statusQueue
	zones       sync.Map // zone name → *time.Location
	seen        seenMembers
	// careSent remembers for which round (or group and day) the
	// facilitators got the self-care line; unreachable for which group and
	// day the room got the note about private replies. In memory: a
	// restart may say each once more.
	careSent    sync.Map
	unreachable sync.Map
	// checks caches the audience checks (audience.go).
	checks sync.Map
	// leases is nil unless processes share the database (Options.Leases).
	leases *leaseState
	obs    Observer
	// language is the configured default language (language.go); langs
	// the languages last read of members and groups, for answers while
	// the store fails.
	language *Lang
	langs    sync.Map
}

// New returns a Bot. It returns an error when a required option is missing.
func New(o Options) (*Bot, error) {
	if o.Store == nil || o.Platform == nil {
		return nil, errors.New("bot: Store and Platform are required")
	}
	b := &Bot{
		store:       o.Store,
		platform:    o.Platform,
		clock:       o.Clock,
		prefix:      o.Prefix,
		country:     strings.ToUpper(o.DefaultCountry),
		timezone:    o.DefaultTimezone,
		crisis:      o.Crisis,
		prefixes:    o.Prefixes,
		statusDelay: o.StatusDelay,
		tickEvery:   o.TickEvery,
		log:         zerolog.Nop(),
		obs:         o.Observer,
	}
	if b.clock == nil {
		b.clock = SystemClock{}
	}
	if b.prefix == "" {
		b.prefix = "!"
	}
	if b.timezone == "" {
		b.timezone = "UTC"
	}
	if b.crisis == nil {
		b.crisis = crisislines.Default()
	}
	if b.tickEvery <= 0 {
		b.tickEvery = time.Second
	}
	if o.Log != nil {
		b.log = *o.Log
	}
	b.language = english
	if o.DefaultLanguage != "" {
		l, ok := LanguageOf(o.DefaultLanguage)
		if !ok {
			return nil, fmt.Errorf("bot: unknown default language %q (known: %s)", o.DefaultLanguage, strings.Join(LanguageCodes(), ", "))
		}
		b.language = l
	}
	if o.Leases != nil {
		if o.Holder == "" {
			return nil, errors.New("bot: Leases need a Holder")
		}
		ttl := o.LeaseTTL
		if ttl <= 0 {
			ttl = defaultLeaseTTL
		}
		if ttl <= leaseRenew {
			return nil, errors.New("bot: LeaseTTL must be longer than the renewal interval (5 s)")
		}
		b.leases = &leaseState{store: o.Leases, holder: o.Holder, ttl: ttl}
	}
	b.commands = b.table()
	return b, nil
}

// Prefix returns the text command prefix.
func (b *Bot) Prefix() string { return b.prefix }

// Commands returns the command table, with its parser.
func (b *Bot) Commands() *Table { return b.commands }

// now returns the clock's time truncated to milliseconds, so times survive a
// round trip through the store unchanged.
func (b *Bot) now() time.Time { return b.clock.Now().UTC().Truncate(time.Millisecond) }
