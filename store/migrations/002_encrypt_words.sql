-- Check-in words are encrypted at rest (see crypt.go): check_ins.words
-- becomes a BLOB holding a sealed value (version byte, nonce, ciphertext),
-- NULL when the member wrote nothing or the words were deleted by age.
--
-- STRICT tables cannot change a column's type, so check_ins is rebuilt.
-- Words stored in plain text by version 1 move to legacy_plain_words, which
-- Open encrypts into check_ins.words and then drops (SQL cannot encrypt).
-- Nothing references check_ins, so dropping it with foreign keys on is safe.

CREATE TABLE legacy_plain_words (
	check_in_id INTEGER PRIMARY KEY,
	words       TEXT NOT NULL
) STRICT;
INSERT INTO legacy_plain_words (check_in_id, words)
	SELECT id, words FROM check_ins WHERE words IS NOT NULL AND words <> '';

CREATE TABLE check_ins_v2 (
	id          INTEGER PRIMARY KEY,
	round_id    INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	member_id   TEXT NOT NULL,
	member_name TEXT NOT NULL DEFAULT '',
	colour      TEXT NOT NULL DEFAULT '',
	words       BLOB,
	private     INTEGER NOT NULL DEFAULT 0,
	passed      INTEGER NOT NULL DEFAULT 0,
	at          INTEGER,
	UNIQUE (round_id, member_id)
) STRICT;
INSERT INTO check_ins_v2 (id, round_id, member_id, member_name, colour, words, private, passed, at)
	SELECT id, round_id, member_id, member_name, colour, NULL, private, passed, at FROM check_ins;
DROP TABLE check_ins;
ALTER TABLE check_ins_v2 RENAME TO check_ins;
CREATE INDEX check_ins_member ON check_ins (member_id);

-- Settings of the database itself. key_check: a known constant sealed under
-- the secret key, so that Open can tell a wrong key at once.
CREATE TABLE peerbot_meta (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
) STRICT;

-- What retention (PurgeWords) keeps of a closed round once its check-ins are
-- deleted: anonymous counts, no member ids, names or words.
CREATE TABLE round_aggregates (
	round_id  INTEGER PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
	green     INTEGER NOT NULL DEFAULT 0,
	amber     INTEGER NOT NULL DEFAULT 0,
	red       INTEGER NOT NULL DEFAULT 0,
	no_colour INTEGER NOT NULL DEFAULT 0,
	passed    INTEGER NOT NULL DEFAULT 0
) STRICT;
