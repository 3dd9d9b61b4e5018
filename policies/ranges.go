package policies

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Rules and outcomes that split a number into ranges (call.order.total < 300,
// > 300 && <= 3000, > 3000) are checked for the values no rule covers — the
// bot would only say its error reply at exactly 300 — and for ranges two rules both cover,
// where the second never applies.

// interval is a range of numbers; lo and hi may be infinite.
type interval struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

func (iv interval) empty() bool {
	return iv.lo > iv.hi || (iv.lo == iv.hi && (iv.loOpen || iv.hiOpen))
}

// numberSet is a union of disjoint intervals, in order.
type numberSet []interval

var everything = numberSet{{lo: math.Inf(-1), hi: math.Inf(1), loOpen: true, hiOpen: true}}

func (s numberSet) intersect(o numberSet) numberSet {
	var out numberSet
	for _, a := range s {
		for _, b := range o {
			iv := interval{lo: a.lo, loOpen: a.loOpen, hi: a.hi, hiOpen: a.hiOpen}
			if b.lo > iv.lo || (b.lo == iv.lo && b.loOpen) {
				iv.lo, iv.loOpen = b.lo, b.loOpen
			}
			if b.hi < iv.hi || (b.hi == iv.hi && b.hiOpen) {
				iv.hi, iv.hiOpen = b.hi, b.hiOpen
			}
			if !iv.empty() {
				out = append(out, iv)
			}
		}
	}
	return out.normal()
}

func (s numberSet) union(o numberSet) numberSet {
	return append(append(numberSet{}, s...), o...).normal()
}

func (s numberSet) complement() numberSet {
	out := everything
	for _, iv := range s {
		var rest numberSet
		if !math.IsInf(iv.lo, -1) {
			rest = append(rest, interval{lo: math.Inf(-1), loOpen: true, hi: iv.lo, hiOpen: !iv.loOpen})
		}
		if !math.IsInf(iv.hi, 1) {
			rest = append(rest, interval{lo: iv.hi, loOpen: !iv.hiOpen, hi: math.Inf(1), hiOpen: true})
		}
		out = out.intersect(rest)
	}
	return out
}

// normal sorts the intervals and merges those that touch.
func (s numberSet) normal() numberSet {
	var in numberSet
	for _, iv := range s {
		if !iv.empty() {
			in = append(in, iv)
		}
	}
	sort.Slice(in, func(i, j int) bool {
		if in[i].lo != in[j].lo {
			return in[i].lo < in[j].lo
		}
		return !in[i].loOpen && in[j].loOpen
	})
	var out numberSet
	for _, iv := range in {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if iv.lo < last.hi || (iv.lo == last.hi && !(iv.loOpen && last.hiOpen)) {
				if iv.hi > last.hi || (iv.hi == last.hi && !iv.hiOpen) {
					last.hi, last.hiOpen = iv.hi, iv.hiOpen
				}
				continue
			}
		}
		out = append(out, iv)
	}
	return out
}

// describe says which values of subject an interval holds, for a message.
func (iv interval) describe(subject string) string {
	n := func(f float64) string { return FormatNumber(cty.NumberFloatVal(f).AsBigFloat()) }
	switch {
	case iv.lo == iv.hi:
		return fmt.Sprintf("%s = %s", subject, n(iv.lo))
	case math.IsInf(iv.lo, -1) && math.IsInf(iv.hi, 1):
		return "any " + subject
	case math.IsInf(iv.lo, -1):
		return fmt.Sprintf("%s %s %s", subject, map[bool]string{true: "<", false: "<="}[iv.hiOpen], n(iv.hi))
	case math.IsInf(iv.hi, 1):
		return fmt.Sprintf("%s %s %s", subject, map[bool]string{true: ">", false: ">="}[iv.loOpen], n(iv.lo))
	}
	return fmt.Sprintf("%s %s %s %s %s", n(iv.lo), map[bool]string{true: "<", false: "<="}[iv.loOpen], subject, map[bool]string{true: "<", false: "<="}[iv.hiOpen], n(iv.hi))
}

func (s numberSet) describe(subject string) string {
	var parts []string
	for _, iv := range s {
		parts = append(parts, iv.describe(subject))
	}
	return joinOr(parts)
}

