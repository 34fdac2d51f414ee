package discord

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// DefaultAPIURL is Discord's own REST base.
const DefaultAPIURL = "https://discord.com"

// Config is the `discord:` section of peerbot's config file. Discord runs
// when Token is set. See config.example.yaml for each key.
type Config struct {
	Token            string   `yaml:"token"` // also PEERBOT_DISCORD_TOKEN
	ApplicationID    string   `yaml:"application_id"`
	GuildIDs         []string `yaml:"guild_ids"`
	ShardID          int      `yaml:"shard_id"`
	ShardCount       int      `yaml:"shard_count"`
	FacilitatorRoles []string `yaml:"facilitator_roles"`
	AgreedRole       string   `yaml:"agreed_role"`
	WelcomeMembers   bool     `yaml:"welcome_members"`
	APIURL           string   `yaml:"api_url"` // default https://discord.com
}

// Enabled reports whether the config asks for Discord.
func (c *Config) Enabled() bool { return c != nil && c.Token != "" }

// ApplyEnv fills secrets from the environment where the file left them empty.
func (c *Config) ApplyEnv(getenv func(string) string) {
	if v := getenv("PEERBOT_DISCORD_TOKEN"); v != "" && c.Token == "" {
		c.Token = v
	}
}

// ApplyDefaults fills the keys left empty with their defaults: api_url
// https://discord.com, shard_count 1. New calls it too.
func (c *Config) ApplyDefaults() {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.ShardCount == 0 {
		c.ShardCount = 1
	}
	c.Token = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c.Token), "Bot "))
}

// Validate returns every problem with the section, each naming its key
// ("discord.application_id: …"). It is only called when Enabled, after
// ApplyDefaults.
func (c *Config) Validate() []string {
	var p []string
	if c.ApplicationID == "" {
		p = append(p, "discord.application_id: required when discord.token is set")
	} else if !isSnowflake(c.ApplicationID) {
		p = append(p, "discord.application_id: must be the application's numeric id (developer portal, General Information)")
	}
	if strings.ContainsAny(c.Token, " \t\n") {
		p = append(p, "discord.token: must be the bot token from the developer portal (Bot page), without spaces")
	}
	for i, g := range c.GuildIDs {
		if !isSnowflake(g) {
			p = append(p, fmt.Sprintf("discord.guild_ids[%d]: %q is not a numeric server id", i, g))
		}
	}
	if c.ShardCount < 1 {
		p = append(p, "discord.shard_count: must be 1 or more")
	} else if c.ShardID < 0 || c.ShardID >= c.ShardCount {
		p = append(p, fmt.Sprintf("discord.shard_id: must be from 0 to shard_count-1 (%d)", c.ShardCount-1))
	}
	for i, r := range c.FacilitatorRoles {
		if !isSnowflake(r) {
			p = append(p, fmt.Sprintf("discord.facilitator_roles[%d]: %q is not a numeric role id", i, r))
		}
	}
	if c.AgreedRole != "" && !isSnowflake(c.AgreedRole) {
		p = append(p, fmt.Sprintf("discord.agreed_role: %q is not a numeric role id", c.AgreedRole))
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		p = append(p, fmt.Sprintf("discord.api_url: %q is not an http(s) URL", c.APIURL))
	} else if u.Scheme == "http" && !loopback(u.Hostname()) {
		p = append(p, fmt.Sprintf("discord.api_url: %q must use https; plain http is allowed only for this machine (127.0.0.1, ::1, localhost), as the bot token goes with every request", c.APIURL))
	}
	return p
}

// loopback reports whether host is this machine: localhost, or an address
// in 127.0.0.0/8 or ::1.
func loopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// isSnowflake reports whether s looks like a Discord id: digits only.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
