package server

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/store/memstore"
)

// The OpenAPI description lists exactly the API's routes: every route the
// server has is described, and everything described exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &spec); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var described []string
	for path, ops := range spec.Paths {
		for method := range ops {
			described = append(described, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(described)

	bot, diags := engine.Load("../../dialog/testdata/inbox", nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	e, err := engine.New(context.Background(), bot, engine.Options{Store: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s := NewServer(e, ServerConfig{RouteEvery: -1})
	param := regexp.MustCompile(`:([a-z_]+)`)
	seen := map[string]bool{}
	var served []string
	for _, r := range s.Echo().Routes() {
		// The web pages and their assets are not API.
		if r.Path == "/" || strings.HasPrefix(r.Path, "/console") || strings.HasPrefix(r.Path, "/static") || r.Method == "HEAD" || r.Method == echo.RouteNotFound {
			continue
		}
		key := r.Method + " " + param.ReplaceAllString(r.Path, "{$1}")
		if !seen[key] {
			seen[key] = true
			served = append(served, key)
		}
	}
	sort.Strings(served)
	if diff := cmp.Diff(described, served); diff != "" {
		t.Errorf("openapi.json paths (-described +served):\n%s\nUpdate engine/server/openapi.json to match.", diff)
	}
}
