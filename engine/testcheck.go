package engine

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// CheckTurn compares a turn's result with its expectations and says what differs.
func CheckTurn(want *policies.TestTurn, got *TurnResult) []string {
	var msgs []string
	texts := make([]string, len(got.Replies))
	for i, r := range got.Replies {
		texts[i] = r.Text
	}
	joined := strings.Join(texts, "\n")
	said := fmt.Sprintf("the bot said %q", texts)

	if want.Reply != nil {
		if !slices.Equal(want.Reply, texts) {
			msgs = append(msgs, repliesDiffer(want.Reply, texts))
		}
	}
	if want.ReplyGlob != "" && !globMatchAny(want.ReplyGlob, texts) {
		msgs = append(msgs, fmt.Sprintf("no reply matches the pattern %q; %s", want.ReplyGlob, said))
	}
	if want.ReplyRegex != nil && !want.ReplyRegex.MatchString(joined) {
		msgs = append(msgs, fmt.Sprintf("no reply matches the regex %q; %s", want.ReplyRegex, said))
	}
	if want.Response != "" {
		found := false
		var names []string
		for _, r := range got.Replies {
			names = append(names, orNone(r.Response))
			found = found || r.Response == want.Response
		}
		if !found {
			msgs = append(msgs, fmt.Sprintf("expected a reply from response %q, got responses %v; %s", want.Response, names, said))
		}
	}
	if want.Responses != nil {
		names := []string{}
		for _, r := range got.Replies {
			if r.Response != "" {
				names = append(names, r.Response)
			}
		}
		if d := cmp.Diff(want.Responses, names); d != "" {
			msgs = append(msgs, fmt.Sprintf("responses differ (-want +got):\n%s\n%s", d, said))
		}
	}
	if want.Intent != "" {
		var guesses []nlu.IntentScore
		if got.NLU != nil {
			guesses = got.NLU.Intents
		}
		bare := got.NLU != nil && len(guesses) > 0 && dialog.IsBareYesNo(got.NLU.Text)
		if msg := checkIntent(want.Intent, got.Intent, got.Confidence, guesses, bare, got.Knowledge); msg != "" {
			msgs = append(msgs, msg)
		}
	}
	msgs = append(msgs, checkSlots("slot", want.Slots, got.Slots, got.Held)...)
	if want.Entities != nil {
		var found []nlu.Entity
		if got.NLU != nil {
			found = got.NLU.Entities
		}
		msgs = append(msgs, checkEntities(want.Entities, found)...)
	}
	if want.Calls != nil {
		gotCalls := got.Calls
		if gotCalls == nil {
			gotCalls = []string{}
		}
		if d := cmp.Diff(want.Calls, gotCalls); d != "" {
			msgs = append(msgs, "connector calls differ (-want +got):\n"+d)
		}
	}
	if want.Handoff != "" {
		switch {
		case want.Handoff == "none":
			if got.Handoff != nil {
				msgs = append(msgs, fmt.Sprintf("expected no handoff, got a handoff to queue %q; %s", got.Handoff.Queue, said))
			}
		case got.Handoff == nil:
			msgs = append(msgs, fmt.Sprintf("expected a handoff to queue %q, but there was none; %s", want.Handoff, said))
		case got.Handoff.Queue != want.Handoff:
			msgs = append(msgs, fmt.Sprintf("handoff: want queue %q, got %q", want.Handoff, got.Handoff.Queue))
		}
	}
	if want.Ticket != "" {
		var queues []string
		for _, tk := range got.Tickets {
			queues = append(queues, tk.Queue)
		}
		switch {
		case want.Ticket == "none":
			if len(queues) > 0 {
				msgs = append(msgs, fmt.Sprintf("expected no ticket, got tickets in %v", queues))
			}
		case !contains(queues, want.Ticket):
			msgs = append(msgs, fmt.Sprintf("expected a ticket in queue %q, got tickets in %v", want.Ticket, queues))
		case want.TicketPriority != "":
			var prios []string
			for _, tk := range got.Tickets {
				if tk.Queue == want.Ticket {
					prios = append(prios, tk.Priority)
				}
			}
			if !contains(prios, want.TicketPriority) {
				msgs = append(msgs, fmt.Sprintf("ticket in queue %q: want priority %q, got %s", want.Ticket, want.TicketPriority, strings.Join(prios, ", ")))
			}
		}
	}
	msgs = append(msgs, checkApproval(want, got)...)
	if want.Knowledge != "" {
		gotK := orNone(got.Knowledge)
		if gotK != want.Knowledge {
			msg := fmt.Sprintf("knowledge: want an answer from chunk %q, got %q; %s", want.Knowledge, gotK, said)
			if got.Knowledge == "" && want.Knowledge != "none" && got.Intent != "" {
				// The usual cause, which the replies alone don't show.
				msg += fmt.Sprintf(". The bot acted on intent %q (%.2f) instead: a question worded like an intent's examples goes to that intent, so give it an intent of its own with an answer (parley validate -nlu lists the FAQ questions intents take)", got.Intent, got.Confidence)
			}
			msgs = append(msgs, msg)
		}
	}
	if want.Unanswered != nil && got.Unanswered != *want.Unanswered {
		msgs = append(msgs, fmt.Sprintf("unanswered: want %v, got %v; %s", *want.Unanswered, got.Unanswered, said))
	}
	if want.Dialog != nil {
		gotDialog := orNone(got.Dialog)
		if gotDialog != *want.Dialog {
			msgs = append(msgs, fmt.Sprintf("active dialog: want %q, got %q", *want.Dialog, gotDialog))
		}
	}
	return msgs
}

