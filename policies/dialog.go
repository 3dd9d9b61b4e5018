package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var dialogSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "trigger"},
		{Name: "when"},
		{Name: "title"},
		{Name: "interrupt"},
		{Name: "interrupt_prompt"},
		{Name: "resume"},
		{Name: "resume_prompt"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "slot", LabelNames: []string{"name"}},
		{Type: "call", LabelNames: []string{"name"}},
		{Type: "confirm"},
		{Type: "outcome", LabelNames: []string{"name"}},
	},
}

func duplicateIn(kind, name string, first, second hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Duplicate %s %q", kind, name),
		Detail:   fmt.Sprintf("%s %s named %q was already declared at %s.", article(kind), kind, name, first.String()),
		Subject:  second.Ptr(),
	}
}

// decodeDialog reads a dialog: its triggers, slots, calls, confirmation and outcomes.
func (d *decoder) decodeDialog(block *hcl.Block) (*Dialog, hcl.Diagnostics) {
	dl := &Dialog{Name: block.Labels[0], Range: block.DefRange}
	content, diags := decodeContent(block.Body, dialogSchema, "A dialog")
	var more hcl.Diagnostics
	dl.Description, more = attrString(content.Attributes, "description")
	diags = append(diags, more...)
	dl.When = exprOrNil(content.Attributes, "when")
	diags = append(diags, decodeDialogControl(dl, content.Attributes)...)

	if attr, ok := content.Attributes["trigger"]; ok {
		elems, listDiags := hcl.ExprList(attr.Expr)
		if listDiags.HasErrors() {
			what := "a list of intents, like [intent.refund]"
			if name, bad := decodeRef(attr.Expr, "intent"); !bad.HasErrors() {
				// One intent, not in a list: taken as written, so nothing
				// else is reported about the dialog's trigger.
				what = fmt.Sprintf("a list of intents, even for one: trigger = [intent.%s]", name)
				elems = []hcl.Expression{attr.Expr}
			} else if name, quoted := quotedName(attr.Expr); quoted {
				what = fmt.Sprintf("a list of intents, written without quotes: trigger = [intent.%s]", name)
			}
			diags = append(diags, wrongType(attr.Expr, what, nil)...)
		}
		if len(elems) > 0 || listDiags.HasErrors() {
			d.triggerWritten[dl] = true // a broken trigger is its own error, not "can never start"
		}
		seen := map[string]bool{}
		for _, e := range elems {
			name, more := decodeRef(e, "intent")
			diags = append(diags, more...)
			if name == "" {
				continue
			}
			if seen[name] {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate trigger",
					Detail:   fmt.Sprintf("intent.%s is listed twice.", name),
					Subject:  e.Range().Ptr(),
				})
				continue
			}
			seen[name] = true
			d.ref("intent", name, e.Range())
			dl.Triggers = append(dl.Triggers, name)
		}
	}

	names := map[string]map[string]hcl.Range{"slot": {}, "call": {}, "outcome": {}}
	for _, b := range content.Blocks {
		if len(b.Labels) > 0 {
			diags = append(diags, checkName(b)...)
			if first, dup := names[b.Type][b.Labels[0]]; dup {
				diags = append(diags, duplicateIn(b.Type, b.Labels[0], first, b.DefRange))
				continue
			}
			names[b.Type][b.Labels[0]] = b.DefRange
		}
		owner := dl.Name
		if len(b.Labels) > 0 {
			owner = dl.Name + "." + b.Labels[0]
		}
		switch b.Type {
		case "slot":
			s, more := d.decodeSlot(b, dl.Name)
			diags = append(diags, more...)
			dl.Slots = append(dl.Slots, s)
		case "call":
			c, more := d.decodeCall(b, owner, dl.Name)
			diags = append(diags, more...)
			dl.Calls = append(dl.Calls, c)
		case "outcome":
			o, more := d.decodeOutcome(b, owner, dl.Name)
			diags = append(diags, more...)
			dl.Outcomes = append(dl.Outcomes, o)
		}
	}
	cb, more := singleBlock(content.Blocks, "confirm")
	diags = append(diags, more...)
	if cb != nil {
		dl.Confirm, more = d.decodeConfirm(cb, dl.Name)
		diags = append(diags, more...)
	}
	return dl, diags
}

var slotSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"},
		{Name: "prompt"},
		{Name: "optional"},
		{Name: "required_when"},
		{Name: "validate"},
		{Name: "invalid"},
		{Name: "retries"},
		{Name: "remember"},
		{Name: "default"},
		{Name: "reuse_prompt"},
		{Name: "digressions"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "on_exhausted"}},
}

const defaultRetries = 2

// usingShared decodes with the shared definition def in effect, so references
// written in it say where it is used; the returned func restores the previous one.
func (d *decoder) usingShared(def *SharedDef, use hcl.Range, where string) func() {
	prev := d.using
	if def != nil {
		d.using = &sharedUse{def: def, use: use, where: where}
	}
	return func() { d.using = prev }
}

func (d *decoder) decodeSlot(block *hcl.Block, dialog string) (*Slot, hcl.Diagnostics) {
	s := &Slot{Name: block.Labels[0], Retries: defaultRetries, Range: block.DefRange}
	body, shared := d.sharedBody(block)
	s.Shared = shared
	defer d.usingShared(shared, block.DefRange, fmt.Sprintf("in dialog %q", dialog))()
	content, diags := decodeContent(body, slotSchema, "A slot")
	hintResponseOnly(body, diags)
	attrs := content.Attributes

	_, typed := attrs["type"]
	if !typed {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing slot type",
			Detail:   fmt.Sprintf("Slot %q has no type. Give one, like type = order_id, or define a shared slot %q at the top level of the bot for this one to use.%s", s.Name, s.Name, didYouMean(s.Name, sortedKeys(d.shared["slot"]))),
			Subject:  block.DefRange.Ptr(),
		})
	}
	if attr, ok := attrs["type"]; ok {
		s.Type = hcl.ExprAsKeyword(attr.Expr)
		if s.Type == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid slot type",
				Detail:   "A slot type is a bare name: a builtin type (text, number, money, email, phone, date, date_range, person, yes_no) or an entity, like type = " + bareNameHint(attr.Expr, "order_id") + ".",
				Subject:  attr.Expr.Range().Ptr(),
			})
		} else {
			d.ref("type", s.Type, attr.Expr.Range())
		}
	}
	var more hcl.Diagnostics
	s.Optional, more = attrBool(attrs, "optional")
	diags = append(diags, more...)
	s.RequiredWhen = exprOrNil(attrs, "required_when")
	s.Validate = exprOrNil(attrs, "validate")

	if attr, ok := attrs["prompt"]; ok {
		s.Prompt, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	} else if !s.Optional && typed {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing prompt",
			Detail:   fmt.Sprintf("Slot %q is required, so the bot must be able to ask for it: add a prompt, or set optional = true.", s.Name),
			Subject:  block.DefRange.Ptr(),
		})
	}
	if s.Optional {
		if attr, ok := attrs["required_when"]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Conflicting slot settings",
				Detail:   "An optional slot is never asked for, so required_when has no effect; remove one of them.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	if attr, ok := attrs["invalid"]; ok {
		s.Invalid, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	}
	s.Remember, more = attrBool(attrs, "remember")
	diags = append(diags, more...)
	s.Default = exprOrNil(attrs, "default")
	if attr, ok := attrs["reuse_prompt"]; ok {
		s.ReusePrompt, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
		if !s.Remember && s.Default == nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Nothing to reuse",
				Detail:   "reuse_prompt asks before using a remembered or default value, but this slot has neither: add remember = true or a default, or remove reuse_prompt.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	s.Digressions = true
	if _, ok := attrs["digressions"]; ok {
		s.Digressions, more = attrBool(attrs, "digressions")
		diags = append(diags, more...)
	}
	if attr, ok := attrs["retries"]; ok {
		n, present, more := attrInt(attrs, "retries")
		diags = append(diags, more...)
		if present {
			if n < 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid retries",
					Detail:   "retries is how many failed attempts are allowed; it cannot be negative.",
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				s.Retries = n
			}
		}
	}
	eb, more := singleBlock(content.Blocks, "on_exhausted")
	diags = append(diags, more...)
	if eb != nil {
		d.inExhausted = true
		s.OnExhausted, more = d.decodeActionsBlock(eb, dialog+"."+s.Name, dialog)
		d.inExhausted = false
		diags = append(diags, more...)
	}
	return s, diags
}

var callSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "operation"},
		{Name: "input"},
		{Name: "idempotency_key"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "on_not_found"}, {Type: "on_rejected"}, {Type: "on_unavailable"}, {Type: "on_timeout"},
		{Type: "on_error"},
		{Type: "approval"},
	},
}

