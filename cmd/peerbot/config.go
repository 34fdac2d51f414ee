package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/rs/zerolog"
	"gopkg.in/yaml.v3"

	"github.com/peerbot/peerbot/adapters/discord"
	"github.com/peerbot/peerbot/adapters/matrix"
	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/bot/crisislines"
	"github.com/peerbot/peerbot/store"
)

// Config is peerbot's configuration file (config.example.yaml documents
// every key). The key names are fixed: other tools rely on them.
type Config struct {
	Database struct {
		// Path is the SQLite database file (default ./peerbot.db).
		Path string `yaml:"path"`
		// URL, when set, is a PostgreSQL database (postgres://…; also
		// PEERBOT_DATABASE_URL) used instead of the SQLite file.
		URL string `yaml:"url"`
		// SecretKey is the key that encrypts check-in words (base64 or hex
		// of 32 bytes; also PEERBOT_SECRET_KEY). When empty, KeyFile holds it.
		SecretKey string `yaml:"secret_key"`
		// KeyFile holds the key when SecretKey is empty (default: the
		// database path plus ".key"; created, mode 0600, when missing).
		KeyFile string `yaml:"key_file"`
	} `yaml:"database"`
	// CommandPrefix starts text commands (default "!").
	CommandPrefix string `yaml:"command_prefix"`
	Defaults      struct {
		// Country is the ISO 3166-1 code whose crisis lines are shown when
		// neither the member nor the group chose one ("" = none: the
		// international directories).
		Country string `yaml:"country"`
		// Timezone is the IANA zone of groups that set none (default UTC).
		Timezone string `yaml:"timezone"`
		// Language is the language of groups that chose none (!language),
		// one of bot.LanguageCodes (default "en").
		Language string `yaml:"language"`
	} `yaml:"defaults"`
	Retention struct {
		// Days is how long members' check-in words are kept (default 30);
		// see store.PurgeWords.
		Days int `yaml:"days"`
	} `yaml:"retention"`
	Log struct {
		// Level is a zerolog level name (default info).
		Level string `yaml:"level"`
	} `yaml:"log"`
	HTTP struct {
		// Listen is the address serving /healthz, /readyz and /metrics
		// ("" = off; httpserve.go).
		Listen string `yaml:"listen"`
	} `yaml:"http"`
	// CrisisLines are the operator's own crisis lines, added to the
	// embedded directory or replacing a country's lines.
	CrisisLines []CrisisLine   `yaml:"crisis_lines"`
	Matrix      matrix.Config  `yaml:"matrix"`
	Discord     discord.Config `yaml:"discord"`
}

// CrisisLine is one operator-supplied crisis line (see crisislines.Line).
type CrisisLine struct {
	Country      string `yaml:"country"`
	Service      string `yaml:"service"`
	Kind         string `yaml:"kind"`
	Contact      string `yaml:"contact"`
	Hours        string `yaml:"hours"`
	Languages    string `yaml:"languages"`
	Audience     string `yaml:"audience"`
	Free         bool   `yaml:"free"`
	Confidential bool   `yaml:"confidential"`
	Source       string `yaml:"source"`
	Verified     string `yaml:"verified"`
	// Replace drops the embedded lines of this line's country: only the
	// configured lines of that country are shown.
	Replace bool `yaml:"replace"`
}

// Defaults used when the file leaves a key out.
const (
	DefaultDatabasePath  = "./peerbot.db"
	DefaultPrefix        = "!"
	DefaultTimezone      = "UTC"
	DefaultLogLevel      = "info"
	DefaultRetentionDays = 30
)

// ConfigError lists every problem found in a config file, each naming its
// key ("defaults.timezone: unknown time zone \"Europe/Londn\"").
type ConfigError struct {
	File     string
	Problems []string
}

