// Command discordecho is the benchmark's floor on Discord: a minimal
// discordgo client that registers one slash command, /ping, in one server
// and answers every interaction with a constant reply. cmd/peerbot-bench
// starts it as its own process against the fake Discord:
//
//	ECHO_API_URL=http://127.0.0.1:PORT ECHO_TOKEN=... ECHO_APP_ID=... ECHO_GUILD_ID=... discordecho
package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/bwmarrin/discordgo"
)

type rewrite struct{ base *url.URL }

// RoundTrip sends what discordgo addresses to discord.com to the fake.
func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "discord.com" {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host, req.Host = r.base.Scheme, r.base.Host, r.base.Host
	}
	return http.DefaultTransport.RoundTrip(req)
}

func main() {
	base, err := url.Parse(os.Getenv("ECHO_API_URL"))
	if err != nil {
		fail(err)
	}
	s, err := discordgo.New("Bot " + os.Getenv("ECHO_TOKEN"))
	if err != nil {
		fail(err)
	}
	s.Client = &http.Client{Transport: rewrite{base}}
	s.Identify.Intents = discordgo.IntentsGuilds
	s.StateEnabled = false
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "pong", Flags: discordgo.MessageFlagsEphemeral},
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "discordecho: respond:", err)
		}
	})
	if err := s.Open(); err != nil {
		fail(err)
	}
	if _, err := s.ApplicationCommandBulkOverwrite(os.Getenv("ECHO_APP_ID"), os.Getenv("ECHO_GUILD_ID"),
		[]*discordgo.ApplicationCommand{{Name: "ping", Description: "Answers pong."}}); err != nil {
		fail(err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	_ = s.Close()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "discordecho:", err)
	os.Exit(1)
}
