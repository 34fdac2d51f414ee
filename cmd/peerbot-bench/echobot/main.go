// Command echobot is the benchmark's floor on Matrix: the least a bot can
// do. It logs in with an access token, syncs, joins every room it is
// invited to, and answers "!ping" with an m.notice "pong". No encryption,
// no database. cmd/peerbot-bench starts it as its own process:
//
//	ECHO_HOMESERVER=http://127.0.0.1:8008 ECHO_USER_ID=@echo:localhost ECHO_ACCESS_TOKEN=... echobot
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"
)

func main() {
	cli, err := mautrix.NewClient(os.Getenv("ECHO_HOMESERVER"), id.UserID(os.Getenv("ECHO_USER_ID")), os.Getenv("ECHO_ACCESS_TOKEN"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "echobot:", err)
		os.Exit(1)
	}
	syncer := cli.Syncer.(*mautrix.DefaultSyncer)
	syncer.OnEventType(event.StateMember, func(ctx context.Context, evt *event.Event) {
		if evt.GetStateKey() == cli.UserID.String() && evt.Content.AsMember().Membership == event.MembershipInvite {
			if _, err := cli.JoinRoomByID(ctx, evt.RoomID); err != nil {
				fmt.Fprintln(os.Stderr, "echobot: join:", err)
			}
		}
	})
	syncer.OnEventType(event.EventMessage, func(ctx context.Context, evt *event.Event) {
		if evt.Sender == cli.UserID || evt.Content.AsMessage().Body != "!ping" {
			return
		}
		if _, err := cli.SendMessageEvent(ctx, evt.RoomID, event.EventMessage, &event.MessageEventContent{
			MsgType: event.MsgNotice, Body: "pong",
		}); err != nil {
			fmt.Fprintln(os.Stderr, "echobot: send:", err)
		}
	})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cli.SyncWithContext(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "echobot: sync:", err)
		os.Exit(1)
	}
}
