package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// decodeContent decodes body against schema, adding to HCL's "Unsupported
// argument" and "Unsupported block type" errors what the block does take when
// HCL has no "Did you mean" to offer: on_yes in a confirm block, by analogy
// with on_no, should hear that confirm takes prompt, when and on_no.
func decodeContent(body hcl.Body, schema *hcl.BodySchema, what string) (*hcl.BodyContent, hcl.Diagnostics) {
	c, diags := body.Content(schema)
	sayWhatItTakes(diags, what, schemaNames(schema))
	return c, diags
}

// sayWhatItTakes adds to the unsupported-argument and unsupported-block errors
// in diags that what takes names.
func sayWhatItTakes(diags hcl.Diagnostics, what, names string) {
	for _, d := range diags {
		if (d.Summary == "Unsupported argument" || d.Summary == "Unsupported block type") && !strings.Contains(d.Detail, "Did you mean") {
			d.Detail += fmt.Sprintf(" %s takes %s.", what, names)
		}
	}
}

// decodeActionsContent decodes a block of actions only (on_exhausted, on_no, a
// call's on_not_found or on_error, an approval's on_approve...), saying what
// such a block takes when it holds something else: resolves = false in an
// on_rejected block belongs to the rule or outcome.
func decodeActionsContent(block *hcl.Block, schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, diags := block.Body.Content(schema)
	names := schemaNames(schema)
	if block.Type == "on_exhausted" {
		names = "offer_continue, " + names
	}
	sayWhatItTakes(diags, "An "+block.Type+" block", names)
	for _, d := range diags {
		if d.Summary != "Unsupported argument" {
			continue
		}
		for _, name := range []string{"resolves", "amount", "when"} {
			if strings.Contains(d.Detail, fmt.Sprintf("named %q", name)) {
				d.Detail += fmt.Sprintf(" %s is a setting of a rule or an outcome, not of a block of actions, which runs whenever what it handles happens.", name)
			}
		}
	}
	return c, diags
}

// schemaNames lists a schema's attributes, then its blocks, in their order.
// offer_continue is in every actions schema but belongs only in on_exhausted,
// which these hints do not cover.
func schemaNames(schema *hcl.BodySchema) string {
	var names []string
	for _, a := range schema.Attributes {
		if a.Name != "offer_continue" {
			names = append(names, a.Name)
		}
	}
	for _, b := range schema.Blocks {
		names = append(names, b.Type+" { }")
	}
	return joinAnd(names)
}

// hintResponseOnly adds, to the errors about value_buttons or a button
// written in a slot, where they go: buttons are part of what the bot says,
// so they belong to the response the slot's prompt names.
func hintResponseOnly(body hcl.Body, diags hcl.Diagnostics) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return
	}
	at := map[hcl.Pos]bool{}
	if a, ok := sb.Attributes["value_buttons"]; ok {
		at[a.NameRange.Start] = true
	}
	for _, b := range sb.Blocks {
		if b.Type == "button" {
			at[b.TypeRange.Start] = true
		}
	}
	for _, d := range diags {
		if d.Subject != nil && at[d.Subject.Start] && (d.Summary == "Unsupported argument" || d.Summary == "Unsupported block type") {
			d.Detail += " Buttons belong to the response that asks the question: write prompt = response.NAME, and give that response the buttons (value_buttons = ENTITY, or button blocks)."
		}
	}
}
