package crisislines

import (
	"strings"
	"testing"
)

// ParseCountry accepts codes, names, aliases and flags, and nothing else.
func TestParseCountry(t *testing.T) {
	tests := []struct {
		in, code, name string
	}{
		{"GB", "GB", "United Kingdom"},
		{"gb", "GB", "United Kingdom"},
		{" uk ", "GB", "United Kingdom"},
		{"U.K.", "GB", "United Kingdom"},
		{"Britain", "GB", "United Kingdom"},
		{"great britain", "GB", "United Kingdom"},
		{"England", "GB", "United Kingdom"},
		{"scotland", "GB", "United Kingdom"},
		{"United Kingdom", "GB", "United Kingdom"},
		{"us", "US", "United States"},
		{"USA", "US", "United States"},
		{"U.S.A.", "US", "United States"},
		{"america", "US", "United States"},
		{"United States", "US", "United States"},
		{"united states of america", "US", "United States"},
		{"Deutschland", "DE", "Germany"},
		{"DEU", "DE", "Germany"},
		{"holland", "NL", "Netherlands"},
		{"The Netherlands", "NL", "Netherlands"},
		{"south korea", "KR", "South Korea"},
		{"Korea, Republic of", "KR", "South Korea"},
		{"korea", "KR", "South Korea"},
		{"north korea", "KP", "North Korea"},
		{"czech republic", "CZ", "Czechia"},
		{"Czechia", "CZ", "Czechia"},
		{"Türkiye", "TR", "Türkiye"},
		{"turkiye", "TR", "Türkiye"},
		{"turkey", "TR", "Türkiye"},
		{"côte d'ivoire", "CI", "Côte d'Ivoire"},
		{"ivory coast", "CI", "Côte d'Ivoire"},
		{"Åland Islands", "AX", "Åland Islands"},
		{"aland islands", "AX", "Åland Islands"},
		{"Taiwan", "TW", "Taiwan"},
		{"Hong Kong", "HK", "Hong Kong"},
		{"south-africa", "ZA", "South Africa"},
		{"Trinidad & Tobago", "TT", "Trinidad and Tobago"},
		{"Bosnia and Herzegovina", "BA", "Bosnia and Herzegovina"},
		{"russia", "RU", "Russia"},
		{"Russian Federation", "RU", "Russia"},
		{"méxico", "MX", "Mexico"},
		{"éire", "IE", "Ireland"},
		{"🇬🇧", "GB", "United Kingdom"},
		{"🇯🇵", "JP", "Japan"},
		{"aq", "AQ", "Antarctica"},
	}
	for _, tt := range tests {
		c, ok := ParseCountry(tt.in)
		if !ok || c.Code != tt.code || c.Name != tt.name {
			t.Errorf("ParseCountry(%q) = %+v, %v; want %s %q", tt.in, c, ok, tt.code, tt.name)
		}
	}
	for _, in := range []string{
		"", " ", "xx", "EU", "UN", "ZZ", "Narnia", "united", "kingdom", "south", "ger", "germ",
		"Germany please", "u", "🇪🇺", "🇪🇺x", "intl", "International", "🇽🇽", "🏳️‍🌈", "Kosovo", "XK", "europe", "island", "the",
		"United Kingdom of Great Britain", "Congo, Democratic", "12",
	} {
		if c, ok := ParseCountry(in); ok {
			t.Errorf("ParseCountry(%q) = %+v, want no match", in, c)
		}
	}
}

// The ISO table is complete and well-formed, and no name or code in it means
// two countries.
func TestISOTable(t *testing.T) {
	if len(isoCountries) != 249 {
		t.Errorf("ISO table has %d countries, want 249", len(isoCountries))
	}
	seen := map[string]string{}
	for i, c := range isoCountries {
		if len(c.code) != 2 || strings.ToUpper(c.code) != c.code || len(c.alpha3) != 3 || strings.ToUpper(c.alpha3) != c.alpha3 {
			t.Errorf("bad codes %q/%q", c.code, c.alpha3)
		}
		if i > 0 && isoCountries[i-1].code >= c.code {
			t.Errorf("table not sorted at %s", c.code)
		}
		if c.name == "" || c.isoName == "" {
			t.Errorf("%s: missing name", c.code)
		}
		for _, k := range []string{normalise(c.code), normalise(c.alpha3), normalise(c.isoName), normalise(c.name)} {
			if other, ok := seen[k]; ok && other != c.code {
				t.Errorf("%q means both %s and %s", k, other, c.code)
			}
			seen[k] = c.code
		}
	}
	for k, code := range aliases {
		if _, ok := isoByCode(code); !ok {
			t.Errorf("alias %q points at unknown code %s", k, code)
		}
		if normalise(k) != k {
			t.Errorf("alias %q is not in normalised form %q", k, normalise(k))
		}
		if other, ok := seen[k]; ok && other != code {
			t.Errorf("alias %q → %s, but the ISO table says %s", k, code, other)
		}
	}
	for code, name := range map[string]string{"GB": "United Kingdom", "KR": "South Korea", "TW": "Taiwan", "CZ": "Czechia", "MK": "North Macedonia", "SZ": "Eswatini", "SS": "South Sudan", "BQ": "Bonaire, Sint Eustatius and Saba"} {
		if c, ok := isoByCode(code); !ok || c.name != name {
			t.Errorf("isoByCode(%s) = %+v, want %q", code, c, name)
		}
	}
}
