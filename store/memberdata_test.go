package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// seedMember stores ann (the member under test) and bo (another member) in
// every table, with ann named in other rows too.
func seedMember(t *testing.T, s *Store) (round bot.Round) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SaveGroup(ctx, bot.Group{ID: "console:g", Name: "Group", LastFacilitator: "console:ann"}))
	for _, m := range []bot.MemberRecord{
		{ID: "console:ann", Name: "Ann", Country: "GB", LastSupportAt: t0},
		{ID: "console:bo", Name: "Bo"},
	} {
		must(s.SaveMember(ctx, m))
		_, err := s.AddMembership(ctx, "console:g", m.ID, t0)
		must(err)
		must(s.Agree(ctx, bot.Acceptance{Group: "console:g", Member: m.ID, Version: 1, At: t0}))
		must(s.SetReminders(ctx, "console:g", m.ID, true))
	}
	_, err := s.AddSchedule(ctx, bot.Schedule{Group: "console:g", Channel: "console:c", Days: []time.Weekday{time.Tuesday},
		Hour: 19, Minutes: 45, Prompt: "How are you arriving?", CreatedBy: "console:ann", CreatedAt: t0})
	must(err)
	_, err = s.AddAgreement(ctx, bot.Agreement{Group: "console:g", Text: "Be kind.", SetBy: "console:ann", SetName: "Ann", SetAt: t0})
	must(err)
	round, err = s.CreateRound(ctx, bot.Round{Group: "console:g", Channel: "console:c", OpenedBy: "console:ann", OpenedAt: t0})
	must(err)
	must(s.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: "console:ann", MemberName: "Ann",
		Colour: bot.Red, Words: "a hard week", Private: true, At: t0}))
	must(s.PutCheckIn(ctx, bot.CheckIn{Round: round.ID, Member: "console:bo", MemberName: "Bo", Colour: bot.Green, At: t0}))
	must(s.SetMessageRef(ctx, "dm:console:ann", "console:dm-ann"))
	must(s.SetMessageRef(ctx, "round:1:status", "console:msg-1"))
	for ev, m := range map[string]bot.MemberID{"console:ann:7": "console:ann", "$ann-event": "console:ann",
		"$matrix-event": "console:bo", "console:anna:3": "console:anna"} {
		_, err := s.MarkHandled(ctx, ev, m, t0)
		must(err)
	}
	return round
}

// MemberData returns the record, groups, acceptances and check-ins of the
// member, and nothing of anyone else.
func TestMemberData(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := seedMember(t, s)
	d, err := s.MemberData(ctx, "console:ann")
	if err != nil {
		t.Fatal(err)
	}
	want := bot.MemberData{
		Member:      bot.MemberRecord{ID: "console:ann", Name: "Ann", Country: "GB", LastSupportAt: t0},
		Groups:      []bot.Group{{ID: "console:g", Name: "Group", LastFacilitator: "console:ann"}},
		Acceptances: []bot.Acceptance{{Group: "console:g", Member: "console:ann", Version: 1, At: t0}},
		CheckIns: []bot.CheckIn{{Round: r.ID, Member: "console:ann", MemberName: "Ann",
			Colour: bot.Red, Words: "a hard week", Private: true, At: t0}},
		Reminders: []bot.GroupID{"console:g"},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("MemberData =\n%+v\nwant\n%+v", d, want)
	}
	none, err := s.MemberData(ctx, "console:nobody")
	if err != nil || !reflect.DeepEqual(none, bot.MemberData{Member: bot.MemberRecord{ID: "console:nobody"}}) {
		t.Errorf("MemberData(unknown) = %+v, %v; want only the ID", none, err)
	}
}

// After ForgetMember no row in any table mentions the member, and other
// members' data is untouched.
func TestForgetMemberLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	seedMember(t, s)
	before, err := s.MemberData(ctx, "console:bo")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetMember(ctx, "console:ann"); err != nil {
		t.Fatal(err)
	}
	for _, hit := range rowsMentioning(t, s, "ann") {
		if !strings.Contains(hit, "anna") {
			t.Errorf("row still mentions the member: %s", hit)
		}
	}
	after, err := s.MemberData(ctx, "console:bo")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after.Member, before.Member) || len(after.Groups) != 1 ||
		len(after.Acceptances) != 1 || len(after.CheckIns) != 1 || len(after.Reminders) != 1 {
		t.Errorf("other member's data changed: before %+v, after %+v", before, after)
	}
	if _, err := s.MessageRef(ctx, "round:1:status"); err != nil {
		t.Errorf("unrelated message ref was dropped: %v", err)
	}
	// Handled event ids go by exact member: Ann's go (whatever the id looks
	// like), Bo's and Anna's stay (Anna's id contains "console:ann").
	for ev, want := range map[string]bool{"console:ann:7": true, "$ann-event": true, "$matrix-event": false, "console:anna:3": false} {
		if fresh, err := s.MarkHandled(ctx, ev, "", t0); err != nil || fresh != want {
			t.Errorf("after forgetting Ann, MarkHandled(%q) = %v, %v; want fresh=%v", ev, fresh, err, want)
		}
	}
	if _, err := s.CurrentAgreement(ctx, "console:g"); err != nil {
		t.Errorf("group's agreement was dropped: %v", err)
	}
	if err := s.ForgetMember(ctx, "console:ann"); err != nil {
		t.Errorf("forgetting again: %v", err)
	}
}

// A failure part-way through ForgetMember, inside a transaction the caller
// rolls back, forgets nothing.
func TestForgetMemberIsAtomic(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	seedMember(t, s)
	_ = s.InTx(ctx, func(tx bot.Store) error {
		if err := tx.ForgetMember(ctx, "console:ann"); err != nil {
			t.Fatal(err)
		}
		return context.Canceled
	})
	if d, err := s.MemberData(ctx, "console:ann"); err != nil || d.Member.Name != "Ann" || len(d.CheckIns) != 1 {
		t.Errorf("member data after rolled-back forget = %+v, %v; want intact", d, err)
	}
}

// rowsMentioning scans every column of every table (except the schema
// version) for text containing needle, and describes each hit. It is
// storetest.Mentions for the store's own tests, which cannot import
// storetest (storetest imports the store).
func rowsMentioning(t *testing.T, s *Store, needle string) []string {
	t.Helper()
	var hits []string
	for _, table := range dataTables {
		rows, err := s.raw().Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					text = string(v)
				}
				if strings.Contains(strings.ToLower(text), needle) {
					hits = append(hits, table+"."+cols[i]+" = "+text)
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return hits
}