func joinOr(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// rangeOf reads a condition as a set of numbers of one subject: comparisons
// of it with constants, joined by && and ||. ok is false for anything else.
func (c *checker) rangeOf(expr hcl.Expression) (subject string, set numberSet, ok bool) {
	syn, isSyntax := expr.(hclsyntax.Expression)
	if !isSyntax {
		return "", nil, false
	}
	switch e := syn.(type) {
	case *hclsyntax.ParenthesesExpr:
		return c.rangeOf(e.Expression)
	case *hclsyntax.BinaryOpExpr:
		if e.Op == hclsyntax.OpLogicalAnd || e.Op == hclsyntax.OpLogicalOr {
			ls, lset, lok := c.rangeOf(e.LHS)
			rs, rset, rok := c.rangeOf(e.RHS)
			if !lok || !rok || ls != rs {
				return "", nil, false
			}
			if e.Op == hclsyntax.OpLogicalAnd {
				return ls, lset.intersect(rset), true
			}
			return ls, lset.union(rset), true
		}
		subject, n, flipped, ok := c.comparison(e)
		if !ok {
			return "", nil, false
		}
		op := e.Op
		if flipped { // 300 < x is x > 300
			op = map[*hclsyntax.Operation]*hclsyntax.Operation{
				hclsyntax.OpLessThan: hclsyntax.OpGreaterThan, hclsyntax.OpLessThanOrEqual: hclsyntax.OpGreaterThanOrEqual,
				hclsyntax.OpGreaterThan: hclsyntax.OpLessThan, hclsyntax.OpGreaterThanOrEqual: hclsyntax.OpLessThanOrEqual,
				hclsyntax.OpEqual: hclsyntax.OpEqual,
			}[op]
		}
		inf := math.Inf(1)
		switch op {
		case hclsyntax.OpLessThan:
			return subject, numberSet{{lo: -inf, loOpen: true, hi: n, hiOpen: true}}, true
		case hclsyntax.OpLessThanOrEqual:
			return subject, numberSet{{lo: -inf, loOpen: true, hi: n}}, true
		case hclsyntax.OpGreaterThan:
			return subject, numberSet{{lo: n, loOpen: true, hi: inf, hiOpen: true}}, true
		case hclsyntax.OpGreaterThanOrEqual:
			return subject, numberSet{{lo: n, hi: inf, hiOpen: true}}, true
		case hclsyntax.OpEqual:
			return subject, numberSet{{lo: n, hi: n}}, true
		}
	}
	return "", nil, false
}

// comparison reads "subject OP constant" (or the other way round): the
// subject's source text, the constant, and whether it was written first.
func (c *checker) comparison(e *hclsyntax.BinaryOpExpr) (string, float64, bool, bool) {
	if _, isCmp := map[*hclsyntax.Operation]bool{
		hclsyntax.OpLessThan: true, hclsyntax.OpLessThanOrEqual: true, hclsyntax.OpGreaterThan: true,
		hclsyntax.OpGreaterThanOrEqual: true, hclsyntax.OpEqual: true,
	}[e.Op]; !isCmp {
		return "", 0, false, false
	}
	if n, ok := c.constant(e.RHS); ok {
		if s, ok := c.subjectText(e.LHS); ok {
			return s, n, false, true
		}
	}
	if n, ok := c.constant(e.LHS); ok {
		if s, ok := c.subjectText(e.RHS); ok {
			return s, n, true, true
		}
	}
	return "", 0, false, false
}

// constant evaluates an expression that reads nothing but variables to a number.
func (c *checker) constant(expr hclsyntax.Expression) (float64, bool) {
	for _, trav := range expr.Variables() {
		if trav.RootName() != "var" {
			return 0, false
		}
	}
	vars := map[string]cty.Value{}
	for name, v := range c.bot.Variables {
		if v != nil && v.Value != cty.NilVal {
			vars[name] = v.Value
		}
	}
	v, diags := expr.Value(&hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}})
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	return f, true
}

// subjectText is the source of an expression that reads something that
// varies, as written, spaces removed: two conditions on "call.order.total"
// are about the same number.
func (c *checker) subjectText(expr hclsyntax.Expression) (string, bool) {
	if len(expr.Variables()) == 0 {
		return "", false
	}
	rng := expr.Range()
	f := c.bot.Files[rng.Filename]
	if f == nil || rng.End.Byte > len(f.Bytes) {
		return "", false
	}
	return strings.Join(strings.Fields(string(rng.SliceBytes(f.Bytes))), ""), true
}

// decision is a rule or outcome checked when a dialog completes.
type decision struct {
	what    string // `rule "x"` or `outcome "y"`
	when    hcl.Expression
	once    bool // a rule that applies once: later ones still run after it
	actions *Actions
	rng     hcl.Range
}

