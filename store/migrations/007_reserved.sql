-- Placeholder so that this branch's 008 follows 007 without a gap. Another
-- branch adds the real 007: on merge, delete this file and keep theirs.
SELECT 1;
