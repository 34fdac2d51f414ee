package crisislines

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// aliases are common names people type that are not in the ISO table's own
// names, mapped to ISO codes. Only unambiguous names belong here: ParseCountry
// never guesses. Keys are in normalised form (see normalise).
var aliases = map[string]string{
	// United Kingdom and its nations: UK lines cover all four.
	"uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
	"scotland": "GB", "wales": "GB", "northern ireland": "GB", "cymru": "GB",
	"united kingdom of great britain and northern ireland": "GB",
	// United States.
	"us": "US", "usa": "US", "u s": "US", "u s a": "US", "america": "US",
	"united states of america": "US", "the us": "US", "the usa": "US",
	// Names in the countries' own languages, for the directory's countries.
	"deutschland": "DE", "holland": "NL", "nederland": "NL", "the netherlands": "NL",
	"belgie": "BE", "belgique": "BE", "belgien": "BE", "espana": "ES", "italia": "IT",
	"osterreich": "AT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
	"sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI", "polska": "PL",
	"eire": "IE", "republic of ireland": "IE", "iceland": "IS", "hellas": "GR", "ellada": "GR",
	"cesko": "CZ", "czech republic": "CZ", "czech": "CZ", "brasil": "BR", "mexico": "MX",
	"nippon": "JP", "nihon": "JP", "aotearoa": "NZ", "bharat": "IN",
	"korea": "KR", "republic of korea": "KR", "south africa": "ZA",
	"hongkong": "HK", "hong kong sar": "HK",
	"israel": "IL", "philippines": "PH", "the philippines": "PH",
	// Other widely used English names.
	"russia": "RU", "turkey": "TR", "ivory coast": "CI", "cape verde": "CV",
	"swaziland": "SZ", "burma": "MM", "macedonia": "MK", "east timor": "TL",
	"vatican": "VA", "holy see": "VA", "uae": "AE", "drc": "CD", "dr congo": "CD",
	"congo kinshasa": "CD", "congo brazzaville": "CG", "north korea": "KP", "dprk": "KP",
	"laos": "LA", "vietnam": "VN", "viet nam": "VN", "syria": "SY", "iran": "IR",
	"moldova": "MD", "tanzania": "TZ", "bolivia": "BO", "venezuela": "VE",
	"brunei": "BN", "palestine": "PS", "micronesia": "FM", "macau": "MO",
	"the gambia": "GM", "the bahamas": "BS", "falklands": "FK", "falkland islands": "FK",
	"st lucia": "LC", "st kitts and nevis": "KN", "st vincent and the grenadines": "VC",
}

var (
	indexOnce sync.Once
	byCode    map[string]isoCountry // alpha-2 → country
	byName    map[string]string     // normalised name → alpha-2
)

func buildIndex() {
	byCode = make(map[string]isoCountry, len(isoCountries))
	byName = make(map[string]string, 3*len(isoCountries)+len(aliases))
	for _, c := range isoCountries {
		byCode[c.code] = c
		byName[normalise(c.alpha3)] = c.code
		byName[normalise(c.isoName)] = c.code
		byName[normalise(c.name)] = c.code
	}
	for k, code := range aliases {
		byName[k] = code
	}
}

// isoByCode returns the ISO entry for an upper-case alpha-2 code.
func isoByCode(code string) (isoCountry, bool) {
	indexOnce.Do(buildIndex)
	c, ok := byCode[code]
	return c, ok
}

// ParseCountry turns an ISO 3166-1 alpha-2 code or a common English name
// ("uk", "United States", "usa", "Deutschland") into an ISO code.
//
// It accepts, case-insensitively and ignoring accents, dots and extra
// spaces: any of the 249 ISO 3166-1 alpha-2 or alpha-3 codes, the ISO
// English short name ("Korea, Republic of"), the common English name ("South
// Korea"), a fixed list of aliases ("britain", "england", "holland",
// "czech republic", "korea") and a flag emoji ("🇬🇧"). It returns false for
// anything else; it never guesses from part of a name.
func ParseCountry(s string) (Country, bool) {
	indexOnce.Do(buildIndex)
	s = strings.TrimSpace(s)
	if code, ok := flagCode(s); ok {
		return countryFor(code)
	}
	n := normalise(s)
	if len(n) == 2 {
		if c, ok := byCode[strings.ToUpper(n)]; ok {
			return Country{Code: c.code, Name: c.name}, true
		}
	}
	code, ok := byName[n]
	if !ok {
		return Country{}, false
	}
	return countryFor(code)
}

func countryFor(code string) (Country, bool) {
	c, ok := byCode[code]
	if !ok {
		return Country{}, false
	}
	return Country{Code: c.code, Name: c.name}, true
}

// flagCode decodes a flag emoji (two regional indicator symbols).
func flagCode(s string) (string, bool) {
	const base = 0x1F1E6 // REGIONAL INDICATOR SYMBOL LETTER A
	a, n := utf8.DecodeRuneInString(s)
	if n == 0 || a < base || a > base+25 {
		return "", false
	}
	b, m := utf8.DecodeRuneInString(s[n:])
	if m == 0 || b < base || b > base+25 || n+m != len(s) {
		return "", false
	}
	return string([]rune{'A' + a - base, 'A' + b - base}), true
}

// fold maps the accented letters found in country names to plain ones.
var fold = strings.NewReplacer(
	"å", "a", "ä", "a", "á", "a", "à", "a", "ã", "a", "â", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "í", "i", "î", "i", "ï", "i",
	"ó", "o", "ô", "o", "ö", "o", "ø", "o", "õ", "o",
	"ú", "u", "ü", "u", "û", "u", "ç", "c", "ñ", "n", "ß", "ss", "č", "c", "ř", "r",
)

// normalise lower-cases s, folds accents, turns "&" into "and", drops dots,
// apostrophes and commas, treats hyphens and underscores as spaces and
// collapses runs of spaces.
func normalise(s string) string {
	s = fold.Replace(strings.ToLower(s))
	s = strings.ReplaceAll(s, "&", " and ")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '.' || r == '\'' || r == '’' || r == ',' || r == '(' || r == ')':
			b.WriteRune(' ')
		case r == '-' || r == '_' || unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