// checkDecisions looks at what each dialog does when it completes: the rules
// on it, then its outcomes, first match wins. Numbers split into ranges must
// leave no gap and no overlap, and the dialog must not be able to finish
// without saying anything.
func (c *checker) checkDecisions() {
	scopes := newScopeSet(c.bot)
	unplaced := c.hasUnplacedRule()
	for _, dl := range c.bot.Dialogs {
		var list []decision
		for _, r := range c.bot.Rules {
			if r.On.Kind == "dialog" && r.On.Dialog == dl.Name {
				list = append(list, decision{what: fmt.Sprintf("rule %q", r.Name), when: r.When, once: r.Once, actions: &r.Actions, rng: r.Range})
			}
		}
		for _, o := range dl.Outcomes {
			list = append(list, decision{what: fmt.Sprintf("outcome %q", o.Name), when: o.When, actions: &o.Actions, rng: o.Range})
		}
		c.checkDecisionList(dl, scopes.dialog(dl), list, unplaced)
	}
	// Rules on handoff or message may leave gaps (then nothing replaces the
	// handoff, or the message is handled as usual), but an overlap still
	// means a rule that never applies where it is meant to.
	for _, kind := range []string{"handoff", "message"} {
		var list []decision
		for _, r := range c.bot.Rules {
			if r.On.Kind == kind {
				list = append(list, decision{what: fmt.Sprintf("rule %q", r.Name), when: r.When, once: r.Once, actions: &r.Actions, rng: r.Range})
			}
		}
		c.checkOverlaps(nil, scopes.global, list)
	}
}

// unplaced says that a rule's on is in error, so the dialog may have rules
// it does not know of: then gaps and silence are not reported.
func (c *checker) checkDecisionList(dl *Dialog, sc *typeScope, list []decision, unplaced bool) {
	decided := c.checkOverlaps(dl, sc, list)
	for _, d := range list {
		if saysNothing(d.actions) && (c.d == nil || !c.d.sayBroken[d.rng]) {
			c.warnf(d.rng, "Finishes without a word", "When %s applies, dialog %q is done and the bot says nothing: add a reply (or a handoff, or start another dialog).", d.what, dl.Name)
		}
	}
	c.checkPointGaps(dl, list)
	if unplaced {
		return // a rule whose on is in error may be this dialog's: its error comes alone
	}
	if decided {
		// Some of the ranges cover every value of a slot always asked, so
		// something applies whatever the other conditions say: asking for a
		// catch-all here would only earn it a "Never applies".
		return
	}
	for _, d := range list {
		if d.when == nil {
			return // a catch-all: something always applies
		}
		if c.errorIn(d.when) {
			return // what the conditions cover can't be known: the error comes alone
		}
	}
	subject := ""
	covered := numberSet{}
	for _, d := range list {
		s, set, ok := c.rangeOf(d.when)
		if !ok || (subject != "" && s != subject) {
			subject = ""
			covered = nil
			break
		}
		subject = s
		covered = covered.union(set)
	}
	if covered != nil && subject != "" {
		if gap := covered.complement(); len(gap) > 0 {
			c.warnf(dl.Range, "Values no rule covers", "When dialog %q completes, no rule or outcome applies for %s, so the bot would only say its error reply. Extend a range, or add an outcome without when.", dl.Name, gap.describe(subject))
		}
		return
	}
	if len(list) == 0 {
		c.warnf(dl.Range, "Finishes without a word", "Dialog %q has no outcome and no rule applies when it completes, so the bot then only says its error reply. Add an outcome.", dl.Name)
		return
	}
	c.warnf(dl.Range, "May finish without a word", "When dialog %q completes and none of the conditions of its rules and outcomes holds, the bot only says its error reply. Add an outcome without when as the last one, to say something meant for every case.", dl.Name)
}

// hasUnplacedRule reports whether a rule's on is in error (quoted, misspelt,
// a dialog that does not exist): such a rule was meant for some dialog, so
// the ranges a dialog's rules leave uncovered are not known.
func (c *checker) hasUnplacedRule() bool {
	for _, r := range c.bot.Rules {
		if r.On.Kind == "" {
			return true
		}
		if r.On.Kind == "dialog" && !slices.ContainsFunc(c.bot.Dialogs, func(dl *Dialog) bool { return dl.Name == r.On.Dialog }) {
			return true
		}
	}
	return false
}

