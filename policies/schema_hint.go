package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
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
