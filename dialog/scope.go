package dialog

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// scopeFrame is the dialog templates read slots and calls from: the one a running
// action list just finished, else the active one.
func (d *decider) scopeFrame() *Frame {
	for i := len(d.runs) - 1; i >= 0; i-- {
		if d.runs[i].Frame != nil {
			return d.runs[i].Frame
		}
	}
	return d.top()
}

// now is the engine's clock; a zero clock falls back to the last activity rather
// than the wall clock, to keep Step pure.
func (d *decider) now() time.Time {
	switch {
	case !d.in.Now.IsZero():
		return d.in.Now
	case !d.st.LastActivity.IsZero():
		return d.st.LastActivity
	}
	return time.Unix(0, 0).UTC()
}

// scope is everything expressions see right now.
func (d *decider) scope() policies.Scope {
	var sc policies.Scope
	for _, ns := range policies.Namespaces {
		d.FillScope(&sc, ns.Name)
	}
	return sc
}

// FillScope sets the part of sc that a namespace reads, as it is right now. An
// evaluator asks for each part the first time an expression reads it.
func (d *decider) FillScope(sc *policies.Scope, namespace string) {
	switch namespace {
	case "slot":
		sc.Slots = d.slotValues()
	case "call":
		sc.Calls = d.callValues()
	case "entity":
		if l := d.st.Last; l != nil {
			sc.Entities = entityValues(l.Entities)
		}
	case "memory":
		if len(d.st.Memory) > 0 {
			sc.Memory = make(map[string]cty.Value, len(d.st.Memory))
			for k, v := range d.st.Memory {
				sc.Memory[k] = toCty(v)
			}
		}
	case "intent":
		if l := d.st.Last; l != nil {
			sc.Intent = policies.IntentInfo{Name: d.intent(), Confidence: l.Confidence}
		}
	case "sentiment":
		if l := d.st.Last; l != nil {
			sc.Sentiment = l.Sentiment
		}
	case "message":
		if l := d.st.Last; l != nil {
			sc.Message = l.Text
		}
	case "customer":
		sc.Customer = d.in.Customer
	case "now":
		sc.Now = d.now()
	case "business_hours":
		sc.BusinessOpen = d.bot.Open(d.now())
	case "conversation":
		sc.Conversation = d.conversation()
	case "handoff":
		h := d.deciding
		for i := len(d.runs) - 1; h == nil && i >= 0; i-- {
			h = d.runs[i].Handoff
		}
		if h != nil {
			sc.Handoff = policies.HandoffInfo{Queue: h.Queue, Priority: h.Priority, Reason: h.Reason, AgentsOnline: d.in.AgentsOnline[h.Queue]}
		}
	case "queues":
		sc.AgentsOnline = d.in.AgentsOnline
	case "ticket":
		sc.Ticket = d.ticketInfo()
	case "knowledge":
		// knowledge.* is the answer to the message of this input; after an
		// awaited effect's result there is none. An expression that reads it
		// could use the answer, so the message is searched if it was not.
		if k := d.knowledgeOf(d.in.Message); k != nil {
			sc.Knowledge = policies.KnowledgeInfo{ID: k.ChunkID, Answer: k.Text, Title: k.Title, Source: k.Source, Score: k.Score}
		}
	}
}

func (d *decider) conversation() policies.ConversationInfo {
	c := policies.ConversationInfo{
		ID: d.st.ConversationID, Language: d.lang(), Failures: d.st.Failures, Turns: d.st.Turns,
		Channel: d.in.Channel, LastResponse: d.st.SaidBefore,
	}
	for _, f := range d.st.Stack {
		c.Dialogs = append(c.Dialogs, f.Dialog)
	}
	if f := d.top(); f != nil {
		c.Dialog = f.Dialog
		if f.Switch != nil {
			c.NextDialog = f.Switch.Dialog
		}
	}
	return c
}

// slotValues are slot.*: the slots of the scope's frame, and the value just
// rejected for its invalid message.
func (d *decider) slotValues() map[string]cty.Value {
	out := map[string]cty.Value{}
	if f := d.scopeFrame(); f != nil {
		for k, v := range f.Slots {
			out[k] = v.cty()
		}
		// A value held for the calls that check it is what those calls read,
		// also when it corrects the slot's value: the check is about it.
		for k, v := range f.Held {
			out[k] = v.cty()
		}
	}
	if c := d.rejected; c != nil {
		out[c.slot.Name] = c.value.cty()
	}
	return out
}