// onErrorSchema is an on_error block: actions, and the codes it handles.
var onErrorSchema = withActions([]hcl.AttributeSchema{{Name: "codes"}}, nil)

// decodeCall reads a connector operation call; dialog is the dialog whose slots
// its on_error may reask.
func (d *decoder) decodeCall(block *hcl.Block, owner, dialog string) (*Call, hcl.Diagnostics) {
	c := &Call{Name: block.Labels[0], Range: block.DefRange}
	body, shared := d.sharedBody(block)
	c.Shared = shared
	where := fmt.Sprintf("in %q", owner)
	if dialog != "" {
		where = fmt.Sprintf("in dialog %q", dialog)
	}
	defer d.usingShared(shared, block.DefRange, where)()
	content, diags := decodeContent(body, callSchema, "A call")
	if _, ok := content.Attributes["operation"]; !ok {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing operation",
			Detail:   fmt.Sprintf("Call %q names no operation. Give one, like operation = connector.orders.get_order, or define a shared call %q at the top level of the bot for this one to use.%s", c.Name, c.Name, didYouMean(c.Name, sortedKeys(d.shared["call"]))),
			Subject:  block.DefRange.Ptr(),
		})
	}
	if attr, ok := content.Attributes["operation"]; ok {
		conn, op, more := decodeOperationRef(attr.Expr)
		diags = append(diags, more...)
		if conn != "" {
			c.Connector, c.Operation = conn, op
			d.addRef(reference{kind: "operation", name: conn, op: op, rng: attr.Expr.Range()})
		}
	}
	c.Input = exprOrNil(content.Attributes, "input")
	c.Reads = slotReads(c.Input)
	c.IdempotencyKey = exprOrNil(content.Attributes, "idempotency_key")
	handled := map[string]hcl.Range{}
	handle := func(code string, acts *Actions, rng hcl.Range) {
		if first, dup := handled[code]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Error code handled twice",
				Detail:   fmt.Sprintf("%q is already handled at %s; a failure runs one handler.", code, first.String()),
				Subject:  rng.Ptr(),
			})
			return
		}
		handled[code] = rng
		if c.OnCode == nil {
			c.OnCode = map[string]*Actions{}
		}
		c.OnCode[code] = acts
	}
	var catchAll *hcl.Block
	for _, b := range content.Blocks { // in source order, so a clash is reported at the second
		if code, ok := strings.CutPrefix(b.Type, "on_"); ok && b.Type != "on_error" {
			acts, more := d.decodeActionsBlock(b, owner, dialog)
			diags = append(diags, more...)
			handle(code, acts, b.DefRange)
			continue
		}
		if b.Type != "on_error" {
			continue
		}
		inner, more := decodeActionsContent(b, onErrorSchema)
		diags = append(diags, more...)
		acts, more := d.decodeActions(inner, b.DefRange, owner, dialog)
		diags = append(diags, more...)
		attr, hasCodes := inner.Attributes["codes"]
		if !hasCodes {
			if catchAll != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate on_error block",
					Detail:   fmt.Sprintf("An on_error block without codes handles every other failure; there is one already at %s. Give this one codes = [...], or merge them.", catchAll.DefRange.String()),
					Subject:  b.DefRange.Ptr(),
				})
				continue
			}
			catchAll = b
			c.OnError = acts
			continue
		}
		codes, _, more := attrStringList(inner.Attributes, "codes")
		diags = append(diags, more...)
		if !more.HasErrors() && len(codes) == 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No error codes",
				Detail:   `codes lists the failures this block handles, like codes = ["unavailable", "timeout"]; leave it out to handle every failure no other block handles.`,
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
		for _, code := range codes {
			if bad := oneOf(attr, code, HandledCodes, "error code"); bad != nil {
				diags = append(diags, bad...)
				continue
			}
			handle(code, acts, attr.Expr.Range())
		}
	}
	ab, more := singleBlock(content.Blocks, "approval")
	diags = append(diags, more...)
	if ab != nil {
		c.Approval, more = d.decodeApproval(ab, owner, dialog)
		diags = append(diags, more...)
	}
	return c, diags
}

var confirmSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "when"},
		{Name: "prompt"}, // required: decodeConfirm says what to write
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "on_no"}},
}

