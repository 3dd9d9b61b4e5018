package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// testEval evaluates the constant values of one test, or of one case of a test
// with for_each. Besides literals they may read each.key and each.value, and
// references such as response.order_shipped, which evaluate to their own name
// ("response.order_shipped"), so a for_each table can say which response, intent
// or queue each case expects. Every reference is recorded for the checks, once
// per place it is written even when many cases evaluate it.
type testEval struct {
	d    *decoder
	each cty.Value // an object {key, value}; cty.NilVal outside for_each
	seen map[string]bool
}

// testRefKinds are the namespaces a test value may refer to, with the reference
// kind the checks resolve them as.
var testRefKinds = map[string]string{
	"intent": "intent", "response": "response", "queue": "queue", "dialog": "dialog", "triage": "triage",
}

func (d *decoder) testEval(each cty.Value) *testEval {
	if d.testRefsSeen == nil {
		d.testRefsSeen = map[string]bool{}
	}
	return &testEval{d: d, each: each, seen: d.testRefsSeen}
}

// value evaluates an expression of a test: literals, each.key and
// each.value, references, and the bot's functions, with or without each
// (tonumber("499") as well as tonumber(each.key)).
func (te *testEval) value(expr hcl.Expression) (cty.Value, hcl.Diagnostics) {
	travs := expr.Variables()
	vars := map[string]cty.Value{}
	var diags hcl.Diagnostics
	refs := map[string]map[string]cty.Value{} // namespace -> name -> value
	ops := map[string]map[string]cty.Value{}  // connector -> operation -> value
	for _, trav := range travs {
		root := trav.RootName()
		switch {
		case root == "each":
			if te.each == cty.NilVal {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "each outside for_each",
					Detail:   "each.key and each.value exist only in a test with for_each = { ... }.",
					Subject:  trav.SourceRange().Ptr(),
				})
				continue
			}
			vars["each"] = te.each
			if d := te.missingField(trav); d != nil {
				diags = append(diags, d)
			}
		case root == "connector":
			parts, ok := traversalNames(trav)
			if !ok || len(parts) != 3 {
				continue // HCL reports the missing attribute
			}
			te.record(reference{kind: "operation", name: parts[1], op: parts[2], rng: trav.SourceRange()})
			te.seen["operation "+parts[1]+"."+parts[2]] = true
			if ops[parts[1]] == nil {
				ops[parts[1]] = map[string]cty.Value{}
			}
			ops[parts[1]][parts[2]] = cty.StringVal(strings.Join(parts, "."))
		case testRefKinds[root] != "":
			parts, ok := traversalNames(trav)
			if ok && len(parts) == 1 {
				diags = append(diags, chosenRef(trav, root))
				continue
			}
			if !ok || len(parts) != 2 {
				continue
			}
			te.record(reference{kind: testRefKinds[root], name: parts[1], rng: trav.SourceRange()})
			te.seen[testRefKinds[root]+" "+parts[1]] = true
			if refs[root] == nil {
				refs[root] = map[string]cty.Value{}
			}
			refs[root][parts[1]] = cty.StringVal(root + "." + parts[1])
		}
	}
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	for ns, names := range refs {
		vars[ns] = cty.ObjectVal(names)
	}
	if len(ops) > 0 {
		conns := map[string]cty.Value{}
		for conn, names := range ops {
			conns[conn] = cty.ObjectVal(names)
		}
		vars["connector"] = cty.ObjectVal(conns)
	}
	val, more := expr.Value(&hcl.EvalContext{Variables: vars, Functions: functionTable})
	diags = append(diags, more...)
	if more.HasErrors() {
		return cty.NilVal, diags
	}
	if !val.IsWhollyKnown() {
		return cty.NilVal, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Value must be a constant",
			Detail:   "This value must be written out, or read from each.key and each.value.",
			Subject:  expr.Range().Ptr(),
		})
	}
	return val, diags
}