// Slot is slot.NAME when it has a value (see slotValues), for an evaluator
// that reads one slot without converting the others.
func (d *decider) Slot(name string) (cty.Value, bool) {
	if c := d.rejected; c != nil && c.slot.Name == name {
		return c.value.cty(), true
	}
	if f := d.scopeFrame(); f != nil {
		if v, ok := f.Held[name]; ok {
			return v.cty(), true
		}
		if v, ok := f.Slots[name]; ok {
			return v.cty(), true
		}
	}
	return cty.NilVal, false
}

// callValues are call.*: the results of the scope frame's calls and of the
// calls of the runs.
func (d *decider) callValues() map[string]cty.Value {
	out := map[string]cty.Value{}
	if f := d.scopeFrame(); f != nil {
		for k, c := range f.Calls {
			out[k] = d.callValue(callOf(d.dialogCalls(f.Dialog), k), c)
		}
	}
	if c := d.rejected; c != nil {
		for k, r := range c.checks {
			out[k] = d.callValue(callOf(c.declared, k), r)
		}
	}
	for _, r := range d.runs {
		var declared []*policies.Call
		if acts := d.resolve(r.Ref); acts != nil {
			declared = acts.Calls
		}
		for k, c := range r.Calls {
			out[k] = d.callValue(callOf(declared, k), c)
		}
	}
	return out
}

// ticketInfo is ticket.*: the ticket of this turn, or the one a notice is about.
func (d *decider) ticketInfo() policies.TicketInfo {
	if d.ticket != nil {
		return *d.ticket
	}
	t := policies.TicketInfo{ID: d.st.TicketID}
	for _, r := range d.runs {
		if r.TicketID != "" {
			t.ID = r.TicketID
		}
	}
	return t
}

// env is the evaluator of the current scope. A turn evaluates dozens of
// expressions (every handoff policy, rule and dialog condition, then the
// replies), and the scope changes far less often, so it is kept until the
// scope changes: see scopeChanged. It reads each part of the scope the first
// time an expression needs it.
func (d *decider) env() *policies.Env {
	if d.cachedEnv == nil {
		d.cachedEnv = d.bot.NewEnv(d.lang(), d)
		if verifyEnvCache {
			d.cachedEnv.CheckEvaluations()
		}
	} else if verifyEnvCache {
		d.verifyEnv()
	}
	return d.cachedEnv
}

// scopeChanged drops the cached evaluator. Every event that may change what
// expressions see goes through it (see emit), and so does every change to the
// runs, whose calls, ticket and finished frame are in scope.
func (d *decider) scopeChanged() { d.cachedEnv = nil }

// verifyEnvCache makes every use of the cached evaluator check it against a fresh
// one, and every evaluation against HCL's over the whole scope. Tests turn it
// on; a stale scope then shows up as an internal error.
var verifyEnvCache = false

func (d *decider) verifyEnv() {
	fresh := d.bot.EvalContext(d.scope()).Variables
	cached := d.cachedEnv.Context().Variables
	for _, name := range sortedKeys(fresh) {
		if !fresh[name].RawEquals(cached[name]) {
			panic(fmt.Sprintf("stale evaluation scope: %s is %#v, the cache has %#v", name, fresh[name], cached[name]))
		}
	}
}

// cond evaluates a condition; an error makes it false and is logged.
func (d *decider) cond(expr hcl.Expression, what string) bool {
	ok, diags := d.env().Cond(expr)
	if diags.HasErrors() {
		d.evalError(what, diags)
	}
	return ok
}

func (d *decider) evalError(what string, diags hcl.Diagnostics) {
	d.emit(Event{Type: EventError, Error: what + ": " + diags.Error()})
}

func entityValues(ents []nlu.Entity) map[string]cty.Value {
	out := map[string]cty.Value{}
	for _, e := range ents {
		if _, seen := out[e.Type]; !seen && e.Type != "" {
			out[e.Type] = entityValue(e).cty()
		}
	}
	return out
}

func (v SlotValue) cty() cty.Value {
	if v.Number != nil && !math.IsNaN(*v.Number) {
		return cty.NumberFloatVal(*v.Number)
	}
	if v.Range != nil {
		return cty.ObjectVal(map[string]cty.Value{"start": cty.StringVal(v.Range.Start), "end": cty.StringVal(v.Range.End)})
	}
	return cty.StringVal(v.Value)
}

