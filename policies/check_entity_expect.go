package policies

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// checkExpectedEntityValue warns where a test expects of a list entity a
// value it never yields: the NLU gives the canonical value, so
// entities = { medicine = "布洛芬" } fails on every run when 布洛芬 is a
// synonym of ibuprofen. Likewise for a lower-case value of an ignore_case
// pattern. A warning, since such a bot validates today.
func (c *checker) checkExpectedEntityValue(e *Entity, r reference) {
	if !r.expect.IsKnown() || r.expect.IsNull() {
		return
	}
	var want []cty.Value
	if ty := r.expect.Type(); ty.IsTupleType() || ty.IsListType() {
		want = r.expect.AsValueSlice()
	} else {
		want = []cty.Value{r.expect}
	}
	if e.Kind == EntityPattern && e.IgnoreCase {
		c.checkExpectedUpperCase(e, r, want)
		return
	}
	if e.Kind != EntityList {
		return
	}
	var canonical []string
	for _, v := range e.Values {
		canonical = append(canonical, v.Canonical)
	}
	for _, w := range want {
		if !w.IsKnown() || w.IsNull() || w.Type() != cty.String {
			continue
		}
		got := w.AsString()
		if got == "" || slices.Contains(canonical, got) {
			continue // an expected slot of "" is an empty one, as null is
		}
		hint := ""
		for _, v := range e.Values {
			if slices.ContainsFunc(v.Synonyms, func(s string) bool { return strings.EqualFold(s, got) }) || strings.EqualFold(v.Canonical, got) {
				hint = fmt.Sprintf(" %q is a synonym of %s, and the entity's value is always the canonical one: %s = %q.", got, v.Canonical, r.name, v.Canonical)
				break
			}
		}
		if hint == "" {
			hint = fmt.Sprintf(" Its values are %s.%s", strings.Join(canonical, ", "), didYouMean(got, canonical))
		}
		c.warnExpectedEntityValue(e, r, got, hint)
	}
}

// checkExpectedUpperCase warns where a test expects of an ignore_case pattern
// entity a value in lower case: its values are stored upper-cased, so "10am"
// is never what it yields for "10am" ("10AM" is).
func (c *checker) checkExpectedUpperCase(e *Entity, r reference, want []cty.Value) {
	for _, w := range want {
		if !w.IsKnown() || w.IsNull() || w.Type() != cty.String {
			continue
		}
		got := w.AsString()
		if upper := strings.ToUpper(got); upper != got {
			c.warnExpectedEntityValue(e, r, got, fmt.Sprintf(" With ignore_case it stores what it matches upper-cased: %s = %q.", r.name, upper))
		}
	}
}

func (c *checker) warnExpectedEntityValue(e *Entity, r reference, got, hint string) {
	key := r.expectRng.String() + "\x00" + got
	if c.entityExpectWarned[key] {
		return
	}
	if c.entityExpectWarned == nil {
		c.entityExpectWarned = map[string]bool{}
	}
	c.entityExpectWarned[key] = true
	c.warnf(r.expectRng, "Not a value of the entity", "Entity %q never yields %q, so this expectation never holds.%s", e.Name, got, hint)
}

// checkExpectedSlotValue is checkExpectedEntityValue (or, for a builtin
// type, checkExpectedBuiltinValue) for a test's expected slot value, where
// every slot of that name in the dialogs is of one type.
func (c *checker) checkExpectedSlotValue(dialogs []*Dialog, r reference) {
	typ := ""
	for _, dl := range dialogs {
		for _, s := range dl.Slots {
			if s == nil || s.Name != r.name {
				continue
			}
			if typ != "" && s.Type != typ {
				return
			}
			typ = s.Type
		}
	}
	if e, ok := c.bot.Entities[typ]; ok {
		c.checkExpectedEntityValue(e, r)
	} else if slices.Contains(BuiltinTypes, typ) {
		c.checkExpectedBuiltinValue(typ, r)
	}
}

// checkExpectedBuiltinValue warns where a test expects of a date, money or
// number a value written as the customer types it: entities = { date =
// "next friday" } or slots = { amount = "60 quid" } never hold, since the
// NLU gives a date as "YYYY-MM-DD" and an amount as a number.
func (c *checker) checkExpectedBuiltinValue(typ string, r reference) {
	if !r.expect.IsKnown() || r.expect.IsNull() {
		return
	}
	want := []cty.Value{r.expect}
	if ty := r.expect.Type(); ty.IsTupleType() || ty.IsListType() {
		want = r.expect.AsValueSlice()
	}
	for _, w := range want {
		if !w.IsKnown() || w.IsNull() || w.Type() != cty.String || w.AsString() == "" {
			continue
		}
		got := w.AsString()
		switch typ {
		case "date":
			if !reISODate.MatchString(got) {
				c.warnExpectedBuiltinValue(r, typ, got, `A date is written "YYYY-MM-DD", the day the test's clock makes of the words: "2026-11-27" for "friday" on the default Monday 23 November 2026 (parley chat -debug shows it).`)
			}
		case "money", "number":
			if _, err := strconv.ParseFloat(strings.ReplaceAll(got, ",", ""), 64); err != nil {
				c.warnExpectedBuiltinValue(r, typ, got, "An amount or a number is written as a number, without quotes, currency or unit: 60 for \"60 quid\" or \"£60\".")
			}
		}
	}
}

var reISODate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (c *checker) warnExpectedBuiltinValue(r reference, typ, got, hint string) {
	key := r.expectRng.String() + "\x00" + got
	if c.entityExpectWarned[key] {
		return
	}
	if c.entityExpectWarned == nil {
		c.entityExpectWarned = map[string]bool{}
	}
	c.entityExpectWarned[key] = true
	c.warnf(r.expectRng, "Not a value of the type", "The builtin type %s never yields %q, so this expectation never holds. %s", typ, got, hint)
}