// checkPointGaps warns about a single value that ranges of one number leave
// out between them, < 50 then > 50, when a catch-all below them decides it.
// A catch-all is there for what the ranges are not about (a call's field the
// system left out, a slot not asked), so the gap is no warning of its own;
// but one value that falls through is nearly always a < that meant <=.
//
// Rules and outcomes on something else, such as an "already refunded" rule
// above the amount's ranges, are set aside: whatever they decide, the value
// between the ranges still falls through when they don't apply. One that
// reads the number itself, directly or through locals, ends the analysis.
func (c *checker) checkPointGaps(dl *Dialog, list []decision) {
	subject := ""
	covered := numberSet{}
	var others []hcl.Expression
	for _, d := range list {
		if d.when == nil {
			var points numberSet
			for _, iv := range covered.complement() {
				if iv.lo == iv.hi {
					points = append(points, iv)
				}
			}
			// No ranges, no gap; and a rule that reads the number itself
			// decides the gap's value, so the analysis ends.
			if subject == "" || len(points) == 0 || slices.ContainsFunc(others, func(e hcl.Expression) bool { return c.mentions(e, subject, map[string]bool{}) }) {
				return
			}
			own := fmt.Sprintf("when = %s == %s", subject, FormatNumber(cty.NumberFloatVal(points[0].lo).AsBigFloat()))
			c.warnf(dl.Range, "Value between two ranges", "When dialog %q completes with %s, none of the rules and outcomes that compare %s applies (one range stops just below and the next starts just above), so %s decides it. If that is not meant, write <= or >= so the ranges meet. If it is (a zero between negative and positive, say), give that value an outcome of its own with %s, and this warning goes.",
				dl.Name, points.describe(subject), subject, d.what, own)
			return
		}
		if c.errorIn(d.when) {
			return
		}
		s, set, ok := c.rangeOf(d.when)
		if !ok {
			others = append(others, d.when)
			continue
		}
		if subject != "" && s != subject {
			return
		}
		subject = s
		covered = covered.union(set)
	}
}

// readsName reports whether text reads name as a whole: "call.booking.deposit"
// is not read by "call.booking.deposit_status == \"held\"".
func readsName(text, name string) bool {
	if name == "" {
		return false
	}
	ident := func(b byte) bool { return b == '_' || b == '-' || b == '.' || isAlnumASCII(b) }
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !ident(text[start-1])) && (end == len(text) || !ident(text[end]) || text[end] == '.') {
			return true
		}
		i = start + 1
	}
}

