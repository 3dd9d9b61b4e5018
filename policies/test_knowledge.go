package policies

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// A knowledge chunk's id always names its file ("bot.hcl#visa_zh"), so a
// test that expects the bare FAQ name ("visa_zh") can never pass: it is
// reported before the test runs, with the id to write.
type knowledgeExpectation struct {
	id  string
	rng hcl.Range
}

func (d *decoder) expectKnowledge(id string, rng hcl.Range) {
	if id == "" || id == "none" || strings.Contains(id, "#") {
		return
	}
	// Every for_each case evaluates the same place: check it once.
	if slices.ContainsFunc(d.knowledgeExpected, func(k knowledgeExpectation) bool { return k.rng == rng && k.id == id }) {
		return
	}
	d.knowledgeExpected = append(d.knowledgeExpected, knowledgeExpectation{id: id, rng: rng})
}

func (c *checker) checkTestKnowledge() {
	for _, k := range c.d.knowledgeExpected {
		i := slices.IndexFunc(c.bot.FAQs, func(f *FAQ) bool { return f.Name == k.id })
		if i < 0 {
			c.warnf(k.rng, "Not a knowledge chunk id", `%q names no chunk: a chunk id is the file and the passage, like "knowledge/faq.hcl#hours_en" or "knowledge/returns.md#returns/refunds", or "none". parley kb search FOLDER "question" prints the ids.`, k.id)
			continue
		}
		c.warnf(k.rng, "Not a knowledge chunk id", `A chunk id names the file of the FAQ: faq %q is %q.`, k.id, faqChunkID(c.bot.Dir, c.bot.FAQs[i]))
	}
}

// faqChunkID is the id the knowledge base gives an FAQ: its file, relative
// to the bot folder, and its name.
func faqChunkID(dir string, f *FAQ) string {
	file := f.Range.Filename
	if rel, err := filepath.Rel(dir, file); err == nil {
		file = rel
	}
	return filepath.ToSlash(file) + "#" + f.Name
}
