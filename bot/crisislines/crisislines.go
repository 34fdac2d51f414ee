// Package crisislines is peerbot's embedded crisis-line directory.
//
// STUB: the API below is fixed; the implementation is being written.
package crisislines

// Line is one way to reach help.
type Line struct {
	Country    string // ISO 3166-1 alpha-2, or "INTL"
	Service    string
	Kind       string // "phone", "text", "chat" or "web"
	Contact    string // number, "Text HOME to 741741", or URL
	Hours      string // "24/7" where known
	Languages  string
	Free       bool // free to use, where the source says so
	Source     string
	Verified   string // YYYY-MM-DD: when the entry was last verified
	Confidence string // "high", "medium" or "low"
	// DoubleCheck marks an entry not known for certain: show it only with
	// "please double-check".
	DoubleCheck bool
}

// Entry is what the directory knows about one country.
type Entry struct {
	Country string // ISO code
	Name    string // English short name ("United Kingdom")
	// Emergency is the national emergency number(s) ("999 / 112").
	Emergency string
	// EmergencyDoubleCheck marks an emergency number not verified.
	EmergencyDoubleCheck bool
	// Lines are ordered as care.md asks: the main 24/7 phone line first,
	// then other phone lines, then text and chat options.
	Lines []Line
}

// Country is an ISO 3166-1 country.
type Country struct {
	Code string
	Name string
}

// Directory is a read-only set of crisis lines. Safe for concurrent use.
type Directory struct{}

// Default returns the directory embedded in the binary.
func Default() *Directory { return &Directory{} }

// WithOverrides returns a copy of d where operator-supplied lines replace
// (Override) or add to the lines of their country.
func (d *Directory) WithOverrides(lines []Line, replace bool) (*Directory, error) { return d, nil }

// Lookup returns the entry for an ISO code (case-insensitive).
func (d *Directory) Lookup(code string) (Entry, bool) { return Entry{}, false }

// International returns the international directories
// (findahelpline.com, befrienders.org), high-confidence ones first.
func (d *Directory) International() []Line { return nil }

// ParseCountry turns an ISO 3166-1 alpha-2 code or a common English name
// ("uk", "United States", "usa", "Deutschland") into an ISO code.
func ParseCountry(s string) (Country, bool) { return Country{}, false }

// Countries lists the countries that have entries, by name.
func (d *Directory) Countries() []Country { return nil }