func isAlnumASCII(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// mentions reports whether a condition reads subject (a number's source, as
// subjectText writes it), in its own text or in a local it reads.
func (c *checker) mentions(expr hcl.Expression, subject string, seen map[string]bool) bool {
	syn, isSyntax := expr.(hclsyntax.Expression)
	if !isSyntax {
		return true // can't tell: assume it does
	}
	if text, ok := c.subjectText(syn); !ok || readsName(text, subject) {
		return ok
	}
	for _, trav := range syn.Variables() {
		parts, ok := refTraversal(&hclsyntax.ScopeTraversalExpr{Traversal: trav})
		if !ok || len(parts) < 2 || parts[0] != "local" || seen[parts[1]] {
			continue
		}
		seen[parts[1]] = true
		for _, l := range c.bot.Locals {
			if l.Name == parts[1] && c.mentions(l.Expr, subject, seen) {
				return true
			}
		}
	}
	return false
}

// checkOverlaps warns about a rule or outcome that shares a range of the
// same number with one above it: first match wins, so there it never applies.
// One that never applies at all (those above it cover all it covers, or every
// value, or one above it has no when) gets one warning saying so instead.
// dl is the dialog the list decides for, nil for rules on handoff or message.
// It reports whether the ranges of a number that always has a value cover
// every value, so that some decision surely applies.
func (c *checker) checkOverlaps(dl *Dialog, sc *typeScope, list []decision) bool {
	type analysed struct {
		d       decision
		subject string
		set     numberSet
	}
	var done []analysed
	// certain are the decisions above that apply whenever their condition
	// holds, by subject: not once rules, and numbers whose comparisons HCL
	// decides exactly.
	certain := map[string][]analysed{}
	always := "" // why nothing below applies, once something above always does
	coversAll := false
	for _, d := range list {
		if always != "" {
			c.warnf(d.rng, "Never applies", "%s never applies: %s. Remove it, or change the conditions above it.", upperFirst(d.what), always)
			continue
		}
		if d.when == nil {
			if !d.once {
				always = fmt.Sprintf("%s above it has no when, so it always applies first", d.what)
			}
			continue
		}
		if c.errorIn(d.when) {
			continue
		}
		subject, set, ok := c.rangeOf(d.when)
		if !ok {
			continue
		}
		exact := c.comparesNumbers(d.when, sc)
		if above := certain[subject]; exact && len(above) > 0 {
			covered := numberSet{}
			var by []string
			for _, a := range above {
				if len(a.set.intersect(set)) > 0 {
					covered = covered.union(a.set)
					by = append(by, a.d.what)
				}
			}
			if len(set.intersect(covered.complement())) == 0 {
				c.warnf(d.rng, "Never applies", "%s never applies: %s above it cover%s all it covers (%s), and the first that holds applies. Remove it, or change the conditions above it.",
					upperFirst(d.what), joinAnd(by), map[bool]string{true: "s", false: ""}[len(by) == 1], set.describe(subject))
				continue
			}
		}
		for _, a := range done {
			if a.subject != subject {
				continue
			}
			if both := a.set.intersect(set); len(both) > 0 {
				c.warnf(d.rng, "Overlapping ranges", "%s and %s above it both cover %s. There the first applies, and %s applies only where %s does not. Make the ranges meet without overlapping, so that each value is decided in one place.", upperFirst(d.what), a.d.what, both.describe(subject), d.what, a.d.what)
			}
		}
		done = append(done, analysed{d, subject, set})
		if !exact || d.once {
			continue
		}
		certain[subject] = append(certain[subject], analysed{d, subject, set})
		covered := numberSet{}
		var by []string
		for _, a := range certain[subject] {
			covered = covered.union(a.set)
			by = append(by, a.d.what)
		}
		if len(covered.complement()) == 0 && alwaysSet(dl, subject) {
			always = fmt.Sprintf("%s above it cover every value of %s, and the first that holds applies", joinAnd(by), subject)
			coversAll = true
		}
	}
	return coversAll
}

// errorIn reports whether an error was reported inside expr.
func (c *checker) errorIn(expr hcl.Expression) bool {
	rng := expr.Range()
	for _, d := range c.diags {
		if d.Severity == hcl.DiagError && d.Subject != nil && d.Subject.Filename == rng.Filename &&
			d.Subject.Start.Byte >= rng.Start.Byte && d.Subject.End.Byte <= rng.End.Byte {
			return true
		}
	}
	return false
}

// comparesNumbers reports whether every comparison in a condition compares
// numbers, so that HCL decides it as the ranges say: 500 == "500" is false,
// while 500 <= "500" converts and holds.
func (c *checker) comparesNumbers(expr hcl.Expression, sc *typeScope) bool {
	syn, ok := expr.(hclsyntax.Expression)
	if !ok || sc == nil {
		return false
	}
	numbers := true
	hclsyntax.VisitAll(syn, func(node hclsyntax.Node) hcl.Diagnostics {
		e, ok := node.(*hclsyntax.BinaryOpExpr)
		if !ok || e.Op == hclsyntax.OpLogicalAnd || e.Op == hclsyntax.OpLogicalOr {
			return nil
		}
		for _, side := range []hclsyntax.Expression{e.LHS, e.RHS} {
			v, diags := side.Value(sc.ctx)
			if diags.HasErrors() || v.Type() != cty.Number {
				numbers = false
			}
		}
		return nil
	})
	return numbers
}

// alwaysSet reports whether subject (as rangeOf writes it) is a number that
// has a value whenever the dialog completes: a slot it always asks for. A
// call's field may be null, and a condition on null does not hold.
func alwaysSet(dl *Dialog, subject string) bool {
	if dl == nil {
		return false
	}
	name, ok := strings.CutPrefix(subject, "slot.")
	if !ok {
		return false
	}
	for _, s := range dl.Slots {
		if s.Name == name {
			return !s.Optional && s.RequiredWhen == nil && ValueType(s.Type) == cty.Number
		}
	}
	return false
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// saysNothing reports whether actions end a dialog without a word to the
// customer: no reply, handoff, dialog started, end or question asked again.
func saysNothing(a *Actions) bool {
	return a != nil && len(a.Reply) == 0 && a.Handoff == nil && a.Start == "" && !a.End && a.Reask == "" && !a.OfferContinueSet
}
