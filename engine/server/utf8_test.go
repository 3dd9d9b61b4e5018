package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A JSON body is UTF-8: bytes that are not are refused with 400 naming the
// field, as webhooks' are, instead of reaching the bot and the transcript as
// U+FFFD.
func TestBodyMustBeUTF8(t *testing.T) {
	env := newInbox(t)
	id, token := env.conversation()
	type answer struct {
		Status  int
		Message string
	}
	for _, tc := range []struct {
		name, path, cred, body string
		want                   answer
	}{
		{"message text", "/v1/conversations/" + id + "/messages", token, "{\"text\":\"caf\xe9\"}",
			answer{400, "invalid input: text is not valid UTF-8; send the body as UTF-8"}},
		{"a field's name", "/v1/conversations/" + id + "/messages", token, "{\"t\xffxt\":\"hi\"}",
			answer{400, "invalid input: t\uFFFDxt (its name) is not valid UTF-8; send the body as UTF-8"}},
		{"nested field", "/v1/tickets", inboxAdmin, "{\"subject\":\"s\",\"customer\":{\"email\":\"a@b.c\",\"phone\":\"\xc3\"}}",
			answer{400, "invalid input: customer.phone is not valid UTF-8; send the body as UTF-8"}},
		{"array element", "/v1/admin/agents", inboxAdmin, "{\"id\":\"x\",\"skills\":[\"ok\",\"b\xe4d\"]}",
			answer{400, "invalid input: skills[1] is not valid UTF-8; send the body as UTF-8"}},
		{"outside any string", "/v1/conversations/" + id + "/messages", token, "{\"text\":\"hi\"}\xff",
			answer{400, "invalid input: the body is not valid UTF-8; send the body as UTF-8"}},
		{"valid UTF-8 passes", "/v1/conversations/" + id + "/messages", token, `{"text":"café 你好"}`,
			answer{200, ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest("POST", env.url+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tc.cred)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			var out struct {
				Error struct{ Message string }
			}
			_ = json.Unmarshal(raw, &out)
			if diff := cmp.Diff(tc.want, answer{resp.StatusCode, out.Error.Message}); diff != "" {
				t.Errorf("answer (-want +got):\n%s\n%s", diff, raw)
			}
		})
	}
	for _, line := range env.items(id, token) {
		if strings.ContainsRune(line, '\uFFFD') {
			t.Errorf("transcript holds U+FFFD: %q", line)
		}
	}
}
