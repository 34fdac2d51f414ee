package discord

import (
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestConfigValidate ensures each bad key is named in one clear line.
func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings, one per expected problem
	}{
		{"good", Config{Token: "abc", ApplicationID: "123"}, nil},
		{"missing application id", Config{Token: "abc"}, []string{"discord.application_id: required"}},
		{"application id not numeric", Config{Token: "abc", ApplicationID: "my-bot"}, []string{"discord.application_id: must be"}},
		{"bad guild id", Config{Token: "abc", ApplicationID: "1", GuildIDs: []string{"1", "x"}}, []string{"discord.guild_ids[1]"}},
		{"shard out of range", Config{Token: "abc", ApplicationID: "1", ShardID: 2, ShardCount: 2}, []string{"discord.shard_id"}},
		{"negative shard count", Config{Token: "abc", ApplicationID: "1", ShardCount: -1}, []string{"discord.shard_count"}},
		{"bad roles", Config{Token: "abc", ApplicationID: "1", FacilitatorRoles: []string{"@mods"}, AgreedRole: "agreed"},
			[]string{"discord.facilitator_roles[0]", "discord.agreed_role"}},
		{"bad api url", Config{Token: "abc", ApplicationID: "1", APIURL: "discord.com"}, []string{"discord.api_url"}},
		{"token with spaces", Config{Token: "abc def", ApplicationID: "1"}, []string{"discord.token"}},
		{"https proxy", Config{Token: "abc", ApplicationID: "1", APIURL: "https://proxy.example:8443/discord"}, nil},
		{"http to localhost", Config{Token: "abc", ApplicationID: "1", APIURL: "http://localhost:8080"}, nil},
		{"http to LOCALHOST.", Config{Token: "abc", ApplicationID: "1", APIURL: "http://LOCALHOST.:8080"}, nil},
		{"http to 127.0.0.1", Config{Token: "abc", ApplicationID: "1", APIURL: "http://127.0.0.1:8080"}, nil},
		{"http to 127.1.2.3", Config{Token: "abc", ApplicationID: "1", APIURL: "http://127.1.2.3"}, nil},
		{"http to ::1", Config{Token: "abc", ApplicationID: "1", APIURL: "http://[::1]:8080"}, nil},
		{"http to ::ffff:127.0.0.1", Config{Token: "abc", ApplicationID: "1", APIURL: "http://[::ffff:127.0.0.1]:8080"}, nil},
		{"http to a proxy", Config{Token: "abc", ApplicationID: "1", APIURL: "http://proxy.example:8080"},
			[]string{`discord.api_url: "http://proxy.example:8080" must use https`}},
		{"http to a LAN address", Config{Token: "abc", ApplicationID: "1", APIURL: "http://192.168.1.5"}, []string{"discord.api_url"}},
		{"http to 0.0.0.0", Config{Token: "abc", ApplicationID: "1", APIURL: "http://0.0.0.0:80"}, []string{"discord.api_url"}},
		{"http to a name starting localhost", Config{Token: "abc", ApplicationID: "1", APIURL: "http://localhost.evil.example"}, []string{"discord.api_url"}},
		{"http to 128.0.0.1", Config{Token: "abc", ApplicationID: "1", APIURL: "http://128.0.0.1"}, []string{"discord.api_url"}},
		{"http with a loopback user part", Config{Token: "abc", ApplicationID: "1", APIURL: "http://127.0.0.1@evil.example"}, []string{"discord.api_url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			c.ApplyDefaults()
			got := c.Validate()
			if len(got) != len(tt.want) {
				t.Fatalf("Validate() = %q, want %d problems", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// TestConfigDefaultsAndEnv ensures defaults fill empty keys and the token
// may come from the environment, with a pasted "Bot " prefix removed.
func TestConfigDefaultsAndEnv(t *testing.T) {
	var c Config
	if c.Enabled() {
		t.Fatal("empty config is enabled")
	}
	c.ApplyEnv(func(k string) string {
		if k == "PEERBOT_DISCORD_TOKEN" {
			return "Bot secret"
		}
		return ""
	})
	c.ApplyDefaults()
	if !c.Enabled() || c.Token != "secret" || c.APIURL != DefaultAPIURL || c.ShardCount != 1 {
		t.Errorf("after env and defaults: token %q, api_url %q, shard_count %d", c.Token, c.APIURL, c.ShardCount)
	}
	c2 := Config{Token: "file", APIURL: "http://127.0.0.1:9/"}
	c2.ApplyEnv(func(string) string { return "env" })
	c2.ApplyDefaults()
	if c2.Token != "file" || c2.APIURL != "http://127.0.0.1:9" {
		t.Errorf("file values lost: token %q, api_url %q", c2.Token, c2.APIURL)
	}
}

// TestNewRejectsBadConfig ensures New refuses a config with problems and
// names the key.
func TestNewRejectsBadConfig(t *testing.T) {
	_, err := New(Config{Token: "abc"}, zerolog.Nop())
	if err == nil || !strings.Contains(err.Error(), "discord.application_id") {
		t.Fatalf("New() error = %v, want one naming discord.application_id", err)
	}
	_, err = New(Config{ApplicationID: "1"}, zerolog.Nop())
	if err == nil || !strings.Contains(err.Error(), "discord.token") {
		t.Fatalf("New() error = %v, want one naming discord.token", err)
	}
}

// TestInviteURL ensures the invite asks for both scopes and the fewest
// permissions: Manage Roles only when an agreed role is configured.
func TestInviteURL(t *testing.T) {
	a, err := New(Config{Token: "abc", ApplicationID: "42"}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	want := "https://discord.com/oauth2/authorize?client_id=42&permissions=2251799813753856&scope=bot+applications.commands"
	if got := a.InviteURL(); got != want {
		t.Errorf("InviteURL() = %s, want %s", got, want)
	}
	a2, _ := New(Config{Token: "abc", ApplicationID: "42", AgreedRole: "7"}, zerolog.Nop())
	if got := a2.InviteURL(); !strings.Contains(got, "permissions=2251800082189312") {
		t.Errorf("with agreed_role: %s lacks Manage Roles", got)
	}
	if a.intents() != 4097 || a2.intents() != 4097 {
		t.Errorf("intents = %d, %d; want guilds and direct messages (4097)", a.intents(), a2.intents())
	}
	a3, _ := New(Config{Token: "abc", ApplicationID: "42", WelcomeMembers: true}, zerolog.Nop())
	if a3.intents() != 4099 {
		t.Errorf("welcome_members intents = %d, want guilds, members and direct messages (4099)", a3.intents())
	}
}