// checkSlots compares expected slot values with those a dialog holds; an
// expected null or "" means the slot must be empty. held are the values
// given for slots that wait for the calls their validate reads.
func checkSlots(what string, want map[string]cty.Value, got, held map[string]string) []string {
	var msgs []string
	for _, name := range sortedKeys(want) {
		wantV := ctyString(want[name])
		gotV, ok := got[name]
		heldV, isHeld := held[name]
		switch {
		case !ok && isHeld && wantV != "":
			msgs = append(msgs, fmt.Sprintf("%s %s: want %q, but it is not filled yet: %q was given and waits for the calls its validate reads, which need slots still to be asked (%s)",
				what, name, wantV, heldV, slotsText(got)))
		case !ok && wantV != "":
			msgs = append(msgs, fmt.Sprintf("%s %s: want %q, but it is not filled (%s)", what, name, wantV, slotsText(got)))
		case ok && wantV == "":
			msgs = append(msgs, fmt.Sprintf("%s %s: want it empty, got %q", what, name, gotV))
		case ok && gotV != wantV && !sameAmount(want[name], gotV):
			msgs = append(msgs, fmt.Sprintf("%s %s: want %q, got %q%s", what, name, wantV, gotV, quotedAmountHint(want[name], gotV)))
		}
	}
	return msgs
}

// slotsText lists the slots filled, as a test writes them.
func slotsText(slots map[string]string) string {
	if len(slots) == 0 {
		return "no slot is filled"
	}
	var parts []string
	for _, name := range sortedKeys(slots) {
		parts = append(parts, fmt.Sprintf("%s = %q", name, slots[name]))
	}
	return "slots: " + strings.Join(parts, ", ")
}

// checkDialogSlots compares the slots of named dialogs: on the stack after the
// turn, or ended in it.
func checkDialogSlots(want *policies.TestTurn, dialogs map[string]map[string]string) []string {
	var msgs []string
	for _, name := range sortedKeys(want.DialogSlots) {
		got, ok := dialogs[name]
		if !ok {
			msgs = append(msgs, fmt.Sprintf("dialog_slots: dialog %q is neither active nor interrupted after this turn, and did not end in it (dialogs: %v)", name, sortedKeys(dialogs)))
			continue
		}
		msgs = append(msgs, checkSlots("dialog "+name+": slot", want.DialogSlots[name], got, nil)...)
	}
	return msgs
}