// chosenRef reports a reference kind read as a value of its own, as in
// response[each.value]: HCL would say "There is no variable named
// "response"", though response.NAME is written everywhere else.
func chosenRef(trav hcl.Traversal, kind string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "A reference is written out",
		Detail:   fmt.Sprintf(`%[1]s.NAME names one %[1]s, and can't be chosen with [ ]. To choose one per case, give its name as text in the for_each values and read it: { "50" = "order_shipped" } with %[1]s = each.value, or { "50" = { %[1]s = %[1]s.order_shipped } } with %[1]s = each.value.%[1]s.`, kind),
		Subject:  trav.SourceRange().Ptr(),
	}
}

// missingField reports each.value.NAME where this case's value is an object
// without NAME. HCL would say only "This object does not have an attribute",
// which names neither the case nor the fields it has: a table whose cases give
// different fields, or a misspelt one, is then hard to find.
func (te *testEval) missingField(trav hcl.Traversal) *hcl.Diagnostic {
	if len(trav) < 3 {
		return nil
	}
	if step, ok := trav[1].(hcl.TraverseAttr); !ok || step.Name != "value" {
		return nil
	}
	field, ok := trav[2].(hcl.TraverseAttr)
	if !ok || !te.each.Type().IsObjectType() || !te.each.Type().HasAttribute("value") {
		return nil
	}
	val := te.each.GetAttr("value")
	if !val.Type().IsObjectType() || val.Type().HasAttribute(field.Name) {
		return nil
	}
	var names []string
	for name := range val.Type().AttributeTypes() {
		names = append(names, name)
	}
	sort.Strings(names)
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Missing field in a for_each case",
		Detail: fmt.Sprintf("Case %s of the table has no field %q; its fields are %s.%s Give every case each field the turns read.",
			te.caseKey(), field.Name, joinAnd(names), didYouMean(field.Name, names)),
		Subject: trav.SourceRange().Ptr(),
	}
}

// record notes a reference once per place it is written.
func (te *testEval) record(r reference) {
	key := fmt.Sprintf("%s %s.%s %s", r.kind, r.name, r.op, r.rng)
	if te.seen[key] {
		return
	}
	te.seen[key] = true
	te.d.refs = append(te.d.refs, r)
}

// dynamic says whether an expression must be evaluated to know what it refers
// to: it reads each.key or each.value.
func dynamic(expr hcl.Expression) bool {
	for _, trav := range expr.Variables() {
		if trav.RootName() == "each" {
			return true
		}
	}
	return false
}

// turnNone says what "none" expects of each turn attribute that takes it.
var turnNone = map[string]string{
	"intent":   "that the message is not understood",
	"dialog":   "no active dialog after the turn",
	"handoff":  "no handoff this turn",
	"ticket":   "no ticket this turn",
	"approval": "no approval asked for this turn",
	// A test's ticket block.
	"triage": "that no triage block matches, so the intake queue takes the ticket",
	"notice": "that the customer is told nothing",
}

// noneInstead says how to expect "nothing" of turn attributes that do not
// take "none".
var noneInstead = map[string]string{
	"response": "To expect that the bot says nothing this turn, write reply = []; to expect that it says no named response, responses = [].",
}

// noneAttrs lists the turn attributes that take "none", for a message.
func noneAttrs() string {
	return "intent, dialog, handoff, ticket, approval and knowledge"
}

// isNone reports the constant string "none" (or "None").
func isNone(expr hcl.Expression) bool {
	s, ok := quotedText(expr)
	return ok && strings.EqualFold(s, "none")
}

