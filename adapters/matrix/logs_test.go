package matrix

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestMautrixLogDropsContent ensures mautrix's failed-request records reach
// the log without the request body, which may be a member's words.
func TestMautrixLogDropsContent(t *testing.T) {
	var out bytes.Buffer
	log := mautrixLog(zerolog.New(&out))
	log.Error().RawJSON("req_body", []byte(`{"body":"my secret words"}`)).Str("url", "http://hs/send/1").Msg("Request failed")
	log.Debug().Str("req_body", "debug secret").Msg("Request completed")
	got := out.String()
	if strings.Contains(got, "secret") || !strings.Contains(got, `"url":"http://hs/send/1"`) || !strings.Contains(got, `"level":"error"`) ||
		!strings.Contains(got, "Request failed") || !strings.Contains(got, `"component":"mautrix"`) {
		t.Errorf("log = %s, want the failure with its url and level but no body, and no debug record", got)
	}
}
