package policies

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"
)

const minExamples = 5

func (c *checker) checkExamples() {
	type firstUse struct {
		intent string
		rng    hcl.Range
	}
	seen := map[string]firstUse{}
	for _, it := range c.bot.Intents {
		if len(it.Examples) < minExamples {
			c.warnf(it.Range, "Few examples", "Intent %q has %d examples; give at least %d varied phrasings so the bot recognises it reliably.", it.Name, len(it.Examples), minExamples)
		}
		for _, ex := range it.Examples {
			key := normalizeExample(ex.Text)
			first, dup := seen[key]
			switch {
			case !dup:
				seen[key] = firstUse{it.Name, ex.Range}
			case first.intent == it.Name:
				c.warnf(ex.Range, "Repeated example", "%q is already an example of this intent, at %s.", ex.Text, first.rng.String())
			default:
				c.errorf(ex.Range, "Duplicate example", "%q is also an example of intent %q (at %s); the bot cannot learn one phrase as two intents.", ex.Text, first.intent, first.rng.String())
			}
		}
	}
}

// checkExampleLanguages warns about an intent with no examples in one of the
// bot's two scripts (Chinese, or the others) while other intents have some: a
// message is recognised mostly from the examples in its own language, so the
// customers who write that language never reach the intent.
func (c *checker) checkExampleLanguages() {
	zh, other := "", ""
	for _, l := range c.bot.Languages {
		switch base, _, _ := strings.Cut(strings.ToLower(l), "-"); {
		case base == "zh" && zh == "":
			zh = l
		case base != "zh" && other == "":
			other = l
		}
	}
	if zh == "" || other == "" {
		return
	}
	type counts struct{ han, rest int }
	per := make([]counts, len(c.bot.Intents))
	var total counts
	for i, it := range c.bot.Intents {
		for _, ex := range it.Examples {
			if strings.IndexFunc(ex.Text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
				per[i].han++
			} else {
				per[i].rest++
			}
		}
		total.han += per[i].han
		total.rest += per[i].rest
	}
	for i, it := range c.bot.Intents {
		missing := ""
		switch n := per[i]; {
		case n.han == 0 && n.rest > 0 && total.han > 0:
			missing = zh
		case n.rest == 0 && n.han > 0 && total.rest > 0:
			missing = other
		default:
			continue
		}
		name := languageName(missing)
		c.warnf(it.Range, "No examples in a language", "Intent %q has no examples in %s (%s), while other intents have some; customers who write %s will rarely be recognised as asking for it. Add a few phrasings in %s.", it.Name, name, missing, name, name)
	}
}

// languageName is the English name of a few language codes, else the code.
func languageName(code string) string {
	base, _, _ := strings.Cut(strings.ToLower(code), "-")
	if name, ok := map[string]string{"zh": "Chinese", "en": "English", "fr": "French", "de": "German", "es": "Spanish", "ja": "Japanese", "ko": "Korean", "pt": "Portuguese", "it": "Italian", "ru": "Russian"}[base]; ok {
		return name
	}
	return code
}

func (c *checker) checkAnswers() {
	seen := map[string]hcl.Range{}
	for _, a := range c.bot.Answers {
		if a.Intent == "" {
			continue
		}
		if first, dup := seen[a.Intent]; dup {
			c.errorf(a.Range, "Duplicate answer", "Intent %q already has an answer at %s; only the first would ever be used.", a.Intent, first.String())
			continue
		}
		seen[a.Intent] = a.Range
	}
}

// ---- knowledge ----

func (c *checker) checkKnowledge() {
	k := c.bot.Knowledge
	if k == nil {
		return
	}
	if len(k.Sources) == 0 && len(c.bot.FAQs) == 0 {
		c.warnf(k.Range, "Empty knowledge base", `This knowledge block lists no sources and the bot has no faq blocks, so there is nothing to answer from. Add sources = ["knowledge/*.md"] or faq blocks.`)
	}
	if c.bot.Dir == "" {
		return // loaded from memory: there are no files to match
	}
	for i, glob := range k.Sources {
		if sourceGlobProblem(glob) != "" || i >= len(k.SourceRanges) {
			continue // reported when decoded
		}
		files, err := SourceFiles(c.bot.Dir, glob)
		if err != nil {
			c.errorf(k.SourceRanges[i], "Knowledge source matches no file", "%s", noSourceFileDetail(c.bot.Dir, glob))
			continue
		}
		c.checkSourceKinds(k.SourceRanges[i], glob, files)
	}
}

// ---- dialogs ----

func (c *checker) checkDialogsReachable() {
	started := map[string]bool{}
	c.walk(visitor{actions: func(a *Actions, _ *typeScope) {
		if a.Start != "" {
			started[a.Start] = true
		}
	}}, newScopeSet(c.bot))

	// An answer takes its intent before any dialog does, so a trigger that
	// has one never starts the dialog. Only a warning, so that bots written
	// before this check keep validating.
	answered := map[string]string{}
	for _, a := range c.bot.Answers {
		if _, ok := answered[a.Intent]; a.Intent != "" && !ok {
			answered[a.Intent] = a.Name
		}
	}
	// A dialog without a when condition always takes its triggers, so a later
	// dialog with the same trigger never gets it.
	owner := map[string]string{}
	for _, dl := range c.bot.Dialogs {
		var shadowed, byAnswer []string
		for _, t := range dl.Triggers {
			if first, ok := owner[t]; ok {
				shadowed = append(shadowed, fmt.Sprintf("intent.%s (dialog %q)", t, first))
			} else if a, ok := answered[t]; ok {
				byAnswer = append(byAnswer, fmt.Sprintf("intent.%s (answer %q)", t, a))
			}
		}
		for _, t := range dl.Triggers {
			if _, ok := owner[t]; !ok && dl.When == nil {
				owner[t] = dl.Name
			}
		}
		switch {
		case started[dl.Name]:
		case len(dl.Triggers) == 0 && c.d != nil && (c.d.triggerWritten[dl] || c.d.startBroken):
			continue
		case len(dl.Triggers) == 0:
			c.errorf(dl.Range, "Dialog can never start", "Dialog %q has no trigger and no rule or action starts it: add trigger = [intent.NAME] or start = dialog.%s somewhere.", dl.Name, dl.Name)
			continue
		case len(shadowed) == len(dl.Triggers):
			c.errorf(dl.Range, "Dialog can never start", "Every trigger of dialog %q already starts an earlier dialog, which always wins: %s.", dl.Name, strings.Join(shadowed, ", "))
			continue
		}
		if len(shadowed) > 0 {
			c.warnf(dl.Range, "Trigger never applies", "These triggers already start an earlier dialog, which always wins: %s.", strings.Join(shadowed, ", "))
		}
		if len(byAnswer) > 0 {
			summary := "Trigger never applies"
			if len(shadowed)+len(byAnswer) == len(dl.Triggers) && !started[dl.Name] {
				summary = "Dialog can never start"
			}
			c.warnf(dl.Range, summary, "An answer takes its intent before any dialog does, so these triggers never start dialog %q: %s. Remove the answer, or the trigger.", dl.Name, strings.Join(byAnswer, ", "))
		}
	}
}
