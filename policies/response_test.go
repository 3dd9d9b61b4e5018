package policies

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestBareNameHint: the message for a value_buttons written as a reference or
// a string shows the writer's own entity written bare, not an example's.
func TestBareNameHint(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`entity.credit_reason`, "credit_reason"},
		{`"credit_reason"`, "credit_reason"},
		{`"two words"`, "refund_reason"},
		{`[1, 2]`, "refund_reason"},
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(tc.src), "x.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got := bareNameHint(expr, "refund_reason"); got != tc.want {
			t.Errorf("bareNameHint(%s) = %q, want %q", tc.src, got, tc.want)
		}
	}
}
