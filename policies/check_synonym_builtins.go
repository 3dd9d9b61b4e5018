package policies

import "strings"

// checkSynonymsTakeAmounts warns about a list entity's synonym that is a
// bare number ("256" for 256GB) in a bot that asks for an amount. The NLU
// reads the bot's own entities before the builtin types and drops a builtin
// value that overlaps one, so "512 yuan" is the storage 512GB and no amount.
// Found by a stranger's electronics shop, whose price-match amount of 512
// yuan was lost to the storage entity. One warning per entity.
func (c *checker) checkSynonymsTakeAmounts() {
	asked := ""
	for _, d := range c.bot.Dialogs {
		for _, s := range d.Slots {
			if s.Type == "money" && asked == "" {
				asked = "slot \"" + s.Name + "\" of dialog \"" + d.Name + "\""
			}
		}
	}
	if asked == "" {
		return
	}
	for _, name := range sortedKeys(c.bot.Entities) {
		e := c.bot.Entities[name]
		if e.Kind != EntityList {
			continue
		}
	values:
		for _, v := range e.Values {
			for _, syn := range append([]string{v.Canonical}, v.Synonyms...) {
				if !bareNumber(syn) {
					continue
				}
				probe := strings.TrimSpace(syn) + " yuan"
				c.warnf(e.Range, "Synonym takes the digits of an amount",
					"The synonym %q of value %q of entity %q is a bare number, and %s asks for an amount. The bot reads its own entities before the builtin types, so a customer who writes %q gets the %s %q and no amount. Write the synonym with the unit or word customers give it, and offer the values as buttons (value_buttons = %s), which send the value however it is written.",
					syn, v.Canonical, name, asked, probe, name, v.Canonical, name)
				break values
			}
		}
	}
}

// bareNumber reports whether s is digits alone, with at most the separators
// an amount is written with ("1,280", "12.5").
func bareNumber(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.Trim(s, "0123456789,.") != "" {
		return false
	}
	return strings.ContainsAny(s, "0123456789")
}
