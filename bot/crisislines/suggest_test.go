package crisislines

import "testing"

// Suggest names the country a misspelled name most likely meant, and only
// when it is close.
func TestSuggest(t *testing.T) {
	tests := []struct {
		in   string
		want []string // country names, in order
	}{
		{"germny", []string{"Germany"}},
		{"Germnay", []string{"Germany"}},
		{"new zeland", []string{"New Zealand"}},
		{"New Zeeland", []string{"New Zealand"}},
		{"irelnd", []string{"Ireland"}},
		{"untied kingdom", []string{"United Kingdom"}},
		{"united staes", []string{"United States"}},
		{"austrailia", []string{"Australia"}},
		{"south afirca", []string{"South Africa"}},
		{"phillipines", []string{"Philippines"}},
		{"swizerland", []string{"Switzerland"}},
		{"deutchland", []string{"Germany"}},
		{"brazl", []string{"Brazil"}},
		{"irak", []string{"Iran", "Iraq"}},
		{"austrlia", []string{"Australia", "Austria"}},
		// Nothing close: no guess.
		{"narnia", nil},
		{"africa", nil}, // two mistakes from "america": too far for seven letters
		{"pain", nil},   // "spain" starts with another letter
		{"Atlantis", nil},
		{"asdfgh", nil},
		{"xqzt", nil},
		{"please help me I hurt myself again", nil},
		{"germany please", nil},
		{"", nil},
		{"zz", nil},
		{"xx", nil},
		// Already a country: nothing to suggest.
		{"germany", nil},
		{"uk", nil},
	}
	for _, tt := range tests {
		got := Suggest(tt.in)
		var names []string
		for _, c := range got {
			names = append(names, c.Name)
		}
		if len(names) != len(tt.want) {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, names, tt.want)
			continue
		}
		for i := range names {
			if names[i] != tt.want[i] {
				t.Errorf("Suggest(%q) = %q, want %q", tt.in, names, tt.want)
				break
			}
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"germany", "germany", 0},
		{"germny", "germany", 1}, {"gemrany", "germany", 1}, {"kitten", "sitting", 3},
		{"ca", "abc", 3},
	}
	for _, tt := range tests {
		if got := distance([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := distance([]rune(tt.b), []rune(tt.a)); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}
