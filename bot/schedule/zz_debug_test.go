package schedule

import (
	"testing"
	"time"
)

func TestZZDebug(t *testing.T) {
	loc := mustZone(t, "Europe/London")
	for d := 0; d < 20000; d++ {
		wall := time.Date(2026, 12, 30+d, 19, 0, 0, 0, time.UTC)
		tt := wall.Add(-26 * time.Hour)
		for i := 0; ; i++ {
			local := tt.In(loc)
			_, off := local.Zone()
			s, end := local.ZoneBounds()
			u := wall.Add(-time.Duration(off) * time.Second)
			if u.Before(tt) {
				u = tt
			}
			if i > 3 {
				t.Log(wall, i, tt, off, s, end)
			}
			if i > 6 {
				t.FailNow()
			}
			if end.IsZero() || u.Before(end) {
				break
			}
			tt = end
		}
	}
}
