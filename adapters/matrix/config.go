package matrix

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Config is the `matrix:` section of peerbot's config file. Matrix runs when
// Homeserver is set. See config.example.yaml for each key.
type Config struct {
	Homeserver  string `yaml:"homeserver"`
	UserID      string `yaml:"user_id"`
	AccessToken string `yaml:"access_token"` // also PEERBOT_MATRIX_ACCESS_TOKEN
	// DeviceID is the device the access token belongs to. Optional: when
	// set, startup checks that whoami reports the same device.
	DeviceID   string `yaml:"device_id"`
	Encryption *bool  `yaml:"encryption"` // default true
	PickleKey  string `yaml:"pickle_key"` // also PEERBOT_MATRIX_PICKLE_KEY
	// RecoveryKey opens the account's secret storage, where its
	// cross-signing keys are kept (`peerbot matrix-setup` prints it). With
	// it, each start signs the bot's device if it is not signed yet.
	RecoveryKey string `yaml:"recovery_key"` // also PEERBOT_MATRIX_RECOVERY_KEY
	// AllowedInviters lists who may invite the bot into a room that becomes
	// a group: full user ids ("@alice:example.org") or whole servers
	// (":example.org"). Default: the bot's own server, but only when the
	// homeserver says its registration is closed (see checkInviters):
	// on a server where anyone can sign up, anyone could make groups.
	AllowedInviters []string `yaml:"allowed_inviters"`
	// FacilitatorPowerLevel is the power level from which a room member is a
	// facilitator. Default (nil): the room's kick level.
	FacilitatorPowerLevel *int `yaml:"facilitator_power_level"`

	// defaultInviters is set by ApplyDefaults when AllowedInviters was
	// empty and now holds the bot's own server.
	defaultInviters bool
}

// Enabled reports whether the config asks for Matrix.
func (c *Config) Enabled() bool { return c != nil && c.Homeserver != "" }

// ApplyEnv fills secrets from the environment where the file left them empty.
func (c *Config) ApplyEnv(getenv func(string) string) {
	if v := getenv("PEERBOT_MATRIX_ACCESS_TOKEN"); v != "" && c.AccessToken == "" {
		c.AccessToken = v
	}
	if v := getenv("PEERBOT_MATRIX_PICKLE_KEY"); v != "" && c.PickleKey == "" {
		c.PickleKey = v
	}
	if v := getenv("PEERBOT_MATRIX_RECOVERY_KEY"); v != "" && c.RecoveryKey == "" {
		c.RecoveryKey = v
	}
}

// ApplyDefaults fills the keys left empty with their documented defaults:
// encryption on, and allowed_inviters set to the bot's own server (taken
// from user_id). It is safe to call before Validate.
func (c *Config) ApplyDefaults() {
	if c.Encryption == nil {
		on := true
		c.Encryption = &on
	}
	if len(c.AllowedInviters) == 0 {
		if _, server, ok := splitUserID(c.UserID); ok {
			c.AllowedInviters = []string{":" + server}
			c.defaultInviters = true
		}
	}
}

// EncryptionOn reports whether end-to-end encryption is enabled (the default).
func (c *Config) EncryptionOn() bool { return c.Encryption == nil || *c.Encryption }

// Validate returns every problem with the section, each naming its key
// ("matrix.user_id: …"). It is only called when Enabled.
func (c *Config) Validate() []string {
	var p []string
	if u, err := url.Parse(c.Homeserver); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p = append(p, fmt.Sprintf("matrix.homeserver: %q is not an http(s) URL such as https://matrix.example.org", c.Homeserver))
	} else if u.Scheme == "http" && !loopback(u.Hostname()) {
		// The access token and every message would cross the network in
		// the clear.
		p = append(p, fmt.Sprintf("matrix.homeserver: %q uses plain http://, which is only allowed for this machine (localhost, 127.0.0.1, ::1); use https://", c.Homeserver))
	}
	switch {
	case c.UserID == "":
		p = append(p, "matrix.user_id: required when matrix.homeserver is set")
	case !validUserID(c.UserID):
		p = append(p, fmt.Sprintf("matrix.user_id: %q is not a Matrix user id of the form @name:server", c.UserID))
	}
	if c.AccessToken == "" {
		p = append(p, "matrix.access_token: required (or set PEERBOT_MATRIX_ACCESS_TOKEN)")
	}
	if c.EncryptionOn() {
		if c.PickleKey == "" {
			p = append(p, "matrix.pickle_key: required when matrix.encryption is on (or set PEERBOT_MATRIX_PICKLE_KEY)")
		} else if c.PickleKey == "CHANGE-ME" || len(c.PickleKey) < 16 {
			p = append(p, "matrix.pickle_key: use a random secret of at least 16 characters")
		}
	}
	for i, inv := range c.AllowedInviters {
		if !validInviter(inv) {
			p = append(p, fmt.Sprintf("matrix.allowed_inviters[%d]: %q is neither a user id (@name:server) nor a server (:server)", i, inv))
		}
	}
	if c.FacilitatorPowerLevel != nil && *c.FacilitatorPowerLevel < 1 {
		p = append(p, fmt.Sprintf("matrix.facilitator_power_level: %d would make every member a facilitator; use 1 or more, or leave it out to use each room's kick level", *c.FacilitatorPowerLevel))
	}
	return p
}

// loopback reports whether host names this machine: localhost, or an
// address in 127.0.0.0/8 or ::1.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// splitUserID splits "@name:server" into its parts.
func splitUserID(s string) (local, server string, ok bool) {
	if !strings.HasPrefix(s, "@") {
		return "", "", false
	}
	local, server, ok = strings.Cut(s[1:], ":")
	return local, server, ok && local != "" && server != ""
}

func validUserID(s string) bool {
	local, server, ok := splitUserID(s)
	return ok && !strings.ContainsAny(local, " \t\n") && validServer(server)
}

func validServer(s string) bool {
	return s != "" && !strings.ContainsAny(s, " \t\n/@")
}

func validInviter(s string) bool {
	if strings.HasPrefix(s, ":") {
		return validServer(s[1:])
	}
	return validUserID(s)
}

// inviterAllowed reports whether user may invite the bot into a group room.
func (c *Config) inviterAllowed(user string) bool {
	_, server, ok := splitUserID(user)
	if !ok {
		return false
	}
	for _, inv := range c.AllowedInviters {
		if inv == user || (strings.HasPrefix(inv, ":") && inv[1:] == server) {
			return true
		}
	}
	return false
}
