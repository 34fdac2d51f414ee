package store

import "testing"

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