// checkEntities compares the entities the NLU extracted with those expected,
// per type: a value must be among them, a list must be all of them in order,
// null means none of the type, and an empty expectation means none at all.
func checkEntities(want map[string]cty.Value, found []nlu.Entity) []string {
	gotText := entitiesText(found)
	if len(want) == 0 {
		if len(found) > 0 {
			return []string{fmt.Sprintf("entities: want none, got %s", gotText)}
		}
		return nil
	}
	var msgs []string
	for _, typ := range sortedKeys(want) {
		w := want[typ]
		var ofType []nlu.Entity
		for _, e := range found {
			if e.Type == typ {
				ofType = append(ofType, e)
			}
		}
		switch {
		case w.IsNull():
			if len(ofType) > 0 {
				msgs = append(msgs, fmt.Sprintf("entities: want no %s, got %s", typ, gotText))
			}
		case w.Type().IsTupleType() || w.Type().IsListType():
			var wants []cty.Value
			for it := w.ElementIterator(); it.Next(); {
				_, v := it.Element()
				wants = append(wants, v)
			}
			ok := len(wants) == len(ofType)
			for i := 0; ok && i < len(wants); i++ {
				ok = entityIs(ofType[i], wants[i])
			}
			if !ok {
				msgs = append(msgs, fmt.Sprintf("entities: want %s = %s, got %s", typ, ctyList(wants), gotText))
			}
		default:
			ok := false
			for _, e := range ofType {
				ok = ok || entityIs(e, w)
			}
			if !ok {
				hint := ""
				for _, e := range ofType {
					if hint == "" {
						hint = quotedAmountHint(w, e.Value)
					}
				}
				msgs = append(msgs, fmt.Sprintf("entities: want %s %q, got %s%s", typ, ctyString(w), gotText, hint))
			}
		}
	}
	return msgs
}

// sameAmount reports whether an expected number is the amount a slot holds,
// so 600 matches a money slot's "600.00", as it does for entities.
func sameAmount(want cty.Value, got string) bool {
	if want == cty.NilVal || want.IsNull() || !want.IsKnown() || want.Type() != cty.Number {
		return false
	}
	f, _ := want.AsBigFloat().Float64()
	n, err := strconv.ParseFloat(got, 64)
	return err == nil && n == f
}

// quotedAmountHint explains why "499" does not match the amount 499.00: the
// expectation is text (a table's each.key always is), and only numbers
// compare as amounts. "" when that is not the mismatch.
func quotedAmountHint(want cty.Value, got string) string {
	if want == cty.NilVal || want.IsNull() || !want.IsKnown() || want.Type() != cty.String {
		return ""
	}
	w, err := strconv.ParseFloat(strings.TrimSpace(want.AsString()), 64)
	n, err2 := strconv.ParseFloat(got, 64)
	if err != nil || err2 != nil || w != n {
		return ""
	}
	return fmt.Sprintf(`: the expectation is text, and only a number compares as an amount; write %s without quotes, or tonumber(each.key) in a table`, strconv.FormatFloat(w, 'f', -1, 64))
}

// entityIs compares an entity with an expected value: its canonical text, or
// for numbers and money the amount, so 499 matches "499.00".
func entityIs(e nlu.Entity, want cty.Value) bool {
	if e.Value == ctyString(want) {
		return true
	}
	if want.Type() == cty.Number {
		f, _ := want.AsBigFloat().Float64()
		if n, err := strconv.ParseFloat(e.Value, 64); err == nil && n == f {
			return true
		}
		return e.Number == f && (e.Type == "number" || e.Type == "money")
	}
	return false
}

