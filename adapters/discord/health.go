package discord

import (
	"errors"

	"github.com/bwmarrin/discordgo"

	"github.com/peerbot/peerbot/bot"
)

// Health returns nil while the adapter is connected to the gateway and its
// commands are registered, and says briefly what is missing otherwise (for
// /readyz: no ids, no secrets).
func (a *Adapter) Health() error {
	select {
	case <-a.ready:
	default:
		return errors.New("discord: not ready yet (connecting or registering commands)")
	}
	s, _, err := a.session()
	if err != nil {
		return errors.New("discord: not connected")
	}
	// discordgo sets DataReady while the gateway's heartbeats go out, and
	// clears it when the connection is closed or lost; it stays false while
	// reconnecting fails.
	s.RLock()
	up := s.DataReady
	s.RUnlock()
	if !up {
		return errors.New("discord: gateway disconnected")
	}
	return nil
}

// onRateLimit runs when discordgo got a 429 and waits before retrying the
// request.
func (a *Adapter) onRateLimit(_ *discordgo.Session, _ *discordgo.RateLimit) {
	defer a.recoverPanic("rate limit")
	a.rateLimitWaited()
}

// rateLimitWaited tells the core that a request waits out a rate limit (a
// 429 discordgo retries, or a status edit put off): it counts it, for
// metrics. Nothing about the request is passed on.
func (a *Adapter) rateLimitWaited() {
	a.mu.Lock()
	c, ctx := a.core, a.baseCtx
	a.mu.Unlock()
	if c != nil && ctx != nil {
		c.Report(ctx, bot.Condition{Kind: bot.RateLimitWaited})
	}
}
