// Package discord is peerbot's Discord adapter: slash commands generated
// from the core's command table, buttons and modals for actions, ephemeral
// replies for everything private, and one debounced live status message
// per round. It needs no privileged intents: besides the guilds intent it
// asks only for direct messages (not privileged), so that a plain message
// sent to the bot in a DM gets an answer; Discord includes a DM's content
// without the Message Content intent, and the adapter never reads it.
package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"

	"github.com/peerbot/peerbot/bot"
)

// platform is the adapter's name in the core's ids ("discord:…") and in
// core.Notice.
const platform = "discord"

// Permission bits the bot asks for in its invite link.
const (
	// permPinMessages is PIN_MESSAGES, split from Manage Messages in 2025;
	// discordgo v0.29.0 has no constant for it.
	permPinMessages int64 = 1 << 51
	basePermissions       = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
		discordgo.PermissionReadMessageHistory | permPinMessages
)

// Timing of the adapter's own work. The core runs its own clock
// (bot.Bot.Start) and already debounces status edits; the adapter only
// paces what Discord's rate limits need.
const (
	// editEvery: at most one edit per message this often. Discord allows
	// about 5 message writes per 5 s per channel, shared by posts and
	// edits; an edit every 2 s leaves room for the rest (a summary, the
	// agreement) even when the core sends every check-in's status.
	editEvery = 2 * time.Second
	// flushEvery: how often edits held back by editEvery or a 429 are
	// looked at again.
	flushEvery    = 250 * time.Millisecond
	deferAfter    = 2 * time.Second // Discord wants a first answer within 3 s
	restTimeout   = 10 * time.Second
	shutdownGrace = 5 * time.Second
)

// Adapter connects one Discord bot (one shard) to the core. Create it with
// New, start it with Run; Deliver is safe for concurrent use once Run has
// connected.
type Adapter struct {
	cfg    Config
	log    zerolog.Logger
	client *http.Client

	mu      sync.Mutex
	s       *discordgo.Session
	core    bot.Core
	slash   *slashSet
	baseCtx context.Context
	botUser string

	inter  interactions
	inputs inputs
	edits  *editor
	dms    sync.Map // user id → DM channel id
	// guilds holds a guildInfo per server id (roles.go); guildMu orders
	// changes to it.
	guilds  sync.Map
	guildMu sync.Mutex
	// warned holds the servers already warned about in the log (an
	// @everyone that would make everyone a facilitator).
	warned sync.Map
	// facilitators holds "guild/user" for members seen acting as
	// facilitators since start, whose demotion the core is told of
	// (onMemberUpdate).
	facilitators sync.Map

	// held are posts a facilitator opened the content warning menu on,
	// in memory for a few minutes (warn.go).
	held heldPosts

	// afterInteraction, when set (tests), is called when an interaction
	// has been handled completely.
	afterInteraction func(id string)
	// afterEvent, when set (tests), is called when a gateway event other
	// than an interaction has been handled completely (or ignored):
	// "message:ID", "join:USER", "leave:USER", "roles:USER" or
	// "role:ROLE".
	afterEvent func(key string)
	// ready is closed once commands are registered.
	ready chan struct{}
	// deferAfter is how long the core may take before the interaction is
	// deferred ("thinking…"); Discord wants a first answer within 3 s.
	deferAfter time.Duration
}

var (
	_ bot.Platform                = (*Adapter)(nil)
	_ bot.FacilitatorPlaceChecker = (*Adapter)(nil)
	_ bot.ChannelResolver         = (*Adapter)(nil)
	_ bot.FacilitatorChecker      = (*Adapter)(nil)
	_ bot.TextLimiter             = (*Adapter)(nil)
)

// New checks cfg and returns an Adapter that is not yet connected. It
// returns an error naming each bad config key.
func New(cfg Config, log zerolog.Logger) (*Adapter, error) {
	cfg.ApplyDefaults()
	if cfg.Token == "" {
		return nil, errors.New("discord: discord.token is required")
	}
	if p := cfg.Validate(); len(p) > 0 {
		return nil, fmt.Errorf("discord: %s", strings.Join(p, "; "))
	}
	a := &Adapter{
		cfg:        cfg,
		log:        log.With().Str("adapter", "discord").Logger(),
		ready:      make(chan struct{}),
		deferAfter: deferAfter,
	}
	a.client = &http.Client{Timeout: 20 * time.Second, Transport: rewriteTransport(cfg.APIURL)}
	a.edits = newEditor(a, editEvery)
	return a, nil
}

