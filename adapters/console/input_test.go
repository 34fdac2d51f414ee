package console

import (
	"strings"
	"testing"
	"time"
)

// TestParseInput ensures every documented input line parses to what it says,
// and that lines which are not understood get a hint instead of an event.
func TestParseInput(t *testing.T) {
	at := time.Date(2030, 1, 7, 19, 0, 0, 0, time.UTC)
	tests := []struct {
		line    string
		want    input
		wantErr string // substring of the hint
	}{
		{line: "", want: input{Kind: inSkip}},
		{line: "   \t", want: input{Kind: inSkip}},
		{line: "# a comment: with colon", want: input{Kind: inSkip}},
		{line: "  # indented comment", want: input{Kind: inSkip}},
		{line: "alice: !checkin green", want: input{Kind: inSay, Name: "alice", Text: "!checkin green"}},
		{line: "alice:!pass", want: input{Kind: inSay, Name: "alice", Text: "!pass"}},
		{line: "Zoë: hello there: all", want: input{Kind: inSay, Name: "Zoë", Text: "hello there: all"}},
		{line: "alice: !checkin amber tired\r", want: input{Kind: inSay, Name: "alice", Text: "!checkin amber tired"}},
		{line: "bob:", want: input{Kind: inSay, Name: "bob", Text: ""}},
		{line: "/dm alice !crisis uk", want: input{Kind: inDM, Name: "alice", Text: "!crisis uk"}},
		{line: "/dm alice crisis", want: input{Kind: inDM, Name: "alice", Text: "crisis"}},
		{line: "/DM alice  support  please ", want: input{Kind: inDM, Name: "alice", Text: "support  please"}},
		{line: "/join bob", want: input{Kind: inJoin, Name: "bob"}},
		{line: "/leave bob", want: input{Kind: inLeave, Name: "bob"}},
		{line: "/facilitator carol", want: input{Kind: inFacilitator, Name: "carol"}},
		{line: "/clock +31m", want: input{Kind: inClock, Advance: 31 * time.Minute}},
		{line: "/clock +1h30m", want: input{Kind: inClock, Advance: 90 * time.Minute}},
		{line: "/clock +2d", want: input{Kind: inClock, Advance: 48 * time.Hour}},
		{line: "/clock +1d2h", want: input{Kind: inClock, Advance: 26 * time.Hour}},
		{line: "/clock 2030-01-07T19:00:00Z", want: input{Kind: inClock, At: at}},
		{line: "/help", want: input{Kind: inHelp}},
		{line: "/quit", want: input{Kind: inQuit}},
		{line: "@c17 alice: !checkin red", want: input{Kind: inSay, ID: "c17", Name: "alice", Text: "!checkin red"}},
		{line: "@j1 /join bob", want: input{Kind: inJoin, ID: "j1", Name: "bob"}},
		{line: "@d2 /dm bob !mydata", want: input{Kind: inDM, ID: "d2", Name: "bob", Text: "!mydata"}},

		{line: "hello everyone", wantErr: "not understood"},
		{line: "mary ann: hi", wantErr: "not understood"},
		{line: ": hi", wantErr: "not understood"},
		{line: "/dm alice", wantErr: "/dm needs a name and a message"},
		{line: "/dm", wantErr: "/dm needs"},
		{line: "/join", wantErr: "/join needs one name"},
		{line: "/join bob carol", wantErr: "/join needs one name"},
		{line: "/facilitator", wantErr: "/facilitator needs one name"},
		{line: "/clock 31m", wantErr: "/clock needs"},
		{line: "/clock +0m", wantErr: "/clock needs"},
		{line: "/clock +-5m", wantErr: "/clock needs"},
		{line: "/clock +xd", wantErr: "/clock needs"},
		{line: "/clock", wantErr: "/clock needs"},
		{line: "/frobnicate", wantErr: "unknown console command /frobnicate"},
		{line: "@ alice: hi", wantErr: "@ID prefix"},
		{line: "@c1", wantErr: "@ID prefix"},
	}
	for _, tt := range tests {
		got, err := parseInput(tt.line)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseInput(%q) error = %v, want one containing %q", tt.line, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseInput(%q): %v", tt.line, err)
			continue
		}
		if !got.At.Equal(tt.want.At) {
			t.Errorf("parseInput(%q).At = %v, want %v", tt.line, got.At, tt.want.At)
		}
		got.At, tt.want.At = time.Time{}, time.Time{}
		if got != tt.want {
			t.Errorf("parseInput(%q) = %+v, want %+v", tt.line, got, tt.want)
		}
	}
}

// TestParseInputHintsAreOneLine ensures every hint fits on one stderr line.
func TestParseInputHintsAreOneLine(t *testing.T) {
	for _, line := range []string{"x", "/x", "/dm", "/join", "/clock", "@", "@a"} {
		_, err := parseInput(line)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("parseInput(%q) hint = %v, want one line", line, err)
		}
	}
}
