package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/peerbot/peerbot/bot/crisislines"
	"github.com/peerbot/peerbot/store"
)

func noEnv(string) string { return "" }

// TestExampleConfigLoads ensures config.example.yaml is a valid config that
// runs the console with the documented defaults (so it never goes stale).
func TestExampleConfigLoads(t *testing.T) {
	c, err := LoadConfig("../../config.example.yaml", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Path != DefaultDatabasePath || c.CommandPrefix != "!" || c.Defaults.Timezone != "UTC" || c.Log.Level != "info" {
		t.Errorf("example config = %+v, want the defaults", c)
	}
	if c.Matrix.Enabled() || c.Discord.Enabled() {
		t.Error("example config enables a platform; it should run the console")
	}
	if _, err := c.Directory(); err != nil {
		t.Errorf("example crisis lines: %v", err)
	}
}

// TestExampleDocumentsEveryKey ensures every key peerbot reads appears in
// config.example.yaml with a comment; keys of list entries (crisis_lines)
// are documented in the comment above their list.
func TestExampleDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	listKey := regexp.MustCompile(`(?m)^#\s+-?\s*([a-z_]+):`)
	var walk func(n *yaml.Node, path, comment string)
	walk = func(n *yaml.Node, path, comment string) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub := strings.TrimPrefix(path+"."+k.Value, ".")
			c := k.HeadComment + k.LineComment + v.LineComment
			if c != "" || comment != "" {
				documented[sub] = true
			}
			if v.Kind == yaml.SequenceNode {
				for _, m := range listKey.FindAllStringSubmatch(k.HeadComment, -1) {
					documented[sub+"[]."+m[1]] = true
				}
			}
			walk(v, sub, "")
		}
	}
	walk(root.Content[0], "", "")
	for _, key := range configKeys(reflect.TypeOf(Config{}), "") {
		if !documented[key] {
			t.Errorf("config.example.yaml does not document %s", key)
		}
	}
}

// configKeys lists every key path of a config type ("database.path",
// "crisis_lines[].country").
func configKeys(t reflect.Type, path string) []string {
	var keys []string
	for name, ft := range yamlFields(t) {
		sub := strings.TrimPrefix(path+"."+name, ".")
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct:
			keys = append(keys, configKeys(ft, sub)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			keys = append(keys, sub)
			keys = append(keys, configKeys(ft.Elem(), sub+"[]")...)
		default:
			keys = append(keys, sub)
		}
	}
	return keys
}

// TestConfigDefaults ensures an empty file means the documented defaults.
func TestConfigDefaults(t *testing.T) {
	for _, data := range []string{"", "# nothing\n", "database: {}\n"} {
		c, err := ParseConfig([]byte(data), noEnv)
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if !reflect.DeepEqual(c, DefaultConfig()) {
			t.Errorf("%q gives %+v, want the defaults %+v", data, c, DefaultConfig())
		}
	}
}

