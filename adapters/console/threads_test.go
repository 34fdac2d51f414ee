package console

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/store"
)

// threadsScript is the console walkthrough of answering through the bot
// and of the group's toolbox (issue 15), as the README shows it.
const threadsScript = `/join bob
/join carol
alice: !agreement
/dm bob !support rough day, could someone write to me
/dm alice !reply 1 I'm here, bob. Would a chat this evening help?
/dm bob !reply yes please, after 8
carol: !reply 1 what happened?
/dm alice !done 1
/dm bob !reply thanks
/dm carol !tip add Holding something cold and counting my breaths
/dm bob !tip
/dm alice !tip review
/dm alice !tip approve 1
/dm bob !tip
/dm alice !tip starter on
/dm bob !tip
/dm bob !tip
/dm carol !tip add something the group should not see
/dm alice !tip review
/dm alice !tip decline 7
/dm bob !mydata
`

// TestThreadsAndToolboxTranscript runs the walkthrough through the real
// core and compares it with testdata/threads.golden (go test -update
// rewrites it), and checks what must hold whatever the words: nothing of a
// thread or an unreviewed tip in the group, and a member's !reply never
// reaching another member.
func TestThreadsAndToolboxTranscript(t *testing.T) {
	start := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	out := session(t, filepath.Join(t.TempDir(), "peerbot.db"), store.GenerateKey(), start, threadsScript)
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "[group]") {
			continue
		}
		for _, w := range []string{"rough day", "chat this evening", "after 8", "what happened", "cold", "should not see"} {
			if strings.Contains(l, w) {
				t.Errorf("in the group: %q", l)
			}
		}
	}
	if strings.Contains(out, "[dm bob] what happened") || strings.Contains(out, "should not see") && strings.Contains(out, "[dm bob] something the group") {
		t.Errorf("carol's words reached bob:\n%s", out)
	}
	golden := filepath.Join("testdata", "threads.golden")
	if *update {
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
}