// rewriteTransport sends requests meant for discord.com to base instead
// (a REST proxy, or the fake in tests), without touching discordgo's
// package-level endpoints.
func rewriteTransport(base string) http.RoundTripper {
	u, err := url.Parse(base)
	if err != nil || base == DefaultAPIURL {
		return http.DefaultTransport
	}
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host == "discord.com" {
			r = r.Clone(r.Context())
			r.URL.Scheme, r.URL.Host = u.Scheme, u.Host
			r.URL.Path = strings.TrimRight(u.Path, "/") + r.URL.Path
			r.Host = u.Host
		}
		return http.DefaultTransport.RoundTrip(r)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// InviteURL is the link a server admin opens to add the bot: the bot and
// applications.commands scopes and the fewest permissions it needs (view
// channels, send messages, read history, pin messages; manage roles only
// when discord.agreed_role is set).
func (a *Adapter) InviteURL() string {
	perm := basePermissions
	if a.cfg.AgreedRole != "" {
		perm |= discordgo.PermissionManageRoles
	}
	q := url.Values{}
	q.Set("client_id", a.cfg.ApplicationID)
	q.Set("scope", "bot applications.commands")
	q.Set("permissions", strconv.FormatInt(perm, 10))
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}

// intents are the gateway intents: guilds (slash commands, buttons and
// modals arrive without any intent; servers' names, system channels and
// roles, and changes to roles, come with this one) and direct messages,
// so that a plain DM to the bot is answered (onMessageCreate). Neither is privileged, and the privileged
// Message Content intent is not needed: Discord sends a DM's content to
// the bot without it (and the adapter reads none). Guild messages are
// never asked for. The privileged members intent is added when
// discord.welcome_members is on.
func (a *Adapter) intents() discordgo.Intent {
	i := discordgo.IntentsGuilds | discordgo.IntentsDirectMessages
	if a.cfg.WelcomeMembers {
		i |= discordgo.IntentsGuildMembers
	}
	return i
}

// Run connects to the gateway, registers the slash commands (shard 0
// only), logs the invite URL, and serves interactions until ctx is done.
// It sends pending status edits as Discord's rate limits allow, and shows
// the last of them before it returns. It never ticks the core: the core
// runs its own loop (bot.Bot.Start). It returns nil after a clean
// shutdown, or the error that stopped it from connecting or registering.
// Call it once per Adapter.
func (a *Adapter) Run(ctx context.Context, c bot.Core) error {
	s, err := discordgo.New("Bot " + a.cfg.Token)
	if err != nil {
		return fmt.Errorf("discord: new session: %w", err)
	}
	s.Client = a.client
	s.Identify.Intents = a.intents()
	s.ShardID, s.ShardCount = a.cfg.ShardID, a.cfg.ShardCount
	// discordgo's state cache hands out shared pointers that its event
	// loop rewrites in place; the adapter keeps the little it needs itself.
	s.StateEnabled = false
	s.SyncEvents = false
	s.AddHandler(a.onReady)
	s.AddHandler(a.onGuildCreate)
	s.AddHandler(a.onGuildUpdate)
	s.AddHandler(a.onGuildDelete)
	s.AddHandler(a.onRoleCreate)
	s.AddHandler(a.onRoleUpdate)
	s.AddHandler(a.onRoleDelete)
	s.AddHandler(a.onConnect)
	s.AddHandler(a.onInteraction)
	s.AddHandler(a.onMessageCreate)
	s.AddHandler(a.onRateLimit) // health.go
	if a.cfg.WelcomeMembers {
		s.AddHandler(a.onMemberAdd)
		s.AddHandler(a.onMemberRemove)
		s.AddHandler(a.onMemberUpdate)
	}

	slash := newSlashSet(c.Commands())
	a.mu.Lock()
	a.s, a.core, a.slash, a.baseCtx = s, c, slash, ctx
	a.mu.Unlock()

	if err := s.Open(); err != nil {
		return a.openError(s, err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			a.log.Warn().Err(err).Msg("Closing the gateway failed")
		}
	}()
	if err := a.registerCommands(ctx, slash); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	close(a.ready)
	a.log.Info().Str("invite_url", a.InviteURL()).Msg("Discord is ready; add the bot to a server with this link")

	flush := time.NewTicker(flushEvery)
	defer flush.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			a.edits.flush(fctx, true)
			cancel()
			return nil
		case <-flush.C:
			a.edits.flush(ctx, false)
		}
	}
}

