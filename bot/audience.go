package bot

import (
	"context"
	"time"
)

// Private words reach exactly the group's current facilitators: before a
// Facilitators reply is delivered, the core checks again that its
// facilitators' place is still readable by facilitators only, and that its
// fallback facilitator is still one. Answers are cached for checkTTL, so a
// busy round does not ask the platform for every check-in.

const checkTTL = time.Minute

type checkResult struct {
	ok bool
	at time.Time
}

// checked returns a cached answer for key, or asks f and caches it. An
// error is not cached, and counts as "no".
func (b *Bot) checked(key string, f func() (bool, error)) bool {
	now := b.now()
	if v, ok := b.checks.Load(key); ok {
		if r := v.(checkResult); now.Sub(r.at) < checkTTL {
			return r.ok
		}
	}
	ok, err := f()
	if err != nil {
		b.log.Warn().Err(err).Msg("Checking the facilitators' audience failed")
		return false
	}
	b.checks.Store(key, checkResult{ok: ok, at: now})
	return ok
}

func (b *Bot) forgetCheck(g GroupID, m MemberID) {
	b.checks.Delete("member|" + string(g) + "|" + string(m))
}

// audience re-checks where a Facilitators reply may go. A place that other
// members can now read is dropped (the reply goes to the facilitators
// privately); a fallback facilitator who is no longer one is dropped and
// forgotten.
func (b *Bot) audience(ctx context.Context, r Reply) Reply {
	if r.Visibility != Facilitators || r.Group == "" {
		return r
	}
	if r.Channel != "" {
		if chk, ok := b.platform.(FacilitatorPlaceChecker); ok {
			ch := r.Channel
			if !b.checked("place|"+string(r.Group)+"|"+string(ch), func() (bool, error) { return chk.FacilitatorsOnly(ctx, r.Group, ch) }) {
				b.log.Warn().Str("group_id", string(r.Group)).Msg("The facilitators' place is readable by others now; sending privately")
				r.Channel = ""
			}
		}
	}
	if r.To != "" {
		if fc, ok := b.platform.(FacilitatorChecker); ok {
			to := r.To
			if !b.checked("member|"+string(r.Group)+"|"+string(to), func() (bool, error) { return fc.IsFacilitator(ctx, r.Group, to) }) {
				r.To = ""
				b.clearFallback(ctx, r.Group, to)
			}
		}
	}
	return r
}

// clearFallback forgets m as g's fallback facilitator.
func (b *Bot) clearFallback(ctx context.Context, g GroupID, m MemberID) {
	err := b.store.InTx(ctx, func(st Store) error {
		grp, err := st.Group(ctx, g)
		if err != nil || grp.LastFacilitator != m {
			return err
		}
		grp.LastFacilitator = ""
		return st.SaveGroup(ctx, grp)
	})
	if err != nil {
		b.log.Error().Err(err).Msg("Forgetting a fallback facilitator failed")
	}
}