// TestConfigValues ensures set values are read and the country normalised.
func TestConfigValues(t *testing.T) {
	dir := t.TempDir()
	data := "database:\n  path: " + filepath.Join(dir, "x.db") + "\ncommand_prefix: \"?\"\ndefaults:\n  country: uk\n  timezone: Europe/London\n  language: pt_br\nlog:\n  level: debug\n"
	c, err := ParseConfig([]byte(data), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Path != filepath.Join(dir, "x.db") || c.CommandPrefix != "?" || c.Defaults.Country != "GB" ||
		c.Defaults.Timezone != "Europe/London" || c.Defaults.Language != "pt-BR" || c.Log.Level != "debug" {
		t.Errorf("config = %+v", c)
	}
}

// TestConfigProblems ensures each kind of mistake is reported with its key,
// and that all of a file's problems come in one error.
func TestConfigProblems(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string
	}{
		{"unknown top key", "databse:\n  path: x.db\n", []string{"databse: unknown key (line 1)"}},
		{"unknown nested key", "database:\n  paht: x.db\n", []string{"database.paht: unknown key (line 2)"}},
		{"unknown key in matrix", "matrix:\n  homeserver_url: https://m.org\n", []string{"matrix.homeserver_url: unknown key (line 2)"}},
		{"unknown key in a list entry", "crisis_lines:\n  - country: GB\n    phone: 123\n", []string{"crisis_lines[0].phone: unknown key (line 3)"}},
		{"wrong type", "discord:\n  shard_id: two\n", []string{"discord.shard_id: cannot unmarshal"}},
		{"bad country", "defaults:\n  country: Atlantis\n", []string{`defaults.country: "Atlantis" is not an ISO 3166-1 country code`}},
		{"bad timezone", "defaults:\n  timezone: Europe/Londn\n", []string{`defaults.timezone: unknown time zone "Europe/Londn"`}},
		{"local timezone", "defaults:\n  timezone: Local\n", []string{`defaults.timezone: "Local" depends on the machine`}},
		{"bad language", "defaults:\n  language: klingon\n", []string{`defaults.language: "klingon" is not a language peerbot speaks (en, de, es, fr, pt-BR)`}},
		{"bad level", "log:\n  level: loud\n", []string{`log.level: "loud" is not one of`}},
		{"prefix with letters", "command_prefix: bot\n", []string{"command_prefix: \"bot\" must be symbols only"}},
		{"prefix with space", "command_prefix: \"! \"\n", []string{"command_prefix:"}},
		{"prefix too long", "command_prefix: \"!!!!!!\"\n", []string{"command_prefix: \"!!!!!!\" is too long"}},
		{"missing folder", "database:\n  path: /no/such/folder/x.db\n", []string{`database.path: the folder "/no/such/folder" does not exist`}},
		{"crisis line without country", "crisis_lines:\n  - service: X\n    kind: phone\n    contact: \"116 123\"\n", []string{"crisis_lines[0].country: required"}},
		{"bad crisis line", "crisis_lines:\n  - country: GB\n    service: Local\n    kind: phone\n    contact: call us\n", []string{"crisis_lines[0] (Local):"}},
		{"matrix section checked when enabled", "matrix:\n  homeserver: https://m.example.org\n", []string{"matrix.user_id: required", "matrix.access_token: required"}},
		{"discord section checked when enabled", "discord:\n  token: abc\n", []string{"discord.application_id: required"}},
		{"not a mapping", "- a\n- b\n", []string{"must be a mapping"}},
		{"database url not postgres", "database:\n  url: mysql://db/x\n  secret_key: " + testKeyText + "\n", []string{"database.url: must start with postgres://"}},
		{"database url without database", "database:\n  url: postgres://peerbot@db.example.org\n  secret_key: " + testKeyText + "\n", []string{"database.url: names no database"}},
		{"database url without key", "database:\n  url: postgres://peerbot@db.example.org/peerbot\n", []string{"database.url: a PostgreSQL database needs its secret key"}},
		{"database path and url", "database:\n  path: x.db\n  url: postgres://peerbot@db.example.org/peerbot\n  secret_key: " + testKeyText + "\n", []string{"database.path and database.url (or PEERBOT_DATABASE_URL) are both set"}},
		{"not YAML", "database: [\n", []string{"not valid YAML"}},
		{
			"every problem at once",
			"databse: {}\ndefaults:\n  timezone: Mars/Base\n  country: Atlantis\nlog:\n  level: loud\n",
			[]string{"4 problems", "databse: unknown key", "defaults.timezone:", "defaults.country:", "log.level:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.data), noEnv)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestConfigSecretsFromEnv ensures secrets may come from the environment,
// and that a token there turns its platform on (and so is validated).
func TestConfigSecretsFromEnv(t *testing.T) {
	env := map[string]string{"PEERBOT_DISCORD_TOKEN": "tok", "PEERBOT_MATRIX_ACCESS_TOKEN": "mtok"}
	getenv := func(k string) string { return env[k] }
	data := "discord:\n  application_id: \"123\"\nmatrix:\n  homeserver: https://m.example.org\n  user_id: \"@bot:m.example.org\"\n  encryption: false\n"
	c, err := ParseConfig([]byte(data), getenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Discord.Token != "tok" || !c.Discord.Enabled() || c.Matrix.AccessToken != "mtok" {
		t.Errorf("secrets from env not applied: discord %+v matrix %+v", c.Discord, c.Matrix)
	}
	_, err = ParseConfig([]byte("discord: {}\n"), getenv)
	if err == nil || !strings.Contains(err.Error(), "discord.application_id") {
		t.Errorf("token from env without application_id: err = %v", err)
	}
}

// TestConfigErrorNamesFile ensures LoadConfig says which file is wrong.
func TestConfigErrorNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("log:\n  level: loud\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path, noEnv)
	if err == nil || !strings.HasPrefix(err.Error(), "config "+path+": log.level") {
		t.Errorf("err = %v", err)
	}
	if _, err := LoadConfig(filepath.Join(t.TempDir(), "missing.yaml"), noEnv); err == nil || !strings.Contains(err.Error(), "read config") {
		t.Errorf("missing file: err = %v", err)
	}
}

// TestConfigCrisisLines ensures operator lines are added to their country,
// or replace its built-in lines when marked replace.
func TestConfigCrisisLines(t *testing.T) {
	add := "crisis_lines:\n  - country: United Kingdom\n    service: Our Local Line\n    kind: phone\n    contact: \"0800 123 4567\"\n    source: https://example.org\n    verified: \"2026-01-31\"\n"
	c, err := ParseConfig([]byte(add), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	e, ok := d.Lookup("GB")
	if !ok {
		t.Fatal("no GB entry")
	}
	if !hasService(e.Lines, "Our Local Line") || len(e.Lines) < 2 {
		t.Errorf("added line: GB lines = %+v", e.Lines)
	}

	c, err = ParseConfig([]byte(add+"    replace: true\n"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if d, err = c.Directory(); err != nil {
		t.Fatal(err)
	}
	e, _ = d.Lookup("GB")
	if len(e.Lines) != 1 || e.Lines[0].Service != "Our Local Line" {
		t.Errorf("replacing line: GB lines = %+v, want only ours", e.Lines)
	}
}

func hasService(lines []crisislines.Line, service string) bool {
	for _, l := range lines {
		if l.Service == service {
			return true
		}
	}
	return false
}

// testKeyText is a valid secret key for config texts.
var testKeyText = store.EncodeKey(store.GenerateKey())

// database.url comes from the file or PEERBOT_DATABASE_URL; check-config
// names it without its password, and no message ever shows the password.
func TestConfigDatabaseURL(t *testing.T) {
	const secret = "s3cret-pw"
	env := map[string]string{
		"PEERBOT_DATABASE_URL": "postgres://peerbot:" + secret + "@db.example.org:5432/peerbot?sslmode=require",
		"PEERBOT_SECRET_KEY":   testKeyText,
	}
	cfg, err := ParseConfig([]byte("log:\n  level: info\n"), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.postgres() || cfg.Database.URL != env["PEERBOT_DATABASE_URL"] {
		t.Errorf("URL = %q; want the one from PEERBOT_DATABASE_URL", cfg.Database.URL)
	}
	if name := cfg.dbName(); strings.Contains(name, secret) || !strings.Contains(name, "db.example.org:5432/peerbot") {
		t.Errorf("dbName = %q; want the URL without its password", name)
	}
	file := filepath.Join(t.TempDir(), "pg.yaml")
	if err := os.WriteFile(file, []byte("database:\n  url: postgres://peerbot:"+secret+"@db.example.org/peerbot\n  secret_key: "+testKeyText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", nil, "check-config", "-config", file)
	if r.code != 0 || !strings.Contains(r.stdout, "database postgres://peerbot:xxxxx@db.example.org/peerbot)") || strings.Contains(r.stdout+r.stderr, secret) {
		t.Errorf("check-config: exit %d, stdout %q, stderr %q; want OK naming the URL without the password", r.code, r.stdout, r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("database:\n  url: postgres://peerbot:"+secret+"@/\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", nil, "check-config", "-config", bad)
	if r.code != 1 || strings.Contains(r.stdout+r.stderr, secret) || !strings.Contains(r.stderr, "database.url: names no host") {
		t.Errorf("bad URL: exit %d, stderr %q; want the problem, without the password", r.code, r.stderr)
	}
	for _, cmd := range []string{"backup", "restore"} {
		r = run(t, "", env, cmd, "out.db")
		if r.code == 0 || !strings.Contains(r.stderr, "pg_dump") || strings.Contains(r.stderr, secret) {
			t.Errorf("%s on PostgreSQL: exit %d, stderr %q; want a pointer to pg_dump/pg_restore", cmd, r.code, r.stderr)
		}
	}
}
