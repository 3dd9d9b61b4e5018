package backend

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTableAPI(t *testing.T) {
	srv := httptest.NewServer(New())
	defer srv.Close()
	get := func(path string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body
	}
	count := func(body map[string]any) int { return len(body["result"].([]any)) }

	if status, body := get("/api/now/table/sys_user?sysparm_query=email=abel.tuter@example.com"); status != 200 || count(body) != 1 {
		t.Errorf("known user: %d %v", status, body)
	}
	if status, body := get("/api/now/table/sys_user?sysparm_query=email=nobody@example.com"); status != 200 || count(body) != 0 {
		t.Errorf("unknown user: %d %v", status, body)
	}
	if status, _ := get("/api/now/table/sys_user?sysparm_query=name=x"); status != 400 {
		t.Errorf("a query by name: %d, want 400", status)
	}

	resp, err := http.Post(srv.URL+"/api/now/table/incident", "application/json",
		strings.NewReader(`{"short_description":"VPN drops","description":"every hour","urgency":1,"caller_id":"a8f98bb0eb32010045e1a5115206fe3a"}`))
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ Result Incident }
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || created.Result.Number != "INC0010001" || created.Result.State != "New" {
		t.Errorf("create: %d %+v", resp.StatusCode, created.Result)
	}

	_, body := get("/api/now/table/incident?sysparm_query=caller_id.email=abel.tuter@example.com")
	var numbers []string
	for _, in := range body["result"].([]any) {
		numbers = append(numbers, in.(map[string]any)["number"].(string))
	}
	if diff := cmp.Diff([]string{"INC0010001"}, numbers); diff != "" {
		t.Errorf("incidents of the caller (-want +got):\n%s", diff)
	}

	resp, err = http.Post(srv.URL+"/api/now/table/incident", "application/json", strings.NewReader(`{"short_description":"x","caller_id":"nobody"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an incident for an unknown caller: %d, want 400", resp.StatusCode)
	}
}
