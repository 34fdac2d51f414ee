package crisislines_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/peerbot/peerbot/bot/crisislines/internal/source"
)

// The embedded lines.json is what gen.go makes from ../shared/crisis-lines.tsv
// today: nobody edited it by hand and nobody forgot `go generate`.
func TestGeneratedFileUpToDate(t *testing.T) {
	in, err := os.Open("../../../shared/crisis-lines.tsv")
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("../shared/crisis-lines.tsv not present; nothing to compare against")
	}
	if err != nil {
		t.Fatal(err)
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
		t.Error("lines.json is out of date with ../shared/crisis-lines.tsv: run `go generate ./bot/crisislines`")
	}
}
