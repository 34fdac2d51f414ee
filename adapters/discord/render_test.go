package discord

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/peerbot/peerbot/bot"
)

// TestRender ensures the bot's own markup becomes Discord markdown and
// every piece of member text stays literal.
func TestRender(t *testing.T) {
	tests := []struct {
		name string
		in   bot.Text
		want string
	}{
		{"plain", bot.T("How are you arriving today?"), "How are you arriving today?"},
		{"bold keeps spaces outside", bot.T("").B(" Check-in round ").P(":"), " **Check-in round** :"},
		{"italic", bot.T("").I("passing is fine"), "*passing is fine*"},
		{"code", bot.T("Send ").C("/checkin amber"), "Send `/checkin amber`"},
		{"code with backtick", bot.T("").C("a`b"), "`` a`b ``"},
		{"cmd gets discord prefix", bot.T("").Cmd("agree"), "`/agree`"},
		{"spoiler", bot.T("").Add(bot.Text{{Style: bot.Spoiler, Text: "heavy"}}), "||heavy||"},
		{"link with label", bot.T("").Link("Find a helpline", "https://findahelpline.com"), "[Find a helpline](<https://findahelpline.com>)"},
		{"bare link", bot.T("").Link("https://befrienders.org", "https://befrienders.org"), "<https://befrienders.org>"},
		{"list lines", bot.T("• one").NL().P("• two"), "• one\n• two"},
		{"user everyone", bot.T("").U("@everyone hi"), "@\u200beveryone hi"},
		{"user here", bot.T("").U("@here"), "@\u200bhere"},
		{"user role mention", bot.T("").U("<@&123>"), "\\<@\u200b&123\\>"},
		{"user member mention", bot.T("").U("<@456>"), "\\<@\u200b456\\>"},
		{"user channel mention", bot.T("").U("<#789>"), "\\<\\#789\\>"},
		{"user bold", bot.T("").U("**loud**"), "\\*\\*loud\\*\\*"},
		{"user spoiler and strike", bot.T("").U("||x|| ~~y~~"), "\\|\\|x\\|\\| \\~\\~y\\~\\~"},
		{"user underscore", bot.T("").U("__u__"), "\\_\\_u\\_\\_"},
		{"user code", bot.T("").U("`rm`"), "\\`rm\\`"},
		{"user masked link", bot.T("").U("[click](https://evil.example)"), "\\[click\\]\\(https\\://evil\\.example\\)"},
		{"user bare url", bot.T("").U("https://evil.example/x"), "https\\://evil\\.example/x"},
		{"user heading and quote", bot.T("").U("# big\n> quote\n- item"), "\\# big\n\\> quote\n\\- item"},
		{"user numbered list", bot.T("").U("1. first"), "1\\. first"},
		{"user timestamp and emoji", bot.T("").U("<t:0> <:e:1>"), "\\<t\\:0\\> \\<\\:e\\:1\\>"},
		{"user backslash", bot.T("").U(`\*`), `\\\*`},
		{"user newlines kept, CR dropped", bot.T("").U("a\r\nb"), "a\nb"},
		{"user unicode kept", bot.T("").U("tired 😔 but here"), "tired 😔 but here"},
		{"name in bot text", bot.T("Welcome, ").U("Sam_*").P("."), "Welcome, Sam\\_\\*."},
		{"words behind a spoiler, warning first", bot.T("").Hidden("hard day", "a member's own words"),
			"[cw: a member's own words] ||hard day||"},
		{"spoiler cannot be closed early", bot.T("").Hidden("a || b |", "cw"), "[cw: cw] ||a \\|\\| b \\|||"},
		{"spoiler words stay literal", bot.T("").Hidden("@everyone <@123> **x** https://e.example [l](https://e.example)", "w"),
			"[cw: w] ||@\u200beveryone \\<@\u200b123\\> \\*\\*x\\*\\* https\\://e\\.example \\[l\\]\\(https\\://e\\.example\\)||"},
		{"spoiler per line", bot.T("They wrote:").NL().Hidden("one\r\n\n  two  ", "w"), "They wrote:\n[cw: w] ||one||\n\n||two||"},
		{"spoiler without warning", bot.T("").Hidden("x", ""), "||x||"},
		{"empty spoiler shows nothing", bot.T("").Hidden(" ", "w"), "[cw: w] "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(tt.in); got != tt.want {
				t.Errorf("render = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRenderFacilitatorCommands ensures the bot's texts name commands as
// Discord runs them: a facilitators' command under /facilitator, whether
// the core localised it already (a code span "/round start") or not;
// members' commands, and code that is no command, as they are.
func TestRenderFacilitatorCommands(t *testing.T) {
	rd := renderer{slash: newSlashSet(bot.CommandTable()).line}
	for in, want := range map[string]string{
		"/round start":                 "`/facilitator round start`",
		"/round status":                "`/round status`",
		"/round":                       "`/round`",
		"/agreement set Be kind.":      "`/facilitator agreement set Be kind.`",
		"/agreement":                   "`/agreement`",
		"/schedule remove 2":           "`/facilitator schedule remove 2`",
		"/schedule":                    "`/facilitator schedule`",
		"/timezone Europe/London":      "`/facilitator timezone Europe/London`",
		"/timezone":                    "`/timezone`",
		"/crisis default gb":           "`/facilitator crisis default gb`",
		"/crisis country <country>":    "`/crisis country <country>`",
		"/facilitators here":           "`/facilitator facilitators here`",
		"/signpost":                    "`/facilitator signpost`",
		"/help round":                  "`/help round`",
		"/checkin green, amber or red": "`/checkin green, amber or red`",
		"/nonsense":                    "`/nonsense`",
		"round start":                  "`round start`",
	} {
		if got := rd.render(bot.T("").C(in)); got != want {
			t.Errorf("code %q became %s, want %s", in, got, want)
		}
	}
	if got := rd.render(bot.T("").Cmd("round end")); got != "`/facilitator round end`" {
		t.Errorf("Cmd round end became %s", got)
	}
	if got := render(bot.T("").C("/round start")); got != "`/round start`" {
		t.Errorf("without a command set: %s", got)
	}
}

// mention matches what Discord would show as a mention.
var mention = regexp.MustCompile(`@everyone|@here|(^|[^\\])<@[!&]?[0-9]`)

// TestEscapeUserNeverFormsMention ensures no escaped text contains a
// mention or an unescaped markdown character, whatever the input.
func TestEscapeUserNeverFormsMention(t *testing.T) {
	inputs := []string{"@everyone", "@@here", "<@!1>", "<@&2>", "a@b", "\\@everyone", "@\u200beveryone", "*_~`|"}
	for _, in := range inputs {
		out := escapeUser(in)
		if mention.MatchString(out) {
			t.Errorf("escapeUser(%q) = %q contains a mention", in, out)
		}
		for i := 0; i < len(out); i++ {
			if strings.ContainsRune("*_~`|<>", rune(out[i])) && (i == 0 || out[i-1] != '\\') {
				t.Errorf("escapeUser(%q) = %q has an unescaped %q at %d", in, out, out[i], i)
			}
		}
	}
}

// TestSpoilerHoldsAnyWords ensures that whatever a member wrote, their
// words rendered behind a spoiler stay inside it, line by line: every
// non-empty line is one spoiler, opened at its start and closed at its
// end, with no "|" of the member's unescaped in between and no mention;
// the content warning comes first.
func TestSpoilerHoldsAnyWords(t *testing.T) {
	inputs := []string{"||", "|||", "a||b||c", "\\||", "\\", "x\\", "||@everyone||", "`||`", "||\n||", "> ||x", "@here\n@everyone",
		"<@&1> <#2> <t:0>", "**||**", "# || #", "\\\\||", "tired 😔 || still here"}
	for _, in := range inputs {
		out := render(bot.T("").Hidden(in, "a member's own words"))
		body, ok := strings.CutPrefix(out, "[cw: a member's own words] ")
		if !ok {
			t.Errorf("render(%q) = %q: the warning does not come first", in, out)
			continue
		}
		if mention.MatchString(body) {
			t.Errorf("render(%q) = %q contains a mention", in, out)
		}
		for _, line := range strings.Split(body, "\n") {
			if line == "" {
				continue
			}
			inner, opened := strings.CutPrefix(line, "||")
			inner, closed := strings.CutSuffix(inner, "||")
			if !opened || !closed || inner == "" {
				t.Errorf("render(%q): line %q is not one spoiler", in, line)
				continue
			}
			for i := 0; i < len(inner); i++ {
				if inner[i] == '\\' {
					i++ // an escape and the character it escapes
					continue
				}
				if inner[i] == '|' {
					t.Errorf("render(%q): line %q has an unescaped | at %d", in, line, i+2)
				}
			}
		}
	}
}

// TestSplitContent ensures long texts become messages within Discord's
// 2000 characters, cut at line breaks and never inside an escape.
func TestSplitContent(t *testing.T) {
	line := strings.Repeat("word ", 30) + "\n" // 151 characters
	long := strings.Repeat(line, 30)           // 4530 characters
	parts := splitContent(long)
	if len(parts) != 3 {
		t.Fatalf("got %d parts, want 3", len(parts))
	}
	if got := strings.Join(parts, "\n"); got != strings.TrimRight(long, "\n") {
		t.Errorf("parts do not join back to the text")
	}
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > maxContent {
			t.Errorf("part %d has %d characters", i, n)
		}
	}
	escapes := escapeUser(strings.Repeat("*", 1500)) // 3000 characters, no line breaks
	for i, p := range splitContent(escapes) {
		if strings.Count(p, "\\")%2 != 0 || strings.HasSuffix(p, "\\") {
			t.Errorf("part %d cuts an escape", i)
		}
	}
	if got := truncate(long); utf8.RuneCountInString(got) > maxContent || !strings.HasSuffix(got, "…") {
		t.Errorf("truncate gave %d characters, ending %q", utf8.RuneCountInString(got), got[len(got)-5:])
	}
	if got := truncate("short"); got != "short" {
		t.Errorf("truncate(short) = %q", got)
	}
}
