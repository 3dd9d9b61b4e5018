package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

// An exported event keeps the bot's own names (a call named "update") and
// masks what a connector was given or gave back field by field, and other
// text by pattern.
func TestMaskEvent(t *testing.T) {
	in := `{"type":"call_requested","effect":{"call":{"name":"update","connector":"crm","operation":"update",` +
		`"input":{"name":"Ann Lee","email":"ann@example.com","order_id":"AB123456"}}},` +
		`"message":{"text":"my email is ann@example.com"}}`
	got := map[string]any{}
	if err := json.Unmarshal(maskEvent(policies.DefaultMasker, json.RawMessage(in)), &got); err != nil {
		t.Fatal(err)
	}
	call := got["effect"].(map[string]any)["call"].(map[string]any)
	input := call["input"].(map[string]any)
	want := map[string]string{
		"call name":    "update",
		"order id":     "AB123456",
		"input name":   policies.MaskPII("Ann Lee"),
		"input email":  policies.MaskPII("ann@example.com"),
		"message text": policies.DefaultMasker.Text("my email is ann@example.com"),
	}
	gotFields := map[string]string{
		"call name":    call["name"].(string),
		"order id":     input["order_id"].(string),
		"input name":   input["name"].(string),
		"input email":  input["email"].(string),
		"message text": got["message"].(map[string]any)["text"].(string),
	}
	if diff := cmp.Diff(want, gotFields); diff != "" {
		t.Errorf("masked event (-want +got):\n%s", diff)
	}
	if gotFields["message text"] == "my email is ann@example.com" {
		t.Error("the message's email was not masked")
	}
}
