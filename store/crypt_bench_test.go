package store

import (
	"testing"

	"github.com/peerbot/peerbot/bot"
)

// BenchmarkSealWords is the encryption PutCheckIn adds to a check-in:
// sealing typical words (a 24-byte random nonce and XChaCha20-Poly1305).
func BenchmarkSealWords(b *testing.B) {
	box, err := newSealer(GenerateKey())
	if err != nil {
		b.Fatal(err)
	}
	const words = "tired today, but glad to be here with everyone"
	for b.Loop() {
		_ = box.sealWords(42, "discord:123456789012345678", words)
	}
}

// BenchmarkOpenWords is the decryption CheckIns adds per check-in read.
func BenchmarkOpenWords(b *testing.B) {
	box, err := newSealer(GenerateKey())
	if err != nil {
		b.Fatal(err)
	}
	sealed := box.sealWords(42, "discord:123456789012345678", "tired today, but glad to be here with everyone")
	for b.Loop() {
		if _, err := box.openWords(42, "discord:123456789012345678", sealed); err != nil {
			b.Fatal(err)
		}
	}
}

// benchCheckIn is a typical check-in's sealed state: a colour, a flag and
// a display name.
var benchCheckIn = bot.CheckIn{Round: 42, Member: "discord:123456789012345678", MemberName: "Sam (they/them)",
	Colour: bot.Amber, Private: true}

// BenchmarkSealCheckIn is the encryption of a check-in's colour, flags and
// name that PutCheckIn adds since schema version 6.
func BenchmarkSealCheckIn(b *testing.B) {
	box, err := newSealer(GenerateKey())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_ = box.sealCheckIn(benchCheckIn)
	}
}

// BenchmarkOpenCheckIn is the decryption of a check-in's colour, flags and
// name, per check-in read.
func BenchmarkOpenCheckIn(b *testing.B) {
	box, err := newSealer(GenerateKey())
	if err != nil {
		b.Fatal(err)
	}
	sealed := box.sealCheckIn(benchCheckIn)
	for b.Loop() {
		c := bot.CheckIn{Round: benchCheckIn.Round, Member: benchCheckIn.Member}
		if err := box.openCheckIn(&c, sealed); err != nil {
			b.Fatal(err)
		}
	}
}
