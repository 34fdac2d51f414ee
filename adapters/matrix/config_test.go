package matrix

import (
	"strings"
	"testing"
)

func intp(i int) *int { return &i }

// TestConfigValidate ensures each bad key is reported by name, and a good
// config passes with its defaults applied.
func TestConfigValidate(t *testing.T) {
	good := func() Config {
		return Config{Homeserver: "https://matrix.example.org", UserID: "@peerbot:example.org", AccessToken: "tok", PickleKey: "0123456789abcdef0123"}
	}
	tests := []struct {
		name string
		edit func(*Config)
		want []string // each must appear in some problem; none means valid
	}{
		{"valid", func(*Config) {}, nil},
		{"homeserver not a URL", func(c *Config) { c.Homeserver = "matrix.example.org" }, []string{"matrix.homeserver:"}},
		{"plain http elsewhere", func(c *Config) { c.Homeserver = "http://matrix.example.org" }, []string{"matrix.homeserver:", "https://"}},
		{"plain http on a private address", func(c *Config) { c.Homeserver = "http://192.168.1.2:8008" }, []string{"matrix.homeserver:"}},
		{"plain http to a name starting localhost", func(c *Config) { c.Homeserver = "http://localhost.example.org" }, []string{"matrix.homeserver:"}},
		{"plain http to localhost", func(c *Config) { c.Homeserver = "http://localhost:8008" }, nil},
		{"plain http to 127.0.0.0/8", func(c *Config) { c.Homeserver = "http://127.1.2.3:8008" }, nil},
		{"plain http to ::1", func(c *Config) { c.Homeserver = "http://[::1]:8008" }, nil},
		{"user id without @", func(c *Config) { c.UserID = "peerbot:example.org" }, []string{"matrix.user_id:"}},
		{"user id without server", func(c *Config) { c.UserID = "@peerbot" }, []string{"matrix.user_id:"}},
		{"no token", func(c *Config) { c.AccessToken = "" }, []string{"matrix.access_token:", "PEERBOT_MATRIX_ACCESS_TOKEN"}},
		{"no pickle key", func(c *Config) { c.PickleKey = "" }, []string{"matrix.pickle_key:"}},
		{"short pickle key", func(c *Config) { c.PickleKey = "short" }, []string{"matrix.pickle_key:"}},
		{"no pickle key without encryption", func(c *Config) { off := false; c.Encryption = &off; c.PickleKey = "" }, nil},
		{"bad inviter", func(c *Config) { c.AllowedInviters = []string{"@ok:example.org", ":example.net", "bob"} }, []string{"matrix.allowed_inviters[2]:"}},
		{"zero facilitator level", func(c *Config) { c.FacilitatorPowerLevel = intp(0) }, []string{"matrix.facilitator_power_level:"}},
		{"several problems at once", func(c *Config) { c.UserID = "x"; c.AccessToken = "" }, []string{"matrix.user_id:", "matrix.access_token:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(&c)
			c.ApplyDefaults()
			got := strings.Join(c.Validate(), "\n")
			if len(tt.want) == 0 && got != "" {
				t.Fatalf("Validate() = %q, want no problems", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Validate() = %q, want it to mention %q", got, w)
				}
			}
		})
	}
}

// TestConfigDefaults ensures encryption defaults on and invites default to
// the bot's own server, and secrets come from the environment.
func TestConfigDefaults(t *testing.T) {
	c := Config{Homeserver: "https://m.example.org", UserID: "@bot:example.org"}
	c.ApplyEnv(func(k string) string {
		return map[string]string{"PEERBOT_MATRIX_ACCESS_TOKEN": "envtok", "PEERBOT_MATRIX_PICKLE_KEY": "envpickle"}[k]
	})
	c.ApplyDefaults()
	if !c.EncryptionOn() || c.AccessToken != "envtok" || c.PickleKey != "envpickle" {
		t.Errorf("config = %+v, want encryption on and secrets from the environment", c)
	}
	if !c.inviterAllowed("@anyone:example.org") || c.inviterAllowed("@x:other.org") {
		t.Errorf("default inviters %v: want only example.org users", c.AllowedInviters)
	}
	c.AllowedInviters = []string{"@alice:other.org"}
	if !c.inviterAllowed("@alice:other.org") || c.inviterAllowed("@bob:other.org") || c.inviterAllowed("@anyone:example.org") {
		t.Errorf("inviters %v: want only alice", c.AllowedInviters)
	}
}