// registerCommands overwrites the application's commands with the table's:
// per configured guild (instant), else globally (may take up to an hour).
// Only shard 0 registers: the commands belong to the application, not to a
// shard.
func (a *Adapter) registerCommands(ctx context.Context, slash *slashSet) error {
	if a.cfg.ShardID != 0 {
		return nil
	}
	cmds := append(slash.commands(), cwMenuCommand())
	guilds := a.cfg.GuildIDs
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	for _, g := range guilds {
		if _, err := a.s.ApplicationCommandBulkOverwrite(a.cfg.ApplicationID, g, cmds, discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("discord: register commands (guild %q): %w", g, err)
		}
		a.log.Info().Str("guild_id", g).Int("commands", len(cmds)).Msg("Registered slash commands")
	}
	return nil
}

// Ready is closed once the bot is connected and its commands registered,
// so that the core's clock starts only then and nothing it says at start
// (a round that ran out while peerbot was down) is lost.
func (a *Adapter) Ready() <-chan struct{} { return a.ready }

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	defer a.recoverPanic("ready")
	if r.User != nil {
		a.mu.Lock()
		a.botUser = r.User.ID
		a.mu.Unlock()
	}
	a.log.Info().Int("guilds", len(r.Guilds)).Int("shard_id", a.cfg.ShardID).Int("shard_count", a.cfg.ShardCount).
		Msg("Connected to the Discord gateway")
}

// openError says why the gateway refused the bot, in the config's terms
// where Discord's close code tells (Discord docs, "Gateway Close Event
// Codes"). None of these is retried: the config must change.
func (a *Adapter) openError(s *discordgo.Session, err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return fmt.Errorf("discord: open gateway: %w", err)
	}
	switch ce.Code {
	case closeAuthenticationFailed:
		return fmt.Errorf("discord.token: Discord refused the token (gateway close %d); copy it again from the developer portal's Bot page: %w", ce.Code, err)
	case closeInvalidShard:
		return fmt.Errorf("discord.shard_id, discord.shard_count: Discord refused shard %d of %d (gateway close %d): %w",
			a.cfg.ShardID, a.cfg.ShardCount, ce.Code, err)
	case closeShardingRequired:
		msg := fmt.Sprintf("discord.shard_count: the bot is in too many servers for %d shard(s) (gateway close %d, Discord allows 2500 servers per shard)",
			a.cfg.ShardCount, ce.Code)
		rctx, cancel := context.WithTimeout(context.Background(), restTimeout)
		defer cancel()
		if gb, gerr := s.GatewayBot(discordgo.WithContext(rctx)); gerr == nil && gb.Shards > a.cfg.ShardCount {
			msg += fmt.Sprintf("; Discord recommends %d: run %d processes with shard_count %d and shard_id 0 to %d, all on one PostgreSQL database",
				gb.Shards, gb.Shards, gb.Shards, gb.Shards-1)
		}
		return fmt.Errorf("%s: %w", msg, err)
	}
	return fmt.Errorf("discord: open gateway: %w", err)
}

// Gateway close codes that openError explains.
const (
	closeAuthenticationFailed = 4004
	closeInvalidShard         = 4010
	closeShardingRequired     = 4011
)

// OnShard reports whether group g is a server on this adapter's shard
// ((server id >> 22) % shard_count == shard_id): the one whose gateway
// events (commands, buttons, member and role changes) this process gets.
// A DM is never a group; Discord delivers DMs to shard 0 only. Anything
// else can be done from any shard: REST works for every server.
func (a *Adapter) OnShard(g bot.GroupID) bool {
	id, err := strconv.ParseUint(guildOf(g), 10, 64)
	if err != nil {
		return false
	}
	return int((id>>22)%uint64(a.cfg.ShardCount)) == a.cfg.ShardID
}

// onConnect runs after every (re)connect. discordgo does not replay
// events missed while disconnected; the core's state lives in the store,
// and its own loop closes any round that ran out meanwhile.
func (a *Adapter) onConnect(_ *discordgo.Session, _ *discordgo.Connect) {
	a.log.Debug().Msg("Gateway connected")
}

// recoverPanic keeps a panic in one handler from killing the process
// (discordgo has no recover of its own). The panic value is not logged: it
// might hold a member's words.
func (a *Adapter) recoverPanic(where string) {
	if r := recover(); r != nil {
		a.log.Error().Str("handler", where).Str("panic_type", fmt.Sprintf("%T", r)).Msg("Recovered from a panic")
	}
}

// session returns the connected session and core, or an error before Run.
func (a *Adapter) session() (*discordgo.Session, bot.Core, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.s == nil {
		return nil, nil, errors.New("discord: not connected")
	}
	return a.s, a.core, nil
}

// slashSet returns the registered commands (set before Run connects).
func (a *Adapter) slashSet() *slashSet {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.slash
}

// ctx returns a context for work started by Discord events.
func (a *Adapter) ctx() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.baseCtx == nil {
		return context.Background()
	}
	return a.baseCtx
}
