package crisislines

import "sort"

// Suggest returns the country someone most likely meant by a name that
// ParseCountry does not accept ("germny", "new zeland"), for a "did you mean"
// answer. It compares s, normalised as ParseCountry does, with every
// country's names and aliases by edit distance (an insertion, deletion,
// substitution or swap of two neighbouring letters each counts one) and
// returns the closest country, or the two closest when they are equally
// close ("irak": Iran, Iraq). People seldom mistype the first letter, so a
// name must start with the same one.
//
// It returns nil when s is a country already, when s is shorter than three
// letters, when nothing is reasonably close (see maxDistance), and when more
// than two countries are equally close: a guess is worse than no guess.
func Suggest(s string) []Country {
	if _, ok := ParseCountry(s); ok {
		return nil
	}
	indexOnce.Do(buildIndex)
	typed := []rune(normalise(s))
	if len(typed) < 3 {
		return nil
	}
	best := map[string]int{} // code → smallest distance
	for key, code := range byName {
		k := []rune(key)
		limit := maxDistance(len(k))
		if limit == 0 || abs(len(k)-len(typed)) > limit || k[0] != typed[0] {
			continue
		}
		if d := distance(typed, k); d <= limit {
			if old, ok := best[code]; !ok || d < old {
				best[code] = d
			}
		}
	}
	closest := -1
	var codes []string
	for code, d := range best {
		switch {
		case closest < 0 || d < closest:
			closest, codes = d, []string{code}
		case d == closest:
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 || len(codes) > 2 {
		return nil
	}
	out := make([]Country, 0, len(codes))
	for _, code := range codes {
		c, _ := countryFor(code)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// maxDistance is how many typing mistakes a name of n letters may carry and
// still be suggested: none for codes and other names under four letters
// (too many short strings are one mistake away from them), one up to seven
// letters ("peru", "germany"; two would take "africa" for "america"), two
// from eight ("australia"), three from twelve ("south africa").
func maxDistance(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	case n < 12:
		return 2
	default:
		return 3
	}
}

// distance is the optimal-string-alignment edit distance between a and b:
// Levenshtein distance where swapping two neighbouring letters also counts
// one.
func distance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
