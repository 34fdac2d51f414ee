package storetest

import (
	"database/sql"
	"strings"
	"testing"
)

// Mentions scans every value of the given tables (all tables when none
// are given) for text containing needle, compared case-insensitively, and
// returns a "table.column = value" line for each hit. Tests use it to show
// that something a member wrote is stored nowhere, or is gone.
func Mentions(tb testing.TB, db *sql.DB, needle string, tables ...string) []string {
	tb.Helper()
	if len(tables) == 0 {
		rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				tb.Fatal(err)
			}
			tables = append(tables, name)
		}
		rows.Close()
	}
	needle = strings.ToLower(needle)
	var hits []string
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			for i, v := range vals {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					text = string(v)
				}
				if strings.Contains(strings.ToLower(text), needle) {
					hits = append(hits, table+"."+cols[i]+" = "+text)
				}
			}
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
		rows.Close()
	}
	return hits
}