// dialogCalls are a dialog's own calls, or none.
func (d *decider) dialogCalls(name string) []*policies.Call {
	if dlg := d.dialog(name); dlg != nil {
		return dlg.Calls
	}
	return nil
}

// callValue is call.NAME: the result, with the fields the operation declares
// but the result lacks (a failed call has none) as null, so a condition on
// one is false rather than an error.
func (d *decider) callValue(c *policies.Call, r CallResult) cty.Value {
	attrs := make(map[string]cty.Value, len(r.Data)+1)
	for k, v := range r.Data {
		attrs[k] = toCty(v)
	}
	attrs["error"] = cty.StringVal(r.Error)
	if out := d.callOutput(c); out != cty.NilType {
		for name, ty := range out.AttributeTypes() {
			if _, ok := attrs[name]; !ok {
				attrs[name] = cty.NullVal(ty)
			}
		}
	}
	return cty.ObjectVal(attrs)
}

// CallField is call.NAME.FIELD (callValue's field), for an evaluator that
// reads one field of a result without the rest.
func (d *decider) CallField(name, field string) (cty.Value, bool) {
	c, r, ok := d.callResult(name)
	switch {
	case !ok:
		return cty.NilVal, false
	case field == "error":
		return cty.StringVal(r.Error), true
	}
	if v, ok := r.Data[field]; ok {
		return toCty(v), true
	}
	if out := d.callOutput(c); out != cty.NilType && out.HasAttribute(field) {
		return cty.NullVal(out.AttributeType(field)), true
	}
	return cty.NilVal, false
}

// callResult is the result call.NAME reads (see callValues): the innermost
// run's, else the scope frame's.
func (d *decider) callResult(name string) (*policies.Call, CallResult, bool) {
	for i := len(d.runs) - 1; i >= 0; i-- {
		if r, ok := d.runs[i].Calls[name]; ok {
			var declared []*policies.Call
			if acts := d.resolve(d.runs[i].Ref); acts != nil {
				declared = acts.Calls
			}
			return callOf(declared, name), r, true
		}
	}
	if c := d.rejected; c != nil {
		if r, ok := c.checks[name]; ok {
			return callOf(c.declared, name), r, true
		}
	}
	if f := d.scopeFrame(); f != nil {
		if r, ok := f.Calls[name]; ok {
			return callOf(d.dialogCalls(f.Dialog), name), r, true
		}
	}
	return nil, CallResult{}, false
}

// callOutput is the object type of what a call's operation returns, or
// cty.NilType when it declares none.
func (d *decider) callOutput(c *policies.Call) cty.Type {
	if c == nil {
		return cty.NilType
	}
	conn := d.bot.Connectors[c.Connector]
	if conn == nil || conn.Operations[c.Operation] == nil {
		return cty.NilType
	}
	out := conn.Operations[c.Operation].Output
	if out == cty.NilType || !out.IsObjectType() {
		return cty.NilType
	}
	return out
}

