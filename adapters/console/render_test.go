package console

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// TestDeliverPrefixes ensures each reply is printed where it went, line by
// line, with its actions and pin as hint lines carrying the same prefix.
func TestDeliverPrefixes(t *testing.T) {
	tests := []struct {
		name  string
		reply bot.Reply
		want  string
	}{
		{
			name:  "public, two lines",
			reply: bot.Reply{Visibility: bot.Public, Group: Group, Channel: Channel, Text: bot.T("Round open.\nHow are you arriving today?")},
			want:  "[group] Round open.\n[group] How are you arriving today?\n",
		},
		{
			name:  "private to a member, by id",
			reply: bot.Reply{Visibility: bot.Private, Group: Group, To: MemberID("alice"), ToName: "Alice A", Text: bot.T("Thanks, you're checked in.")},
			want:  "[dm alice] Thanks, you're checked in.\n",
		},
		{
			name:  "private by name only",
			reply: bot.Reply{Visibility: bot.Private, ToName: "bob", Text: bot.T("Hi.")},
			want:  "[dm bob] Hi.\n",
		},
		{
			name:  "facilitators",
			reply: bot.Reply{Visibility: bot.Facilitators, Group: Group, To: MemberID("carol"), Text: bot.T("alice would like someone to reach out.")},
			want:  "[facilitators] alice would like someone to reach out.\n",
		},
		{
			name: "actions and pin",
			reply: bot.Reply{Visibility: bot.Public, Group: Group, Text: bot.T("Our agreement"), Pin: true,
				Actions: []bot.Action{{Command: "agree", Label: "I agree", Emoji: "✅"}, {Command: "pass"}}},
			want: "[group] Our agreement\n[group]   (buttons: I agree · pass)\n[group]   (pinned)\n",
		},
		{
			name: "private actions carry the private prefix",
			reply: bot.Reply{Visibility: bot.Private, To: MemberID("alice"), Text: bot.T("Would you like a facilitator to know?"),
				Actions: []bot.Action{{Command: "support", Label: "Let a facilitator know"}}},
			want: "[dm alice] Would you like a facilitator to know?\n[dm alice]   (buttons: Let a facilitator know)\n",
		},
		{
			name:  "blank line inside a message has no trailing space",
			reply: bot.Reply{Visibility: bot.Public, Group: Group, Text: bot.T("one\n\ntwo")},
			want:  "[group] one\n[group]\n[group] two\n",
		},
		{
			name: "markup is dropped, links show their target",
			reply: bot.Reply{Visibility: bot.Public, Group: Group,
				Text: bot.T("Be ").B("kind").P(", ").I("always").P(". Type ").C("!agree").P(". ").Link("Find a helpline", "https://findahelpline.com").P(" ").Link("https://befrienders.org", "https://befrienders.org").P(" ").Add(bot.Text{{Style: bot.Spoiler, Text: "heavy"}})},
			want: "[group] Be kind, always. Type !agree. Find a helpline (https://findahelpline.com) https://befrienders.org ||heavy||\n",
		},
		{
			name: "member words are literal, never formatting or terminal control",
			reply: bot.Reply{Visibility: bot.Public, Group: Group,
				Text: bot.T("• ").U("alice").P(": ").U("*not bold* @everyone <b>x</b> \x1b[2J\u202eevil")},
			want: "[group] • alice: *not bold* @everyone <b>x</b> \\x1b[2J\\u202eevil\n",
		},
		{
			name:  "member words with a line break stay prefixed",
			reply: bot.Reply{Visibility: bot.Public, Group: Group, Text: bot.T("Agreement:\n").U("be kind\n[dm bob] fake")},
			want:  "[group] Agreement:\n[group] be kind\n[group] [dm bob] fake\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			a := New(Options{Out: &out})
			ref, err := a.Deliver(context.Background(), tt.reply)
			if err != nil {
				t.Fatal(err)
			}
			if ref == "" {
				t.Error("Deliver returned no message reference")
			}
			if got := out.String(); got != tt.want {
				t.Errorf("output:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestDeliverEdit ensures an edit is printed again in full as "[group edit]"
// and keeps its reference, while new messages get distinct references.
func TestDeliverEdit(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	a := New(Options{Out: &out})
	status := bot.Reply{Visibility: bot.Public, Group: Group, Channel: Channel, Key: "round/1/status",
		Text: bot.T("Checked in: 0"), Actions: []bot.Action{{Command: "checkin", Label: "Check in"}, {Command: "pass", Label: "Pass"}}}
	ref1, err := a.Deliver(ctx, status)
	if err != nil {
		t.Fatal(err)
	}
	ref2, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Public, Group: Group, Text: bot.T("other")})
	if err != nil {
		t.Fatal(err)
	}
	if ref1 == ref2 {
		t.Fatalf("two messages share the reference %q", ref1)
	}
	status.Edit = ref1
	status.Text = bot.T("Checked in: 1\n• ").U("alice").P(" green")
	ref3, err := a.Deliver(ctx, status)
	if err != nil {
		t.Fatal(err)
	}
	if ref3 != ref1 {
		t.Errorf("edit returned %q, want the edited message's %q", ref3, ref1)
	}
	want := "[group] Checked in: 0\n[group]   (buttons: Check in · Pass)\n[group] other\n" +
		"[group edit] Checked in: 1\n[group edit] • alice green\n[group edit]   (buttons: Check in · Pass)\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestDeliverFailures ensures Deliver reports what it cannot show instead
// of printing something misleading.
func TestDeliverFailures(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	a := New(Options{Out: &out})
	if _, err := a.Deliver(ctx, bot.Reply{Visibility: bot.Private, Text: bot.T("x")}); err == nil {
		t.Error("private reply without recipient: no error")
	}
	if _, err := a.Deliver(ctx, bot.Reply{Text: bot.T("x")}); err == nil {
		t.Error("reply without visibility: no error")
	}
	if out.Len() != 0 {
		t.Errorf("failed deliveries printed %q", out.String())
	}
	broken := New(Options{Out: failingWriter{}})
	if _, err := broken.Deliver(ctx, bot.Reply{Visibility: bot.Public, Group: Group, Text: bot.T("x")}); err == nil {
		t.Error("output that cannot be written: no error")
	}
}

// failingWriter is an output that cannot be written (a closed pipe).
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }
