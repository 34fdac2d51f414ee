package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/peerbot/peerbot/bot"
)

// Sealed rows.
//
// Besides check-in words, what would tell a reader of the file about
// anyone's health or identity is kept in one sealed value per row, in a
// column named "sealed" (schema version 6):
//
//	check_ins.sealed   colour, private, hidden, passed, member name
//	members.sealed     name, country, last !support time
//	groups.sealed      name
//	agreements.sealed  name of who set it
//	round_aggregates.sealed  a purged round's counts by colour
//
// bound, like words, to the row's identity (round and member; member;
// group; group and version; round). The plaintext is a few length-prefixed fields,
// zero-padded to a multiple of padSize bytes, so that a value's length
// tells at most which band of 32 bytes a name falls in, never a colour or a
// flag (the colour is a fixed-width code). What stays readable without the
// key: ids, times, the structure of rounds and schedules, counts, agreement
// texts and round prompts (see README-atrest.md).
//
// The key-check value of peerbot_meta is sealed too, but is no row's data.

// padSize is the block the plaintext of a sealed row is padded to.
const padSize = 32

// sealedColumn is a column holding sealed values, with the SQL expressions
// of the row identity bound into each value. ChangeKey and Verify go through
// all of them.
type sealedColumn struct {
	table, column, purpose string
	num, id                string // SQL expressions: the number and id of additionalData
	nullable               bool   // NULL is a value (no words; a forgotten setter)
}

var sealedColumns = []sealedColumn{
	{"check_ins", "words", "check_ins.words", "round_id", "member_id", true},
	{"check_ins", "sealed", "check_ins.sealed", "round_id", "member_id", false},
	{"members", "sealed", "members.sealed", "0", "id", false},
	{"groups", "sealed", "groups.sealed", "0", "id", false},
	{"agreements", "sealed", "agreements.sealed", "version", "group_id", true},
	{"round_aggregates", "sealed", "round_aggregates.sealed", "round_id", "''", false},
}

func (c sealedColumn) ad(num int64, id string) []byte { return additionalData(c.purpose, num, id) }

var (
	checkInColumn   = sealedColumns[1]
	memberColumn    = sealedColumns[2]
	groupColumn     = sealedColumns[3]
	agreementColumn = sealedColumns[4]
	countsColumn    = sealedColumns[5]
)

// pack writes fields as uvarint length and bytes each, zero-padded to a
// multiple of padSize.
func pack(fields ...[]byte) []byte {
	n := 0
	for _, f := range fields {
		n += binary.MaxVarintLen32 + len(f)
	}
	b := make([]byte, 0, n+padSize)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	if r := len(b) % padSize; r != 0 || len(b) == 0 {
		b = append(b, make([]byte, padSize-r)...)
	}
	return b
}

// unpack reads n fields written by pack; the padding is ignored.
func unpack(b []byte, n int) ([][]byte, error) {
	out := make([][]byte, n)
	for i := range out {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, ErrCannotDecrypt
		}
		out[i], b = b[k:k+int(l)], b[k+int(l):]
	}
	return out, nil
}

// sealRow seals packed fields for column c of the row (num, id).
func (b *sealer) sealRow(c sealedColumn, num int64, id string, fields ...[]byte) []byte {
	return b.seal(pack(fields...), c.ad(num, id))
}

// openRow opens a value of column c of the row (num, id) into n fields. A
// NULL value (a row Open has not sealed yet, or a damaged file) fails with
// ErrCannotDecrypt.
func (b *sealer) openRow(c sealedColumn, num int64, id string, sealed []byte, n int) ([][]byte, error) {
	if sealed == nil {
		return nil, fmt.Errorf("%s of %d/%s: %w", c.purpose, num, id, ErrCannotDecrypt)
	}
	pt, err := b.open(sealed, c.ad(num, id))
	if err == nil {
		var fs [][]byte
		if fs, err = unpack(pt, n); err == nil {
			return fs, nil
		}
	}
	return nil, fmt.Errorf("%s of %d/%s: %w", c.purpose, num, id, err)
}

// Check-in flags, the first byte of a check-in's sealed state.
const (
	flagPrivate byte = 1 << iota
	flagHidden
	flagPassed
)

// colourCodes are the fixed-width codes of the known colours; any other
// colour is code 0xff followed by its text.
var colourCodes = map[bot.Colour]byte{bot.NoColour: 0, bot.Green: 1, bot.Amber: 2, bot.Red: 3}

const otherColour byte = 0xff

