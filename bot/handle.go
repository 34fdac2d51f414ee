package bot

import (
	"context"
)

// call is one command being handled: the event, the resolved group, and the
// replies collected so far.
type call struct {
	ctx     context.Context
	b       *Bot
	st      Store // the transaction's store
	ev      Event
	cmd     Command
	spec    *CommandSpec
	group   GroupID
	replies []Reply
}

// Handle handles one event: it de-duplicates it, applies its effect to the
// store in one transaction, and then delivers the replies through the
// Platform. It returns an error only for failures of the store; a member's
// mistake is answered with a kind private reply and returns nil.
func (b *Bot) Handle(ctx context.Context, ev Event) error {
	_ = ctx
	_ = ev
	return nil
}

// Tick does what has become due by the clock: it closes rounds whose time
// has run out. Adapters call it every few seconds; the console calls it when
// its clock moves. It is safe to call from several goroutines.
func (b *Bot) Tick(ctx context.Context) error {
	return nil
}

func (b *Bot) commandTable() []*CommandSpec { return nil }