// toCty converts a connector result (JSON-like Go values) for expressions.
func toCty(v any) cty.Value {
	switch x := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(x)
	case bool:
		return cty.BoolVal(x)
	case float64:
		if math.IsNaN(x) {
			return cty.NullVal(cty.Number)
		}
		return cty.NumberFloatVal(x)
	case float32:
		return toCty(float64(x))
	case int:
		return cty.NumberIntVal(int64(x))
	case int64:
		return cty.NumberIntVal(x)
	case int32:
		return cty.NumberIntVal(int64(x))
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(x))
		for i, e := range x {
			vals[i] = toCty(e)
		}
		return cty.TupleVal(vals)
	case []string:
		return toCty(anySlice(x))
	case map[string]any:
		if len(x) == 0 {
			return cty.EmptyObjectVal
		}
		attrs := make(map[string]cty.Value, len(x))
		for k, e := range x {
			attrs[k] = toCty(e)
		}
		return cty.ObjectVal(attrs)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = e
		}
		return toCty(m)
	}
	return cty.StringVal(fmt.Sprint(v))
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// objectToGo converts a call's input object to the values connectors accept.
func objectToGo(v cty.Value) (map[string]any, error) {
	if v == cty.NilVal || v.IsNull() {
		return map[string]any{}, nil
	}
	if !v.Type().IsObjectType() && !v.Type().IsMapType() {
		return nil, fmt.Errorf("input must be an object, not %s", v.Type().FriendlyName())
	}
	g, err := ctyToGo(v)
	if err != nil {
		return nil, err
	}
	m, _ := g.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

func ctyToGo(v cty.Value) (any, error) {
	v, _ = v.Unmark()
	if !whollyKnown(v) {
		return nil, fmt.Errorf("a value is not known yet (does it read a call that has not run?)")
	}
	return knownToGo(v)
}

// whollyKnown is v.IsWhollyKnown, without making a value of each attribute's
// name as an object's element iterator does.
func whollyKnown(v cty.Value) bool {
	v, _ = v.Unmark()
	if !v.IsKnown() {
		return false
	}
	if v.IsNull() || !v.Type().IsObjectType() {
		return v.IsWhollyKnown()
	}
	for name := range v.Type().AttributeTypes() {
		if !whollyKnown(v.GetAttr(name)) {
			return false
		}
	}
	return true
}

// knownToGo is ctyToGo of a wholly known value.
func knownToGo(v cty.Value) (any, error) {
	v, _ = v.Unmark()
	if v.IsNull() {
		return nil, nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString(), nil
	case t == cty.Bool:
		return v.True(), nil
	case t == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f, nil
	case t.IsObjectType():
		out := make(map[string]any, len(t.AttributeTypes()))
		for name := range t.AttributeTypes() {
			g, err := knownToGo(v.GetAttr(name))
			if err != nil {
				// Name the first attribute in order that fails, as the
				// element iterator would have.
				for _, name := range sortedKeys(t.AttributeTypes()) {
					if _, err := knownToGo(v.GetAttr(name)); err != nil {
						return nil, fmt.Errorf("%s: %w", name, err)
					}
				}
			}
			out[name] = g
		}
		return out, nil
	case t.IsMapType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			g, err := knownToGo(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k.AsString(), err)
			}
			out[k.AsString()] = g
		}
		return out, nil
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			g, err := knownToGo(e)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value of type %s", t.FriendlyName())
}

// ---- slot values from a message ----

type candidate struct {
	slot  *policies.Slot
	value SlotValue
	// echo: the message echoes the yes-or-no question asked ("是绿色的",
	// "it isn't") and says nothing more, so the whole of it is the answer.
	echo bool
}

// rejection is a value just rejected, with the results of the calls that
// checked it: its invalid message reads both ("that day is full; the next free
// one is ..."), although the frame forgets those results. declared are the
// dialog's calls.
type rejection struct {
	candidate
	checks   map[string]CallResult
	declared []*policies.Call
}