func (e *ConfigError) Error() string {
	s := "config"
	if e.File != "" {
		s += " " + e.File
	}
	if len(e.Problems) == 1 {
		return s + ": " + e.Problems[0]
	}
	return fmt.Sprintf("%s: %d problems:\n  %s", s, len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// DefaultConfig returns the configuration used when there is no file.
func DefaultConfig() *Config {
	c := &Config{}
	c.applyDefaults()
	return c
}

// LoadConfig reads the file at path, fills secrets from getenv (the
// adapters' PEERBOT_… variables), applies defaults and validates. It returns
// a *ConfigError naming every problem, or an error when the file cannot be
// read.
func LoadConfig(path string, getenv func(string) string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c, err := ParseConfig(data, getenv)
	var ce *ConfigError
	if errors.As(err, &ce) {
		ce.File = path
	}
	return c, err
}

// ParseConfig is LoadConfig on the file's contents.
func ParseConfig(data []byte, getenv func(string) string) (*Config, error) {
	c := &Config{}
	problems, err := decodeStrict(data, c)
	if err != nil {
		return nil, &ConfigError{Problems: []string{err.Error()}}
	}
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if v := getenv("PEERBOT_SECRET_KEY"); v != "" && c.Database.SecretKey == "" {
		c.Database.SecretKey = v
	}
	if v := getenv("PEERBOT_DATABASE_URL"); v != "" && c.Database.URL == "" {
		c.Database.URL = v
	}
	pathSet := c.Database.Path != ""
	c.Matrix.ApplyEnv(getenv)
	c.Discord.ApplyEnv(getenv)
	c.applyDefaults()
	problems = append(problems, c.validate()...)
	if pathSet && c.Database.URL != "" {
		problems = append(problems, "database.path and database.url (or PEERBOT_DATABASE_URL) are both set: use one (path for SQLite, url for PostgreSQL)")
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	return c, nil
}

// decodeStrict decodes YAML into c, refusing keys c does not have. It
// returns one problem per unknown key or mistyped value, each with its key
// path, or an error when data is not YAML at all.
func decodeStrict(data []byte, c *Config) ([]string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, nil // an empty file: all defaults
	}
	if doc := root.Content[0]; doc.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: the file must be a mapping of keys (like database: and log:)", doc.Line)
	}
	w := &keyWalker{lines: map[int]string{}}
	w.walk(root.Content[0], typeOf(c), "")
	problems := w.unknown

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(c)
	var te *yaml.TypeError
	switch {
	case err == nil, errors.Is(err, io.EOF):
	case errors.As(err, &te):
		for _, msg := range te.Errors {
			if strings.Contains(msg, "not found in type") {
				continue // reported by the walker, with its full key
			}
			problems = append(problems, w.withKey(msg))
		}
	default:
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	return problems, nil
}

func (c *Config) applyDefaults() {
	if c.Database.Path == "" {
		c.Database.Path = DefaultDatabasePath
	}
	if c.CommandPrefix == "" {
		c.CommandPrefix = DefaultPrefix
	}
	if c.Defaults.Timezone == "" {
		c.Defaults.Timezone = DefaultTimezone
	}
	if c.Log.Level == "" {
		c.Log.Level = DefaultLogLevel
	}
	if c.Retention.Days == 0 {
		c.Retention.Days = DefaultRetentionDays
	}
	// The adapters' own defaults, for the sections that are on.
	if c.Matrix.Enabled() {
		applyDefaults(&c.Matrix)
	}
	if c.Discord.Enabled() {
		applyDefaults(&c.Discord)
	}
}

// applyDefaults calls the section's ApplyDefaults where it has one.
func applyDefaults(section any) {
	if d, ok := section.(interface{ ApplyDefaults() }); ok {
		d.ApplyDefaults()
	}
}

// validate returns every problem, each naming its key. It normalises
// defaults.country to its ISO code.
func (c *Config) validate() []string {
	var p []string
	if c.Database.URL != "" {
		p = append(p, checkDatabaseURL(c.Database.URL)...)
		if c.Database.SecretKey == "" && c.Database.KeyFile == "" {
			p = append(p, "database.url: a PostgreSQL database needs its secret key in database.secret_key (or PEERBOT_SECRET_KEY), or a database.key_file")
		}
	} else if dir := filepath.Dir(c.Database.Path); dir != "." {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			p = append(p, fmt.Sprintf("database.path: the folder %q does not exist", dir))
		}
	}
	if strings.ContainsAny(c.Database.Path, "?#") {
		p = append(p, "database.path: must not contain ? or #")
	}
	if c.Database.SecretKey != "" {
		if _, err := store.ParseKey(c.Database.SecretKey); err != nil {
			p = append(p, "database.secret_key: "+err.Error())
		}
	}
	if msg := checkPrefix(c.CommandPrefix); msg != "" {
		p = append(p, "command_prefix: "+msg)
	}
	if c.Defaults.Country != "" {
		if cc, ok := crisislines.ParseCountry(c.Defaults.Country); ok {
			c.Defaults.Country = cc.Code
		} else {
			p = append(p, fmt.Sprintf("defaults.country: %q is not an ISO 3166-1 country code (such as GB, US, DE)", c.Defaults.Country))
		}
	}
	if c.Defaults.Timezone == "Local" {
		p = append(p, `defaults.timezone: "Local" depends on the machine; use an IANA name such as Europe/London`)
	} else if _, err := time.LoadLocation(c.Defaults.Timezone); err != nil {
		p = append(p, fmt.Sprintf("defaults.timezone: unknown time zone %q (use an IANA name such as Europe/London)", c.Defaults.Timezone))
	}
	if c.Defaults.Language != "" {
		if l, ok := bot.LanguageOf(c.Defaults.Language); ok {
			c.Defaults.Language = l.Code()
		} else {
			p = append(p, fmt.Sprintf("defaults.language: %q is not a language peerbot speaks (%s)", c.Defaults.Language, strings.Join(bot.LanguageCodes(), ", ")))
		}
	}
	if c.Retention.Days < 1 || c.Retention.Days > 3650 {
		p = append(p, fmt.Sprintf("retention.days: %d is not a number of days from 1 to 3650", c.Retention.Days))
	}
	if _, err := zerolog.ParseLevel(c.Log.Level); err != nil {
		p = append(p, fmt.Sprintf("log.level: %q is not one of trace, debug, info, warn, error, disabled", c.Log.Level))
	}
	p = append(p, c.validateCrisisLines()...)
	p = append(p, c.validateHTTP()...)
	if c.Matrix.Enabled() {
		p = append(p, c.Matrix.Validate()...)
	}
	if c.Discord.Enabled() {
		p = append(p, c.Discord.Validate()...)
	}
	return p
}

// checkPrefix says what is wrong with a command prefix, or "".
func checkPrefix(s string) string {
	if len([]rune(s)) > 5 {
		return fmt.Sprintf("%q is too long (at most 5 characters)", s)
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsControl(r) {
			return fmt.Sprintf("%q must be symbols only, such as ! or ?, without letters, digits or spaces", s)
		}
	}
	return ""
}

// checkDatabaseURL returns the problems of database.url. Its messages never
// quote the URL, which may hold a password.
func checkDatabaseURL(v string) []string {
	if !store.IsPostgresURL(v) {
		return []string{"database.url: must start with postgres:// or postgresql:// (for a SQLite file use database.path)"}
	}
	u, err := url.Parse(v)
	if err != nil {
		return []string{"database.url: not a valid URL (a password with special characters must be percent-encoded)"}
	}
	var p []string
	if u.Hostname() == "" && u.Query().Get("host") == "" {
		p = append(p, "database.url: names no host (postgres://USER:PASSWORD@HOST:5432/DATABASE)")
	}
	if strings.Trim(u.Path, "/") == "" {
		p = append(p, "database.url: names no database (postgres://USER:PASSWORD@HOST:5432/DATABASE)")
	}
	return p
}

// postgres reports whether the database is PostgreSQL (database.url).
func (c *Config) postgres() bool { return c.Database.URL != "" }

// dbName names the database for messages and logs: the SQLite path, or the
// PostgreSQL URL without its password.
func (c *Config) dbName() string {
	if c.postgres() {
		return store.RedactURL(c.Database.URL)
	}
	return c.Database.Path
}

// dbLocation is what store.OpenURL opens: the URL, or the SQLite path.
func (c *Config) dbLocation() string {
	if c.postgres() {
		return c.Database.URL
	}
	return c.Database.Path
}

// setDB applies a -db flag: a postgres:// URL or a SQLite path.
func (c *Config) setDB(v string) {
	if store.IsPostgresURL(v) {
		c.Database.URL = v
		return
	}
	c.Database.Path, c.Database.URL = v, ""
}
