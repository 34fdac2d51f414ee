package discord

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

// Validate returns every problem with the section, each naming its key
// ("discord.application_id: …"). It is only called when Enabled.
func (c *Config) Validate() []string {
	var p []string
	if c.ApplicationID == "" {
		p = append(p, "discord.application_id: required when discord.token is set")
	}
	return p
}