// extract finds values for the dialog's slots in a message. Entities go to the
// asked slot first, then to unfilled slots, and only then to filled ones (as
// corrections), so "refund AB123456, it arrived broken" fills two slots at once.
// A text slot takes the whole message, and a yes_no slot a yes or no, only
// when it is the one asked.
func (d *decider) extract(dlg *policies.Dialog, f *Frame, m *Message, asked *policies.Slot) []candidate {
	filled := func(s *policies.Slot) bool {
		if f == nil {
			return false
		}
		_, ok := f.Slots[s.Name]
		return ok
	}
	owners := entityOwners(dlg, m)
	// Of two slots of one type, the one whose value a correction names takes
	// the new value before any other: "不是上海，是杭州" changes the departure.
	var order []*policies.Slot
	for _, s := range dlg.Slots {
		if s != nil && !soleOfType(dlg, s) && replacesNamed(dlg, f, m, owners, s) {
			order = append(order, s)
		}
	}
	if asked != nil && !slices.Contains(order, asked) {
		order = append(order, asked)
	}
	for _, pass := range []bool{false, true} {
		for _, s := range dlg.Slots {
			if s != nil && !slices.Contains(order, s) && filled(s) == pass {
				order = append(order, s)
			}
		}
	}
	used := make([]bool, len(m.NLU.Entities))
	// A value the customer turns down ("not Wednesday") fills nothing.
	negated := false
	for i, e := range m.NLU.Entities {
		if e.Negated {
			used[i], negated = true, true
		}
	}
	var out []candidate
	for _, s := range order {
		if s.Type == "text" {
			if s == asked && strings.TrimSpace(m.Text) != "" {
				out = append(out, candidate{slot: s, value: SlotValue{Value: strings.TrimSpace(m.Text)}})
			}
			continue
		}
		if s.Type == "yes_no" && s != asked {
			// A yes or no answers the question asked, not one still to come:
			// "no internet connection" does not say the router's light is off.
			continue
		}
		if s.Type == "yes_no" && f != nil && f.Asking == s.Name {
			// Read before the yes_no entity, so that "对，没收到" to "您收到退款了吗"
			// is the no it says.
			if yn, more := nlu.ReadEcho(f.Question, m.Text); yn != "" {
				// An echo that goes on ("有，我想退款") is an answer like a yes
				// that opens a message: what follows may be a request of its
				// own, so the message is not all answer.
				out = append(out, candidate{slot: s, value: SlotValue{Value: yn}, echo: !more})
				if !more {
					for i := range used {
						used[i] = true
					}
				}
				continue
			}
		}
		// "不是标准版，是高级版", "not standard but premium": a correction that
		// names the value it replaces as well as the new one means the new
		// one, wherever it stands. Of a from and a to city, each value may be
		// meant, so there the replaced value must be named.
		old, replaces := "", false
		if f != nil && m.NLU.Correction {
			if v, ok := f.Slots[s.Name]; ok {
				old = v.Value
				if soleOfType(dlg, s) {
					replaces = slices.ContainsFunc(m.NLU.Entities, func(e nlu.Entity) bool {
						return e.Type == s.Type && entityValue(e).Value != old
					})
				} else {
					replaces = replacesNamed(dlg, f, m, owners, s)
				}
			}
		}
		if replaces {
			// The value it replaces fills nothing else either, wherever it stands.
			for i, e := range m.NLU.Entities {
				if e.Type == s.Type && entityValue(e).Value == old {
					used[i] = true
				}
			}
		}
		// The slot takes the first value of its type, or a later one its
		// validate takes where it refuses the first: "取一辆小车，我25岁" is 25
		// years old, not the 一 of 一辆. A number that counts something other
		// than the slot does is not its, and weeks asked in days are 7 of them
		// (slot_counts.go). A value whose preposition names a
		// slot of its type ("到北京") fills that one, before any other value.
		// "actually make it 800" at the confirmation: a correction's bare
		// number is the dialog's one amount, where no number slot could be
		// meant: there is none, or none takes it ("不对，是一千五" where the
		// months run 2 to 12). Dropped, it left the old amount to be confirmed.
		correctsAmount := m.NLU.Correction && s.Type == "money" && filled(s) && soleOfType(dlg, s)
		question := ""
		if f != nil && s == asked {
			question = f.Question
		}
		first, chosen := -1, -1
		values := make([]SlotValue, len(m.NLU.Entities))
		for _, owned := range []bool{true, false} {
			for i, e := range m.NLU.Entities {
				// A bare number answers the question for an amount; taking it
				// here keeps it from also filling a number slot.
				asAmount := s.Type == "money" && e.Type == "number" && (s == asked || correctsAmount && !d.numberSlotTakes(dlg, m, e))
				if used[i] || e.Type != s.Type && !asAmount {
					continue
				}
				if owner := ownerOf(owners, i); owned != (owner != nil) || owner != nil && owner != s {
					continue
				}
				if replaces && entityValue(e).Value == old {
					continue
				}
				v, counts := countedValue(s, question, m.Text, e)
				if !counts {
					continue
				}
				values[i] = v
				if first < 0 {
					first = i
				}
				if s.Validate == nil || d.validNow(dlg, s, v) {
					chosen = i
					break
				}
			}
			if chosen >= 0 {
				break
			}
		}
		if chosen < 0 && first >= 0 && s != asked && d.leftForAmount(dlg, s, m.NLU.Entities[first], filled) {
			// "a payment plan for 1.2k" is no number of months refused: it is
			// the amount, which its own question asks for.
			first = -1
		}
		if chosen < 0 {
			chosen = first
		}
		found := chosen >= 0
		if found {
			used[chosen] = true
			out = append(out, candidate{slot: s, value: values[chosen]})
		}
		if !found && s == asked && !negated {
			// The customer answered the question with just the value, which the NLU
			// may not have picked out; read it as the asked type.
			if v, ok := d.parseAs(s.Type, m.Text); ok || s.Type == "phone" && d.phoneInAnswer(m, s, &v) {
				out = append(out, candidate{slot: s, value: v})
				// The whole message is that answer: the entities found in it
				// ("5000" also read as a four-digit card number) fill nothing else.
				for i := range used {
					used[i] = true
				}
			}
		}
	}
	if asked != nil && (asked.Type == "text" || asked.Type == "yes_no") && m.NLU.Correction && correctsAnother(f, out, asked) {
		// "no, I meant CD654321" while the bot waits for a description corrects
		// the order; it is not the description, which is still to be asked.
		// Nor is its "no" (不对 in "不对，是PS000200") the answer to a yes-or-no
		// question: the customer says the order was wrong, not the bag opened.
		out = slices.DeleteFunc(out, func(c candidate) bool { return c.slot == asked })
	}
	index := func(s *policies.Slot) int { return slices.Index(dlg.Slots, s) }
	slices.SortStableFunc(out, func(a, b candidate) int { return cmp.Compare(index(a.slot), index(b.slot)) })
	return out
}

