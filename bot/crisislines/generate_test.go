package crisislines_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/peerbot/peerbot/bot/crisislines/internal/source"
)

// The embedded lines.json is what gen.go makes from crisis-lines.tsv, the
// researched table kept beside it: nobody edited it by hand and nobody
// forgot `go generate`. The table is part of the repository, so this test
// always runs.
func TestGeneratedFileUpToDate(t *testing.T) {
	in, err := os.Open("crisis-lines.tsv")
	if err != nil {
		t.Fatalf("the researched table must be in the package: %v", err)
	}
	defer in.Close()
	want, err := source.Generate(in)
	if err != nil {
		t.Fatalf("regenerate: %v", err)
	}
	got, err := os.ReadFile("lines.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("lines.json is out of date with crisis-lines.tsv: run `go generate ./bot/crisislines`")
	}
}

// lines.json names its input by a path inside the repository, and that path
// is the table the test above reads.
func TestGeneratedFileNamesItsTable(t *testing.T) {
	here, err := os.Stat("crisis-lines.tsv")
	if err != nil {
		t.Fatal(err)
	}
	named, err := os.Stat("../../" + source.From)
	if err != nil {
		t.Fatalf("source.From = %q is not a file in the repository: %v", source.From, err)
	}
	if !os.SameFile(here, named) {
		t.Errorf("source.From = %q is not this package's crisis-lines.tsv", source.From)
	}
}
