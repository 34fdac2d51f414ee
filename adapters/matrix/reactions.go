package matrix

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

// reactions sends the bot's action reactions in the background, so that the
// sync loop goes on to the next event as soon as a reply is out. Each room's
// reactions go out in the order they were offered; an edit of a message
// waits for its room's queue (see wait) before it reads what was offered.
//
// A reaction is recorded before it is sent, with reaction_id "pending:" and
// the room (see tables.saveActions): a process that stops or crashes before
// the reaction's id is stored sends it again at the next start (resume),
// with the same transaction id, so that the homeserver, which remembers
// transaction ids for a while, answers with the reaction it already has
// instead of adding a second one.
type reactions struct {
	mu   sync.Mutex
	tail map[id.RoomID]chan struct{} // closed when the room's last job is done
	wg   sync.WaitGroup
}

func newReactions() *reactions {
	return &reactions{tail: map[id.RoomID]chan struct{}{}}
}

// enqueue runs f in the background after the room's earlier jobs.
func (r *reactions) enqueue(room id.RoomID, f func()) {
	done := make(chan struct{})
	r.mu.Lock()
	prev := r.tail[room]
	r.tail[room] = done
	r.wg.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.wg.Done()
		if prev != nil {
			<-prev
		}
		f()
		close(done)
		r.mu.Lock()
		if r.tail[room] == done {
			delete(r.tail, room)
		}
		r.mu.Unlock()
	}()
}

// wait returns once the jobs queued for room so far are done.
func (r *reactions) wait(room id.RoomID) {
	r.mu.Lock()
	t := r.tail[room]
	r.mu.Unlock()
	if t != nil {
		<-t
	}
}

// close waits for every queued job.
func (r *reactions) close() { r.wg.Wait() }

// stopReactions waits for the reactions being sent and writes their ids.
func (a *Adapter) stopReactions() {
	a.reacts.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.sync.flushReactions(ctx); err != nil {
		a.log.Error().Err(err).Msg("Could not record action reactions; they are sent again at the next start")
	}
}

// pendingPrefix marks, in reaction_id, a reaction recorded but not yet
// known to be sent; the room follows it.
const pendingPrefix = "pending:"

// pendingRoom returns the room of a pending reaction_id.
func pendingRoom(reaction string) (id.RoomID, bool) {
	room, ok := strings.CutPrefix(reaction, pendingPrefix)
	return id.RoomID(room), ok && room != ""
}

// reactionTxnID is the transaction id of the bot's reaction emoji on ev:
// the same every time, so that sending it again is harmless.
func reactionTxnID(ev id.EventID, emoji string) string {
	h := sha256.Sum256([]byte(ev.String() + "\x00" + emoji))
	return "peerbot-react-" + hex.EncodeToString(h[:16])
}

// react queues the bot's reaction emoji on ev in room; its id is stored
// with the next sync token once the homeserver answered.
func (a *Adapter) react(room id.RoomID, ev id.EventID, emoji string) {
	a.reacts.enqueue(room, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		resp, err := a.cli.SendMessageEvent(ctx, room, event.EventReaction, &event.ReactionEventContent{
			RelatesTo: event.RelatesTo{EventID: ev, Type: event.RelAnnotation, Key: emoji},
		}, mautrix.ReqSendEvent{TransactionID: reactionTxnID(ev, emoji)})
		reaction := id.EventID("")
		if err != nil {
			a.log.Warn().Err(err).Str("room_id", room.String()).Msg("Could not add action reaction")
		} else {
			reaction = resp.EventID
		}
		// Written with the next sync token (syncStore.commit).
		a.sync.noteReaction(ev, emoji, reaction)
	})
}

// resumeReactions queues the reactions that were recorded but whose id was
// not stored when the bot last stopped.
func (a *Adapter) resumeReactions(ctx context.Context) error {
	pending, err := a.t.pendingReactions(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		a.react(p.room, p.event, p.emoji)
	}
	if len(pending) > 0 {
		a.log.Info().Int("count", len(pending)).Msg("Sending action reactions left pending at the last stop")
	}
	return nil
}
