package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
)

// nameSuggestion returns the candidate closest to given, or "" when none is close
// enough to be a plausible typo.
func nameSuggestion(given string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if strings.EqualFold(c, given) {
			return c
		}
		d := levenshtein.Distance(given, c, nil)
		// Short names make almost any edit look like a typo, so scale the allowance.
		limit := 2
		switch {
		case len(given) <= 2:
			limit = 1 // "5" is not a typo of "no"
		case len(given) >= 10:
			limit = 3
		}
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean is a sentence to append to a diagnostic detail, or "".
func didYouMean(given string, candidates []string) string {
	if s := nameSuggestion(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// sortedKeys lists a map's keys in order, for stable suggestions and messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
