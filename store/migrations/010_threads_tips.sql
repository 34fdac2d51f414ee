-- Issue 15: answering through the bot, and the group's toolbox.
--
-- A thread is a private conversation between one member and the group's
-- facilitators, opened by the member's support request or private
-- check-in. It is open while closed_at is NULL and a message came within
-- the last 24 hours. Its id is the reference facilitators answer with.
CREATE TABLE threads (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id  TEXT NOT NULL,
	member_id TEXT NOT NULL,
	opened_at INTEGER NOT NULL,
	last_at   INTEGER NOT NULL,
	closed_at INTEGER
) STRICT;
CREATE INDEX threads_member ON threads (member_id, last_at);

-- What was written in a thread, by the member or a facilitator (author):
-- the words, the author's name and whether they wrote as a facilitator,
-- sealed and bound to the thread and author.
CREATE TABLE thread_words (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	thread_id INTEGER NOT NULL,
	author_id TEXT NOT NULL,
	sealed    BLOB NOT NULL,
	at        INTEGER NOT NULL
) STRICT;
CREATE INDEX thread_words_thread ON thread_words (thread_id);
CREATE INDEX thread_words_author ON thread_words (author_id);

-- The toolbox: tips members suggested (pending until a facilitator
-- approves one; a declined tip is deleted) and the optional starter set
-- (starter 1-5: the catalog's text in the group's language; no member).
-- num is the tip's number in its group. The words are sealed, bound to
-- the group and number.
CREATE TABLE tips (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id   TEXT NOT NULL,
	num        INTEGER NOT NULL,
	member_id  TEXT NOT NULL,
	approved   INTEGER NOT NULL DEFAULT 0,
	starter    INTEGER NOT NULL DEFAULT 0,
	sealed     BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (group_id, num)
) STRICT;
CREATE INDEX tips_member ON tips (member_id);

-- The last tip number given out in a group: numbers are never reused, so
-- an old review button cannot approve a newer tip.
CREATE TABLE tip_numbers (
	group_id TEXT PRIMARY KEY,
	last     INTEGER NOT NULL
) STRICT;

-- The tip a member was sent last in a group, so the next is another one.
CREATE TABLE tip_last (
	group_id  TEXT NOT NULL,
	member_id TEXT NOT NULL,
	tip_id    INTEGER NOT NULL,
	PRIMARY KEY (group_id, member_id)
) STRICT;
