package engine

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/nlu/wordvec"
	"github.com/parleyhq/parley/policies"
)

// TestTypoCheck reads the test messages of bots (PARLEY_TYPO_BOTS, a list of
// folders or globs; default the examples) clean and with one seeded typo in
// every word of 5+ letters, and prints how often the top intent and the
// expected entities come out as the test says, and how many entities the
// typos add that the clean message did not have (false matches).
// NLU_COMPARE=1 runs it; it scores, it does not fail.
func TestTypoCheck(t *testing.T) {
	if os.Getenv("NLU_COMPARE") == "" {
		t.Skip("NLU_COMPARE=1 runs the bot-sized typo check")
	}
	patterns := strings.Fields(os.Getenv("PARLEY_TYPO_BOTS"))
	if len(patterns) == 0 {
		patterns = []string{"../examples/*"}
	}
	var dirs []string
	for _, p := range patterns {
		m, _ := filepath.Glob(p)
		dirs = append(dirs, m...)
	}
	var total typoScore
	corpus := typoCorpus(t, strings.Fields(os.Getenv("PARLEY_TYPO_CORPUS")))
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "tests")); err != nil {
			continue
		}
		bot, diags := Load(dir, nil)
		if diags.HasErrors() {
			t.Logf("%s: %v", dir, diags)
			continue
		}
		model, err := nlu.Train(context.Background(), TrainingData(bot), nlu.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, uint64(len(dir))))
		var s typoScore
		for _, test := range bot.Tests {
			for _, turn := range test.Turns {
				if turn.User == "" {
					continue
				}
				typo := withTypo(rng, turn.User)
				if typo == turn.User {
					continue
				}
				clean, typed := model.Parse(turn.User, nlu.ParseOptions{}), model.Parse(typo, nlu.ParseOptions{})
				if turn.Intent != "" && turn.Intent != "none" {
					s.intents++
					s.intentClean += b2i(clean.Top().Name == turn.Intent)
					s.intentTypo += b2i(typed.Top().Name == turn.Intent)
				}
				for name, want := range turn.Entities {
					if want.IsNull() || !want.Type().Equals(cty.String) {
						continue
					}
					s.entities++
					s.entityClean += b2i(hasEntity(clean, name, want.AsString()))
					s.entityTypo += b2i(hasEntity(typed, name, want.AsString()))
				}
				for _, e := range typed.Entities {
					if e.Type != "" && bot.Entities[e.Type] != nil && !hasEntity(clean, e.Type, e.Value) {
						s.added++
						t.Logf("%s: %q: %s=%s not in %q", filepath.Base(filepath.Dir(dir))+"/"+filepath.Base(dir), typo, e.Type, e.Value, turn.User)
					}
				}
			}
		}
		if len(corpus) > 0 {
			total.corpusMatches += corpusMatches(t, dir, bot, model, corpus)
		}
		t.Logf("%-28s intents %3d clean %5.1f%% typo %5.1f%%  entities %3d clean %5.1f%% typo %5.1f%%  added %d",
			dir, s.intents, pct(s.intentClean, s.intents), pct(s.intentTypo, s.intents),
			s.entities, pct(s.entityClean, s.entities), pct(s.entityTypo, s.entities), s.added)
		total.add(s)
	}
	t.Logf("%-28s intents %3d clean %5.1f%% typo %5.1f%%  entities %3d clean %5.1f%% typo %5.1f%%  added %d",
		"all", total.intents, pct(total.intentClean, total.intents), pct(total.intentTypo, total.intents),
		total.entities, pct(total.entityClean, total.entities), pct(total.entityTypo, total.entities), total.added)
	if len(corpus) > 0 {
		t.Logf("%d words of the corpus (PARLEY_TYPO_CORPUS) not in the English table; list entities found in them by a typo, over all bots: %d", len(corpus), total.corpusMatches)
	}
}

// typoCorpus returns the distinct words of 4+ letters a-z of files that are
// not English words: the only ones a synonym's typo can match.
func typoCorpus(t *testing.T, files []string) []string {
	seen := map[string]bool{}
	var words []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(string(b)), func(r rune) bool { return r < 'a' || r > 'z' }) {
			if len(w) >= 4 && !seen[w] && wordvec.Rank(w) < 0 {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	return words
}

// corpusMatches parses each corpus word alone and logs the list entities it
// reads by a typo, that is with a text that is none of the entity's forms.
func corpusMatches(t *testing.T, dir string, bot *policies.Bot, model *nlu.Model, corpus []string) int {
	n := 0
	for _, w := range corpus {
		for _, e := range model.Parse(w, nlu.ParseOptions{}).Entities {
			ent := bot.Entities[e.Type]
			if ent == nil || ent.Pattern != nil {
				continue
			}
			exact := false
			for _, v := range ent.Values {
				for _, f := range append([]string{v.Canonical}, v.Synonyms...) {
					exact = exact || strings.EqualFold(f, e.Text)
				}
			}
			if !exact {
				n++
				t.Logf("%s: corpus word %q read as %s=%s", dir, w, e.Type, e.Value)
			}
		}
	}
	return n
}

type typoScore struct {
	intents, intentClean, intentTypo  int
	entities, entityClean, entityTypo int
	added                             int
	corpusMatches                     int
}

func (s *typoScore) add(o typoScore) {
	s.intents += o.intents
	s.intentClean += o.intentClean
	s.intentTypo += o.intentTypo
	s.entities += o.entities
	s.entityClean += o.entityClean
	s.entityTypo += o.entityTypo
	s.added += o.added
}

func hasEntity(r nlu.Result, name, value string) bool {
	for _, e := range r.Entities {
		if e.Type == name && strings.EqualFold(e.Value, value) {
			return true
		}
	}
	return false
}

// withTypo puts one random edit (a letter deleted, inserted, replaced, or two
// neighbours swapped) into every word of 5 or more ASCII letters.
func withTypo(rng *rand.Rand, text string) string {
	var out strings.Builder
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && isLetter(text[j]) {
			j++
		}
		if j == i {
			out.WriteByte(text[i])
			i++
			continue
		}
		w := []byte(text[i:j])
		if len(w) >= 5 && (j == len(text) || text[j] < 0x80) && (i == 0 || text[i-1] < 0x80) {
			p := rng.IntN(len(w))
			c := byte('a' + rng.IntN(26))
			switch rng.IntN(4) {
			case 0:
				w = append(w[:p], w[p+1:]...)
			case 1:
				w = append(w[:p], append([]byte{c}, w[p:]...)...)
			case 2:
				w[p] = c
			case 3:
				if p == len(w)-1 {
					p--
				}
				w[p], w[p+1] = w[p+1], w[p]
			}
		}
		out.Write(w)
		i = j
	}
	return out.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}
