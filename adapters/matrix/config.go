package matrix

// Config is the `matrix:` section of peerbot's config file. Matrix runs when
// Homeserver is set. See config.example.yaml for each key.
type Config struct {
	Homeserver            string   `yaml:"homeserver"`
	UserID                string   `yaml:"user_id"`
	AccessToken           string   `yaml:"access_token"` // also PEERBOT_MATRIX_ACCESS_TOKEN
	DeviceID              string   `yaml:"device_id"`
	Encryption            *bool    `yaml:"encryption"` // default true
	PickleKey             string   `yaml:"pickle_key"` // also PEERBOT_MATRIX_PICKLE_KEY
	AllowedInviters       []string `yaml:"allowed_inviters"`
	FacilitatorPowerLevel *int     `yaml:"facilitator_power_level"` // default: the room's kick level
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
}

// Validate returns every problem with the section, each naming its key
// ("matrix.user_id: …"). It is only called when Enabled.
func (c *Config) Validate() []string {
	var p []string
	if c.UserID == "" {
		p = append(p, "matrix.user_id: required when matrix.homeserver is set")
	}
	if c.AccessToken == "" {
		p = append(p, "matrix.access_token: required (or set PEERBOT_MATRIX_ACCESS_TOKEN)")
	}
	return p
}
