package server

import (
	"encoding/json"
	"fmt"
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
			status, message := postRaw(t, env, tc.path, tc.cred, tc.body)
			if diff := cmp.Diff(tc.want, answer{status, message}); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
	for _, line := range env.items(id, token) {
		if strings.ContainsRune(line, '\uFFFD') {
			t.Errorf("transcript holds U+FFFD: %q", line)
		}
	}
}

// A JSON value of the wrong type is named by its field and JSON type, not by
// the Go struct it was to fill.
func TestBodyOfWrongType(t *testing.T) {
	env := newInbox(t)
	id, token := env.conversation()
	for _, tc := range []struct {
		name, path, cred, body, want string
	}{
		{"a number for text", "/v1/conversations/" + id + "/messages", token, `{"text":5}`,
			"invalid input: text must be a string, not a number"},
		{"a list for the body", "/v1/tickets", inboxAdmin, `[1,2]`,
			"invalid input: request body must be a JSON object, not a list"},
		{"a nested field", "/v1/tickets", inboxAdmin, `{"subject":"s","customer":{"email":true}}`,
			"invalid input: customer.email must be a string, not true or false"},
		{"a string for a number", "/v1/admin/agents", inboxAdmin, `{"id":"x","name":"X","max_chats":"3"}`,
			"invalid input: max_chats must be a whole number, not a string"},
		{"a fraction for a whole number", "/v1/admin/agents", inboxAdmin, `{"id":"x","name":"X","max_chats":1.5}`,
			"invalid input: max_chats must be a whole number, not a number (1.5)"},
		{"a string for a list", "/v1/admin/agents", inboxAdmin, `{"id":"x","name":"X","skills":"refunds"}`,
			"invalid input: skills must be a list, not a string"},
		{"an object for a string in a list", "/v1/admin/agents", inboxAdmin, `{"id":"x","name":"X","skills":[{}]}`,
			"invalid input: skills must be a string, not an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, message := postRaw(t, env, tc.path, tc.cred, tc.body)
			if diff := cmp.Diff(fmt.Sprint(400, " ", tc.want), fmt.Sprint(status, " ", message)); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// postRaw posts body as JSON, byte for byte, and returns the status and the
// error message, if any.
func postRaw(t *testing.T, env *inboxEnv, path, cred, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", env.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+cred)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Error struct{ Message string }
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.Error.Message
}
