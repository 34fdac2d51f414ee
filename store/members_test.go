package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// A member record reads back exactly (times in UTC at millisecond
// precision, zero times as zero); saving again replaces it.
func TestMemberSaveAndReplace(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.Member(ctx, "console:ann"); !errors.Is(err, bot.ErrNotFound) {
		t.Fatalf("Member(unknown) error = %v, want ErrNotFound", err)
	}
	local := time.FixedZone("UTC+2", 2*3600)
	m := bot.MemberRecord{ID: "console:ann", Name: "Ann", Country: "IE",
		LastSupportAt: t0.In(local).Add(123456789 * time.Nanosecond), DMGroup: "console:g", ForgetAsked: t0.Add(time.Hour)}
	if err := s.SaveMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := s.Member(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := m
	want.LastSupportAt = t0.Add(123 * time.Millisecond) // UTC, truncated to ms
	if !reflect.DeepEqual(got, want) || got.LastSupportAt.Location() != time.UTC {
		t.Fatalf("Member = %+v, want %+v", got, want)
	}
	m2 := bot.MemberRecord{ID: "console:ann", Name: "Annie"}
	if err := s.SaveMember(ctx, m2); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Member(ctx, m.ID); err != nil || !reflect.DeepEqual(got, m2) {
		t.Errorf("Member after replace = %+v, %v; want %+v (zero times stay zero)", got, err, m2)
	}
}

// AddMembership reports only the first joining; GroupsOf lists oldest
// membership first; RemoveMembership is idempotent.
func TestMemberships(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if err := s.SaveGroup(ctx, bot.Group{ID: "console:b", Name: "B group"}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		g    bot.GroupID
		at   time.Time
		want bool
	}{
		{"console:b", t0, true},
		{"console:a", t0.Add(time.Minute), true}, // group never saved
		{"console:b", t0.Add(time.Hour), false},
	} {
		added, err := s.AddMembership(ctx, step.g, "console:ann", step.at)
		if err != nil || added != step.want {
			t.Fatalf("AddMembership(%s) = %v, %v; want %v", step.g, added, err, step.want)
		}
	}
	gs, err := s.GroupsOf(ctx, "console:ann")
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Group{{ID: "console:b", Name: "B group"}, {ID: "console:a"}}
	if !reflect.DeepEqual(gs, want) {
		t.Fatalf("GroupsOf = %+v, want %+v", gs, want)
	}
	if err := s.RemoveMembership(ctx, "console:b", "console:ann"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMembership(ctx, "console:b", "console:ann"); err != nil {
		t.Fatalf("second RemoveMembership: %v", err)
	}
	if gs, _ := s.GroupsOf(ctx, "console:ann"); len(gs) != 1 || gs[0].ID != "console:a" {
		t.Errorf("GroupsOf after leaving = %+v, want only console:a", gs)
	}
	if added, err := s.AddMembership(ctx, "console:b", "console:ann", t0.Add(2*time.Hour)); err != nil || !added {
		t.Errorf("re-joining = %v, %v; want true", added, err)
	}
	if gs, _ := s.GroupsOf(ctx, "console:nobody"); len(gs) != 0 {
		t.Errorf("GroupsOf(unknown) = %+v, want none", gs)
	}
}

// GroupMembers lists the group's members by name, case-insensitively, and
// no one from other groups.
func TestGroupMembersByName(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for _, m := range []bot.MemberRecord{
		{ID: "console:1", Name: "zoe"}, {ID: "console:2", Name: "Ann", Country: "GB"}, {ID: "console:3", Name: "bo"},
	} {
		if err := s.SaveMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMembership(ctx, "console:g", m.ID, t0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddMembership(ctx, "console:other", "console:4", t0); err != nil {
		t.Fatal(err)
	}
	ms, err := s.GroupMembers(ctx, "console:g")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if !reflect.DeepEqual(names, []string{"Ann", "bo", "zoe"}) || ms[0].Country != "GB" {
		t.Errorf("GroupMembers = %+v, want Ann (GB), bo, zoe", ms)
	}
}
