package console

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
	"github.com/peerbot/peerbot/store"
)

var update = flag.Bool("update", false, "rewrite testdata/meeting.*.golden")

// meetingWords are a meeting's member words in one language.
type meetingWords struct {
	agreement   [3]string
	prompt      string
	good, late  string
	support     string
	privateWord string
}

var meetings = map[string]meetingWords{
	"de": {[3]string{"Sei freundlich, und zieh dich lieber zurück, als zu streiten.", "Was hier gesagt wird, bleibt hier.", "Du kannst immer passen."},
		"Wie kommst du heute an?", "eine gute Woche", "spät", "kann mir bitte jemand schreiben", "eine schwere Woche zu Hause"},
	"es": {[3]string{"Sé amable, y mejor retírate antes que discutir.", "Lo que se dice aquí se queda aquí.", "Siempre puedes pasar."},
		"¿Cómo llegas hoy?", "una buena semana", "tarde", "alguien me puede escribir", "una semana difícil en casa"},
	"fr": {[3]string{"Sois bienveillant·e, et prends du recul plutôt que de te disputer.", "Ce qui est dit ici reste ici.", "Tu peux toujours passer ton tour."},
		"Comment arrives-tu aujourd'hui ?", "une bonne semaine", "en retard", "quelqu'un peut m'écrire", "une semaine difficile à la maison"},
	"pt-BR": {[3]string{"Seja gentil, e prefira se afastar a discutir.", "O que é dito aqui fica aqui.", "Você sempre pode passar a vez."},
		"Como você está chegando hoje?", "uma semana boa", "atrasado", "alguém pode me escrever", "uma semana difícil em casa"},
}

// meetingScript is the whole meeting of cmd/peerbot's transcript
// (testdata/meeting.txt there), in a group whose facilitator first sets
// its language.
func meetingScript(code string, w meetingWords) string {
	return strings.Join([]string{
		"alice: !language " + code,
		"@j1 /join bob",
		"@j2 /join dave",
		"@a1 alice: !agreement set " + w.agreement[0] + "\\",
		w.agreement[1] + "\\",
		w.agreement[2],
		"@a2 bob: !agree",
		"@r1 alice: !round start 30 " + w.prompt,
		"@c1 bob: !checkin green " + w.good,
		"@c2 carol: !checkin red",
		"@s1 /dm carol !support " + w.support,
		"@c3 /dm dave checkin private amber " + w.privateWord,
		"@c4 erin: !pass",
		"@k1 /dm bob !crisis uk",
		"@k2 /dm erin crisis Atlantis",
		"@h1 /dm erin help",
		"@x1 frank: !round end",
		"@x2 frank: just chatting, not a command",
		"/clock +31m",
		"@c5 bob: !checkin amber " + w.late,
		"@l1 /dm carol language me",
		"@d1 /dm carol mydata",
		"@f1 /dm carol !forgetme",
		"@f2 /dm carol !forgetme confirm",
		"",
	}, "\n")
}

// TestMeetingInEachLanguage runs a whole meeting on the console in a group
// set to each language and compares it with testdata/meeting.<code>.golden
// (go test -update rewrites them after a deliberate change of texts;
// translators read them to see their words in place). Private words stay
// private, and no English message is left in the transcript.
func TestMeetingInEachLanguage(t *testing.T) {
	for _, l := range bot.Languages()[1:] {
		code := l.Code()
		t.Run(code, func(t *testing.T) {
			w, ok := meetings[code]
			if !ok {
				t.Fatalf("no meeting words for %s", code)
			}
			out := session(t, filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey(),
				time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC), meetingScript(code, w))
			golden := filepath.Join("testdata", "meeting."+code+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("transcript differs from %s (go test -update after a deliberate change):\n%s", golden, out)
			}

			// Private things stay where they belong.
			for text, place := range map[string]string{
				w.privateWord: "[facilitators] ",
				w.support:     "[facilitators] ",
				"116 123":     "[dm bob] ",
			} {
				seen := false
				for _, line := range strings.Split(out, "\n") {
					if strings.Contains(line, text) {
						seen = true
						if !strings.HasPrefix(line, place) {
							t.Errorf("%q appeared outside %s: %q", text, place, line)
						}
					}
				}
				if !seen {
					t.Errorf("%q never appeared", text)
				}
			}
			// Said in the group's language: the round, its summary, the
			// red note, crisis lines, help, the agreement.
			for _, key := range []string{"round.help", "round.summary.thanks", "red.note", "crisis.others", "help.title",
				"agreement.default.6", "agreed", "round.closed", "forget.done", "facilitators.only"} {
				if want := firstWords(l, key); !strings.Contains(out, want) {
					t.Errorf("the transcript lacks %s %q", key, want)
				}
			}
			// Nothing English is left: no English message whose words
			// differ from the translation appears.
			en := bot.Languages()[0]
			for _, key := range en.Keys() {
				words := firstWords(en, key)
				if len(words) < 24 || strings.HasPrefix(key, "cmd.") || strings.Contains(firstWords(l, key), words) {
					continue
				}
				if strings.Contains(out, words) {
					t.Errorf("English %s %q in the %s transcript", key, words, code)
				}
			}
		})
	}
}

// firstWords is the longest run of plain words at the start of a message:
// up to its first placeholder, command or bold mark.
func firstWords(l *bot.Lang, key string) string {
	s := strings.TrimPrefix(l.Raw(key), "**")
	if i := strings.IndexAny(s, "{*"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
