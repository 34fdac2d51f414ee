package crisislines

import "sort"

// kindRank orders kinds as care.md asks: phone, then text, then chat, then
// web directories.
func kindRank(kind string) int {
	switch kind {
	case KindPhone:
		return 0
	case KindText:
		return 1
	case KindChat:
		return 2
	default:
		return 3
	}
}

func confidenceRank(c string) int {
	switch c {
	case High:
		return 0
	case Medium:
		return 1
	default:
		return 2
	}
}

// Is247 reports whether the line is known to answer around the clock.
func (l Line) Is247() bool { return l.Hours == "24/7" }

// mainLine returns the index of the country's main line: the first 24/7
// phone line that is not low-confidence, else the first 24/7 phone line, or
// -1. "First" is the order given, which for the embedded data is the
// researched table's order: it lists each country's main national line first.
func mainLine(lines []Line) int {
	first := -1
	for i, l := range lines {
		if l.Kind != KindPhone || !l.Is247() {
			continue
		}
		if l.Confidence != Low {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return first
}

// orderLines returns lines in care.md's order: the main 24/7 phone line
// first, then other phone lines, text, chat and web; within a kind, high
// confidence before medium before low, lines to double-check after sure
// ones, and otherwise the order given.
func orderLines(lines []Line) []Line {
	out := make([]Line, 0, len(lines))
	m := mainLine(lines)
	if m >= 0 {
		out = append(out, lines[m])
	}
	rest := make([]Line, 0, len(lines))
	for i, l := range lines {
		if i != m {
			rest = append(rest, l)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool {
		a, b := rest[i], rest[j]
		if ka, kb := kindRank(a.Kind), kindRank(b.Kind); ka != kb {
			return ka < kb
		}
		if ca, cb := confidenceRank(a.Confidence), confidenceRank(b.Confidence); ca != cb {
			return ca < cb
		}
		return !a.DoubleCheck && b.DoubleCheck
	})
	return append(out, rest...)
}
