package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()

	get := func(t *testing.T, method, path string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(body)
	}

	// The pages link their assets with a content hash.
	_, index := get(t, http.MethodGet, "/")
	chatJS := regexp.MustCompile(`/static/chat\.js\?v=[0-9a-f]{12}`).FindString(index)
	if chatJS == "" {
		t.Fatalf("index.html does not link a versioned chat.js:\n%s", index)
	}

	type result struct {
		Status       int
		ContentType  string
		CacheControl string
		Contains     bool
	}
	tests := []struct {
		name, method, path string
		contains           string
		want               result
	}{
		{"chat page", "GET", "/", `<textarea id="message"`, result{200, "text/html; charset=utf-8", "no-cache", true}},
		{"console page", "GET", "/console", `id="api-key"`, result{200, "text/html; charset=utf-8", "no-cache", true}},
		{"console page, trailing slash", "GET", "/console/", `id="api-key"`, result{200, "text/html; charset=utf-8", "no-cache", true}},
		{"head", "HEAD", "/", "", result{200, "text/html; charset=utf-8", "no-cache", true}},
		{"versioned script", "GET", chatJS, "sendMessage", result{200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", true}},
		{"unversioned script", "GET", "/static/chat.js", "sendMessage", result{200, "text/javascript; charset=utf-8", "public, max-age=300", true}},
		{"stylesheet", "GET", "/static/console.css", ".transcript", result{200, "text/css; charset=utf-8", "public, max-age=300", true}},
		{"icon", "GET", "/static/icon.svg", "<svg", result{200, "image/svg+xml", "public, max-age=300", true}},
		{"html is not an asset", "GET", "/static/index.html", "", result{404, "text/plain; charset=utf-8", "", true}},
		{"unknown", "GET", "/static/nope.js", "", result{404, "text/plain; charset=utf-8", "", true}},
		{"post", "POST", "/", "", result{405, "text/plain; charset=utf-8", "", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, tt.method, tt.path)
			got := result{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), strings.Contains(body, tt.contains)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tt.method, tt.path, diff)
			}
			if resp.StatusCode == http.StatusMethodNotAllowed {
				return
			}
			csp := resp.Header.Get("Content-Security-Policy")
			host := strings.TrimPrefix(srv.URL, "http://")
			for _, part := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self' ws://" + host + " wss://" + host, "frame-ancestors 'none'"} {
				if !strings.Contains(csp, part) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, part)
				}
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy = %q, want no-referrer", got)
			}
		})
	}
}

// TestNoInlineCode keeps the pages within the Content-Security-Policy: no
// inline scripts, styles or event handlers, and no HTML built from strings.
func TestNoInlineCode(t *testing.T) {
	entries, err := files.ReadDir("static")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := map[string][]*regexp.Regexp{
		".html": {regexp.MustCompile(`<script>|<script [^>]*>[^<]`), regexp.MustCompile(`<style`), regexp.MustCompile(` on[a-z]+=`), regexp.MustCompile(` style=`)},
		".js":   {regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function`)},
	}
	for _, e := range entries {
		name := e.Name()
		for ext, res := range forbidden {
			if !strings.HasSuffix(name, ext) {
				continue
			}
			raw, err := files.ReadFile("static/" + name)
			if err != nil {
				t.Fatal(err)
			}
			for _, re := range res {
				if loc := re.FindIndex(raw); loc != nil {
					t.Errorf("%s: %q is not allowed (CSP, XSS)", name, raw[loc[0]:loc[1]])
				}
			}
		}
	}
}
