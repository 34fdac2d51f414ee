package schedule

import (
	"testing"
	"time"
)

func TestZZDebug(t *testing.T) {
	w := Weekly{Days: []time.Weekday{time.Tuesday, time.Thursday}, Hour: 19, Zone: mustZone(t, "Europe/London")}
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 200000; i++ {
		at = at.Add(13 * time.Hour)
		if i%10000 == 0 {
			t.Log(i, at)
		}
		w.Next(at)
	}
}
