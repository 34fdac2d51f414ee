//go:build ignore

// gen.go writes lines.json from the researched table, crisis-lines.tsv,
// which lives beside it in this package. Run it with
// `go generate ./bot/crisislines` from the project root.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/peerbot/peerbot/bot/crisislines/internal/source"
)

func main() {
	in := flag.String("in", "crisis-lines.tsv", "researched crisis-line table")
	out := flag.String("out", "lines.json", "generated file")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatalf("generate crisis lines: %v", err)
	}
	defer f.Close()
	b, err := source.Generate(f)
	if err != nil {
		log.Fatalf("generate crisis lines: %v", err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatalf("generate crisis lines: %v", err)
	}
}