// sealCheckIn seals c's colour, flags and member name.
func (b *sealer) sealCheckIn(c bot.CheckIn) []byte {
	var flags byte
	if c.Private {
		flags |= flagPrivate
	}
	if c.Hidden {
		flags |= flagHidden
	}
	if c.Passed {
		flags |= flagPassed
	}
	code, ok := colourCodes[c.Colour]
	var other []byte
	if !ok {
		code, other = otherColour, []byte(c.Colour)
	}
	return b.sealRow(checkInColumn, c.Round, string(c.Member), []byte{flags, code}, other, []byte(c.MemberName))
}

// openCheckIn fills c's colour, flags and member name from its sealed state
// (c.Round and c.Member must be set).
func (b *sealer) openCheckIn(c *bot.CheckIn, sealed []byte) error {
	fs, err := b.openRow(checkInColumn, c.Round, string(c.Member), sealed, 3)
	if err != nil {
		return err
	}
	if len(fs[0]) != 2 {
		return fmt.Errorf("check-in of member %s in round %d: %w", c.Member, c.Round, ErrCannotDecrypt)
	}
	flags, code := fs[0][0], fs[0][1]
	c.Private, c.Hidden, c.Passed = flags&flagPrivate != 0, flags&flagHidden != 0, flags&flagPassed != 0
	c.Colour = colourOf(code, fs[1])
	c.MemberName = string(fs[2])
	return nil
}

func colourOf(code byte, other []byte) bot.Colour {
	if code == otherColour {
		return bot.Colour(other)
	}
	for c, k := range colourCodes {
		if k == code {
			return c
		}
	}
	return bot.NoColour
}

// countryWidth is the width a member's country is padded to, so that
// whether a member saved a country does not change the sealed length.
const countryWidth = 8

// sealMember seals m's name, country and last support time. The country
// and the time are fixed-width (zero: none), so that the length of the
// value says nothing about either.
func (b *sealer) sealMember(m bot.MemberRecord) []byte {
	var support uint64
	if !m.LastSupportAt.IsZero() {
		support = uint64(m.LastSupportAt.UnixMilli())
	}
	country := []byte(m.Country)
	if len(country) < countryWidth {
		country = append(country, make([]byte, countryWidth-len(country))...)
	}
	return b.sealRow(memberColumn, 0, string(m.ID), []byte(m.Name), country, binary.BigEndian.AppendUint64(nil, support))
}

// openMember fills m's name, country and last support time (m.ID must be set).
func (b *sealer) openMember(m *bot.MemberRecord, sealed []byte) error {
	fs, err := b.openRow(memberColumn, 0, string(m.ID), sealed, 3)
	if err != nil {
		return err
	}
	if len(fs[2]) != 8 {
		return fmt.Errorf("member %s: %w", m.ID, ErrCannotDecrypt)
	}
	m.Name, m.Country, m.LastSupportAt = string(fs[0]), string(bytes.TrimRight(fs[1], "\x00")), time.Time{}
	if support := binary.BigEndian.Uint64(fs[2]); support != 0 {
		m.LastSupportAt = time.UnixMilli(int64(support)).UTC()
	}
	return nil
}

// sealName and openName seal the one name of a group or an agreement row.
func (b *sealer) sealName(c sealedColumn, num int64, id, name string) []byte {
	return b.sealRow(c, num, id, []byte(name))
}

func (b *sealer) openName(c sealedColumn, num int64, id string, sealed []byte) (string, error) {
	fs, err := b.openRow(c, num, id, sealed, 1)
	if err != nil {
		return "", err
	}
	return string(fs[0]), nil
}

// sealCounts seals a purged round's counts.
func (b *sealer) sealCounts(round int64, c RoundCounts) []byte {
	n := make([]byte, 0, 20)
	for _, v := range []int{c.Green, c.Amber, c.Red, c.NoColour, c.Passed} {
		n = binary.BigEndian.AppendUint32(n, uint32(v))
	}
	return b.sealRow(countsColumn, round, "", n)
}

// openCounts opens a purged round's counts.
func (b *sealer) openCounts(round int64, sealed []byte) (RoundCounts, error) {
	fs, err := b.openRow(countsColumn, round, "", sealed, 1)
	if err != nil {
		return RoundCounts{}, err
	}
	if len(fs[0]) != 20 {
		return RoundCounts{}, fmt.Errorf("counts of round %d: %w", round, ErrCannotDecrypt)
	}
	v := func(i int) int { return int(binary.BigEndian.Uint32(fs[0][4*i:])) }
	return RoundCounts{Green: v(0), Amber: v(1), Red: v(2), NoColour: v(3), Passed: v(4)}, nil
}