func (d *decoder) decodeConfirm(block *hcl.Block, dialog string) (*Confirm, hcl.Diagnostics) {
	c := &Confirm{Range: block.DefRange}
	content, diags := decodeContent(block.Body, confirmSchema, "A confirm block")
	c.When = exprOrNil(content.Attributes, "when")
	var more hcl.Diagnostics
	if attr, ok := content.Attributes["prompt"]; ok {
		c.Prompt, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	} else {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing prompt",
			Detail:   fmt.Sprintf("The confirm block of dialog %q needs a prompt: the yes-or-no question the bot asks before going ahead, such as prompt = response.confirm_%s.", dialog, dialog),
			Subject:  block.DefRange.Ptr(),
		})
	}
	nb, more := singleBlock(content.Blocks, "on_no")
	diags = append(diags, more...)
	if nb != nil {
		c.OnNo, more = d.decodeActionsBlock(nb, dialog+".confirm", dialog)
		diags = append(diags, more...)
	}
	return c, diags
}

var outcomeSchema = withActions(append([]hcl.AttributeSchema{{Name: "when"}}, reportingAttributes...), nil)

func (d *decoder) decodeOutcome(block *hcl.Block, owner, dialog string) (*Outcome, hcl.Diagnostics) {
	o := &Outcome{Name: block.Labels[0], Range: block.DefRange}
	content, diags := decodeContent(block.Body, outcomeSchema, "An outcome")
	o.When = exprOrNil(content.Attributes, "when")
	acts, more := d.decodeActions(content, block.DefRange, owner, dialog)
	diags = append(diags, more...)
	o.Actions = *acts
	o.Reporting, more = decodeReporting(content.Attributes)
	return o, append(diags, more...)
}

// decodeDialogControl reads how the dialog names itself and takes being
// interrupted: title, interrupt, resume and their prompts.
func decodeDialogControl(dl *Dialog, attrs hcl.Attributes) hcl.Diagnostics {
	var diags hcl.Diagnostics
	dl.Interrupt, dl.Resume = InterruptStack, ResumeAuto
	if attr, ok := attrs["title"]; ok {
		var more hcl.Diagnostics
		dl.Title, more = decodeTitle(attr.Expr)
		diags = append(diags, more...)
	}
	choice := func(name string, allowed []string, dst *string) {
		attr, ok := attrs[name]
		if !ok {
			return
		}
		v, present, more := literalString(attr.Expr)
		diags = append(diags, more...)
		if !present {
			return
		}
		if bad := oneOf(attr, v, allowed, name+" setting"); bad != nil {
			diags = append(diags, bad...)
			return
		}
		*dst = v
	}
	choice("interrupt", []string{InterruptStack, InterruptAsk, InterruptAbandon, InterruptRefuse}, &dl.Interrupt)
	choice("resume", []string{ResumeAuto, ResumeAsk}, &dl.Resume)
	prompt := func(name, needs string, ok bool, dst **Message) {
		attr, given := attrs[name]
		if !given {
			return
		}
		m, more := decodeMessage(attr.Expr)
		diags = append(diags, more...)
		*dst = m
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Prompt never asked",
				Detail:   fmt.Sprintf("%s is only asked with %s.", name, needs),
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	prompt("interrupt_prompt", `interrupt = "ask"`, dl.Interrupt == InterruptAsk, &dl.InterruptPrompt)
	prompt("resume_prompt", `resume = "ask" or an offer_continue action`, true, &dl.ResumePrompt)
	return diags
}

// decodeTitle reads a title: one text for every language, or texts per
// language like { en = "your refund", zh = "退款" }. Titles are plain text.
func decodeTitle(expr hcl.Expression) (map[string]string, hcl.Diagnostics) {
	val, diags := literalValue(expr)
	if diags.HasErrors() || val.IsNull() {
		return nil, diags
	}
	out := map[string]string{}
	switch {
	case val.Type() == cty.String:
		out[""] = val.AsString()
	case val.Type().IsObjectType() || val.Type().IsMapType():
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			lang := k.AsString()
			if !isKnownLanguage(lang) {
				diags = append(diags, unknownLanguage(lang, expr.Range()))
				continue
			}
			if v.IsNull() || v.Type() != cty.String {
				diags = append(diags, wrongType(expr, `a text per language, like { en = "your refund", zh = "退款" }`, nil)...)
				continue
			}
			out[lang] = v.AsString()
		}
	default:
		return nil, append(diags, wrongType(expr, `a text, or texts per language like { en = "your refund", zh = "退款" }`, nil)...)
	}
	return out, diags
}
