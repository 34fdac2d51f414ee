package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dt "github.com/peerbot/peerbot/adapters/discord/discordtest"
)

// TestDiscordEndToEnd runs the real program with a config file whose
// discord.api_url points at the fake Discord, as an operator's proxy would:
// the commands are registered, a facilitator opens a round, a member checks
// in privately, and only the acknowledgement (ephemeral) and the status
// edit come back; a second start on the same database keeps the round.
func TestDiscordEndToEnd(t *testing.T) {
	const guild, ch, chFac, fac, ann = "300000000000000001", "300000000000000010", "300000000000000011", "400000000000000009", "400000000000000001"
	f := dt.New(t)
	f.AddGuild(guild, "Thursday group")
	f.AddChannel(dt.Channel{ID: ch, GuildID: guild, Name: "meeting"})
	f.AddChannel(dt.Channel{ID: chFac, GuildID: guild, Name: "facilitators", HiddenFromEveryone: true})
	f.AddUser(dt.User{ID: ann, Name: "Ann", Perms: dt.PermView | dt.PermSend})
	f.AddUser(dt.User{ID: fac, Name: "Fran", Perms: dt.PermView | dt.PermSend | dt.PermManageMessages})

	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := fmt.Sprintf(`database:
  path: %s
defaults:
  country: GB
discord:
  application_id: "%s"
  guild_ids: ["%s"]
  api_url: %s
`, filepath.Join(dir, "peerbot.db"), dt.AppID, guild, f.URL())
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PEERBOT_DISCORD_TOKEN": dt.Token, "PEERBOT_SECRET_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}

	start := func() (stop func()) { return runInProcess(t, cfgPath, env) }

	stop := start()
	f.WaitFor("commands registered", func() bool {
		return len(f.RequestsTo("PUT", "/api/v9/applications/"+dt.AppID+"/guilds/"+guild+"/commands")) > 0
	})
	open := f.Slash(fac, ch, "facilitator", "round start", dt.O("minutes", 30), dt.O("prompt", "How are you arriving?"))
	f.WaitFor("the round message", func() bool { return len(f.ChannelMessages(ch)) == 1 })
	if in := f.Interaction(open); in.Original != nil && !in.Original.Ephemeral {
		t.Errorf("/round start answered in public: %q", in.Original.Content)
	}
	status := f.ChannelMessages(ch)[0]
	if !strings.Contains(status.Content, "How are you arriving?") {
		t.Fatalf("status message %q", status.Content)
	}

	const secret = "wordsforfacilitatorsonly"
	id := f.Slash(ann, ch, "checkin", "", dt.O("colour", "amber"), dt.O("words", secret), dt.O("private", true))
	f.WaitFor("Ann's acknowledgement", func() bool { in := f.Interaction(id); return in.Original != nil })
	ack := f.Interaction(id).Original
	if !ack.Ephemeral || !strings.Contains(ack.Content, "Your check-in is in") {
		t.Errorf("acknowledgement %+v, want an ephemeral 'Your check-in is in'", ack)
	}
	f.WaitFor("the status edit", func() bool {
		m, _ := f.Message(status.ID)
		return strings.Contains(m.Content, "Ann")
	})
	stop()

	// Restarted on the same database: the round is still open and its
	// status message is the same one.
	stop = start()
	defer stop()
	f.WaitFor("commands registered again", func() bool {
		return len(f.RequestsTo("PUT", "/api/v9/applications/"+dt.AppID+"/guilds/"+guild+"/commands")) > 1
	})
	f.Slash(fac, ch, "facilitator", "round end")
	f.WaitFor("the summary", func() bool { return len(f.ChannelMessages(ch)) == 2 })
	if got := f.ChannelMessages(ch)[1].Content; !strings.Contains(got, "1 person checked in, 0 passed") {
		t.Errorf("summary %q", got)
	}
	toFacilitator := 0
	for _, r := range f.Requests() {
		if !strings.Contains(string(r.Body), secret) {
			continue
		}
		if isDM(f, r.Path, fac) {
			toFacilitator++
			continue
		}
		t.Errorf("private words in %s %s", r.Method, r.Path)
	}
	if toFacilitator != 1 {
		t.Errorf("private words reached the facilitator's DM %d times, want 1", toFacilitator)
	}
}

// isDM reports whether path posts into user's DM channel.
func isDM(f *dt.Server, path, user string) bool {
	dm := f.DMChannel(user)
	return dm != "" && strings.Contains(path, "/channels/"+dm+"/")
}

// runInProcess runs peerbot with the config file cfgPath and the
// environment env in this process, until the returned stop is called; stop
// fails the test when peerbot ended with an error or did not end.
func runInProcess(t *testing.T, cfgPath string, env map[string]string) (stop func()) {
	t.Helper()
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := m.Run(ctx, []string{"-config", cfgPath})
		if cerr := m.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("peerbot ended with %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("peerbot did not stop after its context ended")
		}
	}
}