// correctsAnother reports whether a candidate gives a slot other than the one
// asked a new value for one it already holds.
func correctsAnother(f *Frame, cands []candidate, asked *policies.Slot) bool {
	if f == nil {
		return false
	}
	for _, c := range cands {
		if old, had := f.Slots[c.slot.Name]; c.slot != asked && had && old.Value != c.value.Value {
			return true
		}
	}
	return false
}

func entityValue(e nlu.Entity) SlotValue {
	v := e.Value
	if v == "" {
		v = e.Text
	}
	if e.Type == "number" || e.Type == "money" {
		n := e.Number
		return SlotValue{Value: v, Number: &n}
	}
	if e.Type == "date_range" {
		if r, ok := parseDateRange(v); ok {
			return SlotValue{Value: v, Range: r}
		}
	}
	return SlotValue{Value: v}
}

// parseDateRange reads "2026-01-01/2026-01-31".
func parseDateRange(s string) (*DateRange, bool) {
	start, end, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return nil, false
	}
	a, err1 := time.Parse(time.DateOnly, start)
	b, err2 := time.Parse(time.DateOnly, end)
	if err1 != nil || err2 != nil || b.Before(a) {
		return nil, false
	}
	return &DateRange{Start: start, End: end}, true
}

var (
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ().\-]*[0-9]$`)
)

// parseAs reads a whole message as a value of a slot type.
func (d *decider) parseAs(typ, text string) (SlotValue, bool) {
	t := strings.TrimSpace(text)
	if t == "" {
		return SlotValue{}, false
	}
	if e := d.bot.Entities[typ]; e != nil {
		switch e.Kind {
		case policies.EntityPattern:
			if e.Pattern == nil {
				return SlotValue{}, false
			}
			subject := t
			if e.IgnoreCase {
				subject = strings.ToUpper(t)
			}
			if loc := e.Pattern.FindStringIndex(subject); loc != nil && loc[0] == 0 && loc[1] == len(subject) {
				return SlotValue{Value: subject}, true
			}
		case policies.EntityList:
			for _, v := range e.Values {
				if strings.EqualFold(t, v.Canonical) || slices.ContainsFunc(v.Synonyms, func(s string) bool { return strings.EqualFold(t, s) }) {
					return SlotValue{Value: v.Canonical}, true
				}
			}
		}
		return SlotValue{}, false
	}
	switch typ {
	case "number", "money":
		n, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return SlotValue{}, false
		}
		return SlotValue{Value: strconv.FormatFloat(n, 'f', -1, 64), Number: &n}, true
	case "email":
		if emailRE.MatchString(t) {
			return SlotValue{Value: t}, true
		}
	case "phone":
		if !phoneRE.MatchString(t) {
			return SlotValue{}, false
		}
		var b strings.Builder
		if strings.HasPrefix(t, "+") {
			b.WriteByte('+')
		}
		digits := 0
		for _, r := range t {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
				digits++
			}
		}
		if digits >= 7 && digits <= 15 {
			return SlotValue{Value: b.String()}, true
		}
	case "yes_no":
		if yn := yesOrNoText(t); yn != "" {
			return SlotValue{Value: yn}, true
		}
	case "date":
		if _, err := time.Parse("2006-01-02", t); err == nil {
			return SlotValue{Value: t}, true
		}
	case "date_range":
		if r, ok := parseDateRange(t); ok {
			return SlotValue{Value: t, Range: r}, true
		}
	case "person":
		if name, ok := nlu.PersonName(t); ok {
			return SlotValue{Value: name}, true
		}
	}
	return SlotValue{}, false
}

var yesNoWords = map[string]string{
	"yes": "yes", "y": "yes", "yeah": "yes", "yep": "yes", "yup": "yes", "sure": "yes", "ok": "yes", "okay": "yes",
	"yes please": "yes", "go ahead": "yes", "correct": "yes", "right": "yes", "confirm": "yes",
	"是": "yes", "是的": "yes", "好": "yes", "好的": "yes", "对": "yes", "对的": "yes", "可以": "yes", "确认": "yes", "行": "yes", "嗯": "yes",
	"no": "no", "n": "no", "nope": "no", "nah": "no", "no thanks": "no", "no thank you": "no", "don't": "no",
	"不": "no", "不是": "no", "不用": "no", "不用了": "no", "否": "no", "不要": "no", "不行": "no", "不对": "no",
}

// yesOrNo reads a message as an answer to a yes/no question: "yes", "no" or "".
func yesOrNo(m *Message) string {
	for _, e := range m.NLU.Entities {
		if e.Type == "yes_no" && (e.Value == "yes" || e.Value == "no") {
			return e.Value
		}
	}
	return yesOrNoText(m.Text)
}

// answerTo is the yes or no a message says to the bot's own yes-or-no
// question (a confirmation, whether to switch or resume, whether to reuse a
// value). Like a yes_no slot, it reads an answer that echoes the question,
// before the yes or no words: "提交" and "不提交" to "是否提交？", "对，不提交"
// is no. An echoed yes that goes on ("提交，算了", "I do, wait no") is not
// taken: these questions move money, and what follows may take the yes back.
func answerTo(f *Frame, m *Message) string {
	yn, more := nlu.ReadEcho(f.Question, m.Text)
	if yn == "no" || yn == "yes" && !more {
		return yn
	}
	return yesOrNo(m)
}

func yesOrNoText(text string) string {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.TrimRight(t, " .!?,~。！？，～")
	t = strings.TrimLeft(t, "/")
	return yesNoWords[t]
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// replacesNamed reports whether a correction names the value slot s holds
// and a new value for it: "不是上海，是杭州", "to Guangzhou, not Beijing". A
// value its preposition gives another slot is not for s, and one another
// slot of the type holds is no new value: "不对，是北京，上海" swaps them.
func replacesNamed(dlg *policies.Dialog, f *Frame, m *Message, owners []*policies.Slot, s *policies.Slot) bool {
	if f == nil || !m.NLU.Correction {
		return false
	}
	v, ok := f.Slots[s.Name]
	if !ok {
		return false
	}
	named, other := false, false
	for i, e := range m.NLU.Entities {
		if e.Type != s.Type {
			continue
		}
		if owner := ownerOf(owners, i); owner != nil && owner != s {
			continue
		}
		value := entityValue(e).Value
		switch {
		case value == v.Value:
			named = true
		case !slices.ContainsFunc(dlg.Slots, func(o *policies.Slot) bool {
			held, ok := f.Slots[o.Name]
			return o != nil && o != s && o.Type == s.Type && ok && held.Value == value
		}):
			other = true
		}
	}
	return named && other
}

// soleOfType reports whether s is the only slot of its type in the dialog.
func soleOfType(dlg *policies.Dialog, s *policies.Slot) bool {
	for _, o := range dlg.Slots {
		if o != s && o.Type == s.Type {
			return false
		}
	}
	return true
}

// phoneInAnswer reads a run of digits the NLU took for a number ("5551234567",
// a US number without its dashes) as the phone number asked for, when the
// message says nothing else: "my number is 5551234567" as "5551234567" is.
func (d *decider) phoneInAnswer(m *Message, s *policies.Slot, v *SlotValue) bool {
	var found *SlotValue
	for _, e := range m.NLU.Entities {
		if e.Type != "number" || e.Start < 0 || e.End > len(m.Text) || e.Start >= e.End {
			continue
		}
		pv, ok := d.parseAs("phone", m.Text[e.Start:e.End])
		if !ok || found != nil {
			return false // no phone, or two numbers: which one is meant?
		}
		found = &pv
	}
	if found == nil || !d.onlyValue(m, s) {
		return false
	}
	*v = *found
	return true
}
