package commands

import (
	"strings"
)

// matchElement finds the element a user meant: the same name (case- and
// accent-insensitively), else the only one whose name starts with what was
// typed. Otherwise the error names the closest element ("Bedoel je …?") and
// lists them all.
func matchElement(l Lang, elems []Element, typed string) (*Element, error) {
	key := NormalizeName(typed)
	var prefixed []*Element
	for i := range elems {
		k := NormalizeName(elems[i].Name)
		if k == key {
			return &elems[i], nil
		}
		if key != "" && strings.HasPrefix(k, key) {
			prefixed = append(prefixed, &elems[i])
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0], nil
	}
	names := make([]string, len(elems))
	for i := range elems {
		names[i] = elems[i].Name
	}
	list := l.Msg(MsgMatchElements) + strings.Join(names, ", ") + "."
	if len(prefixed) > 1 {
		var amb []string
		for _, e := range prefixed {
			amb = append(amb, e.Name)
		}
		return nil, Errorf(EINVALID, "%s", l.Msg(MsgMatchAmbiguous, clip(typed, 60), strings.Join(amb, ", ")))
	}
	msg := l.Msg(MsgMatchUnknown, clip(typed, 60))
	if s := suggest(key, names); s != "" {
		msg += l.Msg(MsgExportDidYouMean, s)
	}
	return nil, Errorf(ENOTFOUND, "%s\n%s", msg, list)
}

// suggest returns the name closest to the typed key, or "" when none is
// close enough to be a plausible typo. A key found inside exactly one name
// ("wonen" in "impact op wonen") is suggested too.
func suggest(key string, names []string) string {
	if key == "" {
		return ""
	}
	var inside []string
	best, bestDist := "", -1
	for _, n := range names {
		k := NormalizeName(n)
		if strings.Contains(k, key) {
			inside = append(inside, n)
		}
		d := levenshtein(key, k)
		if bestDist < 0 || d < bestDist {
			best, bestDist = n, d
		}
	}
	if len(inside) == 1 {
		return inside[0]
	}
	if bestDist >= 0 && bestDist <= max(2, len([]rune(key))/3) {
		return best
	}
	return ""
}

// levenshtein is the edit distance between a and b, in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