// ref reads the reference of a turn attribute: written out (response.greet),
// or computed in a for_each test (each.value.response), where it may be a name
// or "KIND.NAME". The attributes of turnNone also take "none".
func (te *testEval) ref(expr hcl.Expression, kind, attr string) (string, hcl.Diagnostics) {
	allowNone := turnNone[attr] != ""
	if !dynamic(expr) {
		var name string
		var diags hcl.Diagnostics
		if allowNone {
			name, diags = refOrNone(expr, kind, attr)
		} else if instead, ok := noneInstead[attr]; ok && isNone(expr) {
			// "none" works for a turn's intent or ticket; a response reference
			// named none is no way to say the bot kept quiet.
			return "", hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf(`"none" is not taken by %s`, attr),
				Detail:   fmt.Sprintf(`%s expects %s reference like %s.NAME; "none" works only for %s. %s`, attr, kindArticle[kind], kind, noneAttrs(), instead),
				Subject:  expr.Range().Ptr(),
			}}
		} else {
			name, diags = decodeRef(expr, kind)
		}
		if _, isRef := refTraversal(expr); isRef && allowNone && name == "none" {
			// intent.none has always read as "none"; say so, as it looks
			// like a reference to something named none.
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  `Reference read as "none"`,
				Detail:   fmt.Sprintf(`%s.none expects %s, as "none" does, whether or not %s named none exists. Write %s = "none".`, kind, turnNone[attr], kindArticle[kind], attr),
				Subject:  expr.Range().Ptr(),
			})
		} else if name != "" && name != "none" {
			te.record(reference{kind: kind, name: name, rng: expr.Range()})
		}
		return name, diags
	}
	val, diags := te.value(expr)
	if diags.HasErrors() {
		return "", diags
	}
	if val.IsNull() {
		detail := fmt.Sprintf("This is null here, but it must be %s reference like %s.NAME, or its name.", kindArticle[kind], kind)
		if allowNone {
			detail += fmt.Sprintf(` "none" expects %s.`, turnNone[attr])
		}
		if te.each != cty.NilVal {
			detail += fmt.Sprintf(" Case %s of the table gives no value: give every case one, or put the cases that check nothing here in a test of their own.", te.caseKey())
		}
		return "", append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Incorrect value type", Detail: detail, Subject: expr.Range().Ptr()})
	}
	s, ok := stringValue(val)
	if !ok {
		return "", append(diags, wrongType(expr, fmt.Sprintf("%s reference like %s.NAME, or its name", kindArticle[kind], kind), nil)...)
	}
	if allowNone && s == "none" {
		return s, diags
	}
	name, more := namedRef(s, kind, expr.Range())
	diags = append(diags, more...)
	// A name that comes from a reference written in for_each is checked
	// there, where a misspelling is.
	if name != "" && !te.seen[kind+" "+name] {
		te.record(reference{kind: kind, name: name, rng: expr.Range()})
	}
	return name, diags
}

// refOrNone reads KIND.NAME, or the string "none", written out as the value of
// a turn's attribute attr.
func refOrNone(expr hcl.Expression, kind, attr string) (string, hcl.Diagnostics) {
	summary := "Expected " + kindArticle[kind] + " reference"
	// null reads as "nothing" to many, but elsewhere in a test it means "not
	// checked", so it is refused with the word that says "nothing".
	if val, diags := expr.Value(nil); !diags.HasErrors() && val.IsNull() {
		return "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   fmt.Sprintf(`null does not mean none here: write %s = "none" to expect %s, or leave %s out not to check it.`, attr, turnNone[attr], attr),
			Subject:  expr.Range().Ptr(),
		}}
	}
	if _, ok := refTraversal(expr); ok {
		return decodeRef(expr, kind)
	}
	s, _, diags := literalString(expr)
	if diags.HasErrors() {
		return "", diags
	}
	if s != "none" {
		return "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   fmt.Sprintf("Expected a reference like %s.NAME, or \"none\" to expect %s.%s", kind, turnNone[attr], quotedHint(expr, kind)),
			Subject:  expr.Range().Ptr(),
		}}
	}
	return "none", nil
}

// namedRef takes "NAME" or "KIND.NAME" computed by an expression.
func namedRef(s, kind string, rng hcl.Range) (string, hcl.Diagnostics) {
	if prefix, name, ok := strings.Cut(s, "."); ok {
		if prefix == kind && name != "" && !strings.Contains(name, ".") {
			return name, nil
		}
		detail := fmt.Sprintf("%q is not %s; expected a name or %s.NAME.", s, kindArticle[kind], kind)
		if art, known := kindArticle[prefix]; known {
			detail = fmt.Sprintf("%q refers to %s, but %s is expected here.", s, art, kindArticle[kind])
		}
		return "", hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Expected " + kindArticle[kind] + " reference", Detail: detail, Subject: rng.Ptr()}}
	}
	if s == "" {
		return "", hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Expected " + kindArticle[kind] + " reference", Detail: fmt.Sprintf("The name of %s is empty.", kindArticle[kind]), Subject: rng.Ptr()}}
	}
	return s, nil
}

