package store

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/peerbot/peerbot/bot"
)

// Encryption at rest.
//
// Member-written text (check-in words, including private words meant only
// for facilitators), and since schema version 6 check-ins' colours and
// flags and every display name (sealed.go), are sealed with
// XChaCha20-Poly1305 under the secret key before they are written, and
// opened when read. A sealed value is
//
//	version byte (1) | 24-byte random nonce | ciphertext and 16-byte tag
//
// The additional data binds the value to its row: the version, what the
// value is ("check_ins.words", "members.sealed", …) and the row's identity
// (for words, round id and member id). A value copied into another row, or altered, fails to open with
// ErrCannotDecrypt instead of reading as someone else's words.
// XChaCha20-Poly1305's 192-bit nonces may be drawn at random for any number
// of values under one key, and it runs in constant time on every CPU.
//
// The key itself is never stored. peerbot_meta holds a key check: a known
// constant sealed under the key the database was first opened with. Open
// opens it, so a wrong key fails at start (ErrWrongKey) rather than in the
// middle of a meeting.

// sealVersion is the first byte of every sealed value.
const sealVersion byte = 1

// ErrWrongKey is returned (wrapped) by Open when the secret key is not the
// one the database was first opened with.
var ErrWrongKey = errors.New("the secret key does not match this database")

// ErrCannotDecrypt is returned (wrapped) when a stored value does not open
// under the key and its row: it was damaged, or moved from another row.
var ErrCannotDecrypt = errors.New("stored value cannot be decrypted: damaged, or moved from another row")

// keyCheckName and keyCheckText make the key check row of peerbot_meta.
const (
	keyCheckName = "key_check"
	keyCheckText = "peerbot key check"
)

// sealer seals and opens values under one key. Safe for concurrent use.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key is %d bytes, want %d", len(key), KeySize)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

// seal encrypts plaintext bound to ad (see additionalData).
func (b *sealer) seal(plaintext, ad []byte) []byte {
	ns := b.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+b.aead.Overhead())
	out[0] = sealVersion
	_, _ = rand.Read(out[1 : 1+ns]) // never fails (it crashes the program instead)
	return b.aead.Seal(out, out[1:1+ns], plaintext, ad)
}

// open decrypts a value sealed with the same ad, or returns ErrCannotDecrypt.
func (b *sealer) open(sealed, ad []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(sealed) < 1+ns+b.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrCannotDecrypt
	}
	pt, err := b.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], ad)
	if err != nil {
		return nil, ErrCannotDecrypt
	}
	return pt, nil
}

// additionalData is the version, the value's purpose and its row's
// identity: a number (a round id, an agreement version, or 0) and an id (a
// member's or a group's). The purpose ends in a NUL and the number is
// fixed-width, so the id (last) cannot be confused with either.
func additionalData(purpose string, num int64, id string) []byte {
	ad := make([]byte, 0, 2+len(purpose)+8+len(id))
	ad = append(ad, sealVersion)
	ad = append(ad, purpose...)
	ad = append(ad, 0)
	ad = binary.BigEndian.AppendUint64(ad, uint64(num))
	return append(ad, id...)
}

func wordsAD(round int64, member bot.MemberID) []byte {
	return additionalData("check_ins.words", round, string(member))
}

// sealWords seals a check-in's words; empty words are NULL.
func (b *sealer) sealWords(round int64, member bot.MemberID, words string) []byte {
	if words == "" {
		return nil
	}
	return b.seal([]byte(words), wordsAD(round, member))
}

// openWords opens a check-in's sealed words; NULL is "".
func (b *sealer) openWords(round int64, member bot.MemberID, sealed []byte) (string, error) {
	if sealed == nil {
		return "", nil
	}
	pt, err := b.open(sealed, wordsAD(round, member))
	if err != nil {
		return "", fmt.Errorf("check-in words of member %s in round %d: %w", member, round, err)
	}
	return string(pt), nil
}

// unlock runs at Open, after the migrations: it checks the key against the
// key check, and on a database that has none yet (first open) writes it, and
// seals any values older schema versions left in plain text (legacy.go), in
// one transaction, then empties the write-ahead log of the plain text. An
// already unlocked database is only read, so that opening it (peerbot
// backup beside a running bot) does not wait for the write lock.
func (s *Store) unlock(ctx context.Context) error {
	ok, err := s.checkKey(ctx)
	if err != nil || ok {
		return err
	}
	sealed := false
	err = s.InTx(ctx, func(st bot.Store) error {
		tx := st.(*Store)
		ok, err := tx.checkKey(ctx) // again, inside the write lock
		if err != nil {
			return err
		}
		if !ok {
			check := tx.box.seal([]byte(keyCheckText), additionalData(keyCheckName, 0, ""))
			// checkKey has opened any key check there is: keep it.
			if _, err := tx.exec(ctx, `INSERT INTO peerbot_meta (name, value) VALUES (?, ?)
				ON CONFLICT (name) DO NOTHING`, keyCheckName, check); err != nil {
				return fmt.Errorf("write key check: %w", err)
			}
		}
		sealed, err = tx.sealLegacy(ctx)
		return err
	})
	if err != nil || !sealed {
		return err
	}
	if err := s.checkpoint(ctx); err != nil {
		return fmt.Errorf("checkpoint after encrypting: %w", err)
	}
	return nil
}

// checkKey reports whether the database has a key check and no plain-text
// values are left to seal. It fails with ErrWrongKey when the key check does
// not open under s's key.
func (s *Store) checkKey(ctx context.Context) (bool, error) {
	var check []byte
	err := s.queryRow(ctx, `SELECT value FROM peerbot_meta WHERE name = ?`, keyCheckName).Scan(&check)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read key check: %w", err)
	}
	pt, err := s.box.open(check, additionalData(keyCheckName, 0, ""))
	if err != nil || string(pt) != keyCheckText {
		return false, fmt.Errorf("%w (it was first opened with another key: use that key; "+
			"the stored words and names cannot be read without it)", ErrWrongKey)
	}
	legacy, err := s.hasLegacy(ctx)
	return !legacy, err
}
