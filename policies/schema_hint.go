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
	for _, d := range diags {
		if (d.Summary == "Unsupported argument" || d.Summary == "Unsupported block type") && !strings.Contains(d.Detail, "Did you mean") {
			d.Detail += fmt.Sprintf(" %s takes %s.", what, schemaNames(schema))
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