// operation reads connector.CONNECTOR.OPERATION, written out or computed.
func (te *testEval) operation(expr hcl.Expression) (conn, op string, diags hcl.Diagnostics) {
	if !dynamic(expr) {
		conn, op, diags = decodeOperationRef(expr)
		if conn != "" {
			te.record(reference{kind: "operation", name: conn, op: op, rng: expr.Range()})
		}
		return conn, op, diags
	}
	val, diags := te.value(expr)
	if diags.HasErrors() {
		return "", "", diags
	}
	conn, op, more := operationName(val, expr.Range())
	diags = append(diags, more...)
	te.recordOperation(conn, op, expr.Range())
	return conn, op, diags
}

// recordOperation records a computed operation, unless it comes from a
// reference written in for_each, which is checked there.
func (te *testEval) recordOperation(conn, op string, rng hcl.Range) {
	if conn != "" && !te.seen["operation "+conn+"."+op] {
		te.record(reference{kind: "operation", name: conn, op: op, rng: rng})
	}
}

// operationName reads "connector.C.OP" or "C.OP" computed by an expression.
func operationName(val cty.Value, rng hcl.Range) (string, string, hcl.Diagnostics) {
	s, _ := stringValue(val)
	parts := strings.Split(strings.TrimPrefix(s, "connector."), ".")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Expected a connector operation reference",
			Detail:   fmt.Sprintf("%s is not a connector operation; expected one like connector.orders.get_order.", val.GoString()),
			Subject:  rng.Ptr(),
		}}
	}
	return parts[0], parts[1], nil
}

// traversalNames lists a traversal's root and attribute names; false when it
// indexes (x[0]) anywhere.
func traversalNames(trav hcl.Traversal) ([]string, bool) {
	parts := []string{trav.RootName()}
	for _, step := range trav[1:] {
		attr, ok := step.(hcl.TraverseAttr)
		if !ok {
			return nil, false
		}
		parts = append(parts, attr.Name)
	}
	return parts, true
}

func stringValue(v cty.Value) (string, bool) {
	if v == cty.NilVal || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// forEachCases expands a for_each value into its cases, as Terraform does: a map
// or object gives one case per key, each.value being its value; a list or set of
// strings gives one case per string, each.key and each.value both being it.
func forEachCases(val cty.Value, rng hcl.Range) ([]forEachCase, hcl.Diagnostics) {
	ty := val.Type()
	bad := hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Invalid for_each",
		Detail:   `for_each takes a map, like { parcel = "where is my parcel?" }, or a list of strings; each element becomes one case, read as each.key and each.value.`,
		Subject:  rng.Ptr(),
	}}
	if val.IsNull() {
		return nil, bad
	}
	var cases []forEachCase
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			cases = append(cases, forEachCase{key: k.AsString(), value: v})
		}
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		seen := map[string]bool{}
		for it := val.ElementIterator(); it.Next(); {
			_, v := it.Element()
			s, ok := stringValue(v)
			if !ok {
				return nil, bad
			}
			if seen[s] {
				return nil, hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "Duplicate for_each element",
					Detail:   fmt.Sprintf("%q is listed twice; each element names one case, so it must be unique.", s),
					Subject:  rng.Ptr(),
				}}
			}
			seen[s] = true
			cases = append(cases, forEachCase{key: s, value: v})
		}
	default:
		return nil, bad
	}
	return cases, nil
}

type forEachCase struct {
	key   string
	value cty.Value
}

func (c forEachCase) each() cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(c.key), "value": c.value})
}

// caseKey is the for_each key of the case being evaluated, quoted.
func (te *testEval) caseKey() string {
	if te.each == cty.NilVal || !te.each.Type().IsObjectType() || !te.each.Type().HasAttribute("key") {
		return "?"
	}
	key := te.each.GetAttr("key")
	if key.IsNull() || !key.IsKnown() || key.Type() != cty.String {
		return "?"
	}
	return fmt.Sprintf("%q", key.AsString())
}
