package matrix

import (
	"encoding/json"

	"github.com/rs/zerolog"
)

// mautrixLog returns the logger mautrix and its crypto helper log to. It
// passes their records on to log without the fields that can hold message
// content: mautrix adds the request body ("req_body") to the record of any
// request that failed or was cancelled, which for a message in an
// unencrypted room is the member-facing text itself. mautrix's debug
// records (every request) are dropped by the info level.
func mautrixLog(log zerolog.Logger) zerolog.Logger {
	level := max(zerolog.InfoLevel, log.GetLevel())
	return zerolog.New(contentFilter{log: log.With().Str("component", "mautrix").Logger()}).Level(level).With().Timestamp().Logger()
}

// contentFilter re-emits JSON log records into log, minus content fields.
type contentFilter struct{ log zerolog.Logger }

// contentFields are dropped from mautrix's records.
var contentFields = []string{"req_body", "resp_body", "body", "content"}

func (f contentFilter) Write(p []byte) (int, error) {
	var rec map[string]any
	if err := json.Unmarshal(p, &rec); err != nil {
		f.log.Warn().Msg("Dropped an unreadable mautrix log record")
		return len(p), nil
	}
	level, _ := zerolog.ParseLevel(stringOf(rec[zerolog.LevelFieldName]))
	msg := stringOf(rec[zerolog.MessageFieldName])
	for _, k := range append([]string{zerolog.LevelFieldName, zerolog.MessageFieldName, zerolog.TimestampFieldName}, contentFields...) {
		delete(rec, k)
	}
	f.log.WithLevel(level).Fields(rec).Msg(msg)
	return len(p), nil
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}
