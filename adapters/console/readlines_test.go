package console

import (
	"strings"
	"testing"
)

// A line too long to be a command is skipped with a hint; the lines around
// it, continuations and a last line without a line break still arrive.
func TestReadLinesSkipsHugeLine(t *testing.T) {
	in := "alice: !help\n" + strings.Repeat("x", 200000) + "\nbob: one \\\ntwo\ncarol: last"
	skips := 0
	lines, errc := readLines(strings.NewReader(in), make(chan struct{}), func() { skips++ })
	var got []string
	for l := range lines {
		got = append(got, l)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	want := []string{"alice: !help", "bob: one \ntwo", "carol: last"}
	if strings.Join(got, "|") != strings.Join(want, "|") || skips != 1 {
		t.Fatalf("got %q with %d skips, want %q with 1", got, skips, want)
	}
}