func entitiesText(found []nlu.Entity) string {
	if len(found) == 0 {
		return "none"
	}
	parts := make([]string, len(found))
	for i, e := range found {
		parts[i] = fmt.Sprintf("%s=%q", e.Type, e.Value)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func ctyList(vals []cty.Value) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprintf("%q", ctyString(v))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// globMatchAny reports whether any reply matches a shell-style pattern, where
// "*" spans anything, newlines included.
func globMatchAny(pattern string, texts []string) bool {
	re := globRegexp(pattern)
	for _, t := range texts {
		if re.MatchString(t) {
			return true
		}
	}
	return false
}

func globRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

func ctyString(v cty.Value) string {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return formatNumber(v)
	case cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	}
	if r, ok := dateRangeString(v); ok {
		return r
	}
	return fmt.Sprint(v.GoString())
}

// dateRangeString reads an expected { start, end } object as a date_range
// value holds it, "START/END": the doc tells test writers the value is an
// object with start and end, as expressions read it.
func dateRangeString(v cty.Value) (string, bool) {
	t := v.Type()
	if !t.IsObjectType() || len(t.AttributeTypes()) != 2 || !t.HasAttribute("start") || !t.HasAttribute("end") {
		return "", false
	}
	start, end := v.GetAttr("start"), v.GetAttr("end")
	if start.IsNull() || end.IsNull() || !start.IsKnown() || !end.IsKnown() || start.Type() != cty.String || end.Type() != cty.String {
		return "", false
	}
	return start.AsString() + "/" + end.AsString(), true
}

func formatNumber(v cty.Value) string {
	bf := v.AsBigFloat()
	if bf.IsInt() {
		i, _ := bf.Int64()
		return fmt.Sprint(i)
	}
	f, _ := bf.Float64()
	return fmt.Sprint(f)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func indent(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// repliesDiffer shows the expected and the actual replies whole, one a line.
// cmp.Diff splits a changed text at bytes, which cuts Chinese characters into
// escapes ("工单\xe5", "\x8f\xb7") a tester cannot read.
func repliesDiffer(want, got []string) string {
	var b strings.Builder
	b.WriteString("replies differ:")
	for i := 0; i < max(len(want), len(got)); i++ {
		w, g := "(none)", "(none)"
		if i < len(want) {
			w = strconv.Quote(want[i])
		}
		if i < len(got) {
			g = strconv.Quote(got[i])
		}
		mark := ""
		if w != g {
			mark = " <-"
		}
		fmt.Fprintf(&b, "\n  reply %d: want %s%s\n           got  %s", i+1, w, mark, g)
	}
	return b.String()
}

// CutConfidence writes a confidence with two decimals cut, not rounded: 0.4497
// must not read as a threshold of 0.45 reached. The nudge keeps a float just
// under a hundredth (0.58*100 is 57.99999999999999) from losing it.
func CutConfidence(c float64) string {
	return fmt.Sprintf("%.2f", math.Floor(c*100+1e-9)/100)
}

// checkIntent compares the intent a message was understood as ("" for
// none) with the one expected ("none" for none).
func checkIntent(want, got string, confidence float64, guesses []nlu.IntentScore, bareYesNo bool, knowledge string) string {
	if orNone(got) == want {
		return ""
	}
	conf := fmt.Sprintf("%.2f", confidence)
	top := ""
	if got == "" {
		// Below the threshold (or see below). Rounded, 0.4497 would read as a threshold of
		// 0.45 reached: cut the digits off instead.
		conf = CutConfidence(confidence) + ", below confidence_threshold"
		if len(guesses) > 0 {
			top = fmt.Sprintf("; the best guess was %q", guesses[0].Name)
		}
		if bareYesNo {
			conf = CutConfidence(confidence)
			top = fmt.Sprintf("; the best guess was %q, but the message is a bare yes or no, which goes to an intent only when one of its examples is a bare yes or no too", guesses[0].Name)
		}
		if knowledge != "" && len(guesses) > 0 {
			// The intent may have been recognised: the passage won, and the
			// bot acted on it instead.
			conf = CutConfidence(confidence)
			top = fmt.Sprintf("; the best guess was %q, but the knowledge base answered (%s), and a turn it answers reports no intent", guesses[0].Name, knowledge)
		}
	}
	return fmt.Sprintf("intent: want %q, got %q (top confidence %s%s)", want, orNone(got), conf, top)
}
