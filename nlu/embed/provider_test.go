package embed

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeService speaks just enough of the OpenAI and Ollama embedding APIs:
// real HTTP against a stand-in for the paid service. Each text embeds to a
// vector of its length and its word count, so answers are easy to check.
type fakeService struct {
	mu       sync.Mutex
	requests []fakeRequest
	status   int // when set, every request fails with it
}

type fakeRequest struct {
	Path, Auth, Model string
	Dimensions        int
	Inputs            []string
}

func (f *fakeService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Model      string          `json:"model"`
		Input      json.RawMessage `json:"input"`
		Dimensions int             `json:"dimensions"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var inputs []string
	if err := json.Unmarshal(body.Input, &inputs); err != nil {
		var one string
		if err := json.Unmarshal(body.Input, &one); err != nil {
			http.Error(w, "input must be a string or a list of strings", http.StatusBadRequest)
			return
		}
		inputs = []string{one}
	}
	f.mu.Lock()
	f.requests = append(f.requests, fakeRequest{r.URL.Path, r.Header.Get("Authorization"), body.Model, body.Dimensions, inputs})
	status := f.status
	f.mu.Unlock()
	if status != 0 {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": "quota exceeded"}})
		return
	}
	vecs := make([][]float32, len(inputs))
	for i, in := range inputs {
		vecs[i] = []float32{float32(len(in)), float32(len(strings.Fields(in)))}
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/v1/embeddings":
		data := make([]map[string]any, len(vecs))
		for i, v := range vecs {
			data[i] = map[string]any{"object": "embedding", "embedding": v, "index": i}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": body.Model})
	case "/api/embed":
		_ = json.NewEncoder(w).Encode(map[string]any{"model": body.Model, "embeddings": vecs})
	default:
		http.NotFound(w, r)
	}
}

func unit(x, y float32) []float32 {
	n := float32(math.Sqrt(float64(x*x + y*y)))
	return []float32{x / n, y / n}
}

func approx() cmp.Option {
	return cmp.Comparer(func(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-5 })
}

func TestProvidersAgainstFakeService(t *testing.T) {
	fake := &fakeService{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Setenv("TEST_EMBED_KEY", "sk-test")

	tests := []struct {
		name     string
		cfg      Config
		wantReqs []fakeRequest
		wantName string
	}{
		{
			name: "openai",
			cfg:  Config{Provider: "openai", URL: srv.URL + "/v1", Model: "text-embedding-3-small", APIKeyEnv: "TEST_EMBED_KEY", Dimensions: 2},
			wantReqs: []fakeRequest{
				{"/v1/embeddings", "Bearer sk-test", "text-embedding-3-small", 2, []string{"hello world", "退货"}},
				{"/v1/embeddings", "Bearer sk-test", "text-embedding-3-small", 2, []string{"one two three"}},
			},
			wantName: "openai-text-embedding-3-small-2d@" + strings.TrimPrefix(srv.URL, "http://"),
		},
		{
			name: "ollama",
			cfg:  Config{Provider: "ollama", URL: srv.URL, Model: "nomic-embed-text"},
			wantReqs: []fakeRequest{
				{"/api/embed", "", "nomic-embed-text", 0, []string{"hello world"}},
				{"/api/embed", "", "nomic-embed-text", 0, []string{"退货"}},
				{"/api/embed", "", "nomic-embed-text", 0, []string{"one two three"}},
			},
			wantName: "ollama-nomic-embed-text-0d@" + strings.TrimPrefix(srv.URL, "http://"),
		},
		{
			name: "ollama behind a proxy with a key",
			cfg:  Config{Provider: "ollama", URL: srv.URL, Model: "bge-m3", APIKeyEnv: "TEST_EMBED_KEY"},
			wantReqs: []fakeRequest{
				{"/api/embed", "Bearer sk-test", "bge-m3", 0, []string{"hello world"}},
				{"/api/embed", "Bearer sk-test", "bge-m3", 0, []string{"退货"}},
				{"/api/embed", "Bearer sk-test", "bge-m3", 0, []string{"one two three"}},
			},
			wantName: "ollama-bge-m3-0d@" + strings.TrimPrefix(srv.URL, "http://"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.mu.Lock()
			fake.requests = nil
			fake.mu.Unlock()
			ctx := context.Background()
			emb, err := New(ctx, tt.cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			fake.mu.Lock()
			if len(fake.requests) != 0 {
				t.Errorf("New made %d requests, want none", len(fake.requests))
			}
			fake.mu.Unlock()
			docs, err := emb.EmbedDocuments(ctx, []string{"hello world", "退货"})
			if err != nil {
				t.Fatalf("EmbedDocuments: %v", err)
			}
			if diff := cmp.Diff([][]float32{unit(11, 2), unit(6, 1)}, docs, approx()); diff != "" {
				t.Errorf("EmbedDocuments (-want +got):\n%s", diff)
			}
			q, err := emb.EmbedQuery(ctx, "one two three")
			if err != nil {
				t.Fatalf("EmbedQuery: %v", err)
			}
			if diff := cmp.Diff(unit(13, 3), q, approx()); diff != "" {
				t.Errorf("EmbedQuery (-want +got):\n%s", diff)
			}
			if got, err := emb.EmbedDocuments(ctx, nil); err != nil || len(got) != 0 {
				t.Errorf("EmbedDocuments(nil) = %v, %v; want no vectors and no request", got, err)
			}
			fake.mu.Lock()
			defer fake.mu.Unlock()
			if diff := cmp.Diff(tt.wantReqs, fake.requests); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if got := Name(emb); got != tt.wantName {
				t.Errorf("Name = %q, want %q", got, tt.wantName)
			}
		})
	}
}

func TestProviderErrors(t *testing.T) {
	fake := &fakeService{status: http.StatusTooManyRequests}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Setenv("TEST_EMBED_KEY", "sk-test")
	ctx := context.Background()

	for _, cfg := range []Config{
		{Provider: "openai", URL: srv.URL + "/v1", APIKeyEnv: "TEST_EMBED_KEY"},
		{Provider: "ollama", URL: srv.URL},
	} {
		emb, err := New(ctx, cfg)
		if err != nil {
			t.Fatalf("New(%+v): %v", cfg, err)
		}
		if _, err := emb.EmbedQuery(ctx, "hello"); err == nil {
			t.Errorf("%s: EmbedQuery against a failing service: no error", cfg.Provider)
		}
		if _, err := emb.EmbedDocuments(ctx, []string{"hello"}); err == nil {
			t.Errorf("%s: EmbedDocuments against a failing service: no error", cfg.Provider)
		}
	}

	// A service answering vectors of the wrong size is caught.
	fake.status = 0
	emb, err := New(ctx, Config{Provider: "ollama", URL: srv.URL, Dimensions: 768})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := emb.EmbedQuery(ctx, "hello"); err == nil || !strings.Contains(err.Error(), "want 768") {
		t.Errorf("EmbedQuery with wrong dimensions: err = %v, want one naming 768", err)
	}
}

func TestNewConfigErrors(t *testing.T) {
	t.Setenv("TEST_EMPTY_KEY", "")
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"unknown provider", Config{Provider: "cohere"}, `unknown provider "cohere"`},
		{"missing default key", Config{Provider: "openai", APIKeyEnv: "TEST_EMPTY_KEY"}, "TEST_EMPTY_KEY is not set"},
		{"missing ollama key", Config{Provider: "ollama", APIKeyEnv: "TEST_EMPTY_KEY"}, "TEST_EMPTY_KEY is not set"},
		{"bad url", Config{Provider: "ollama", URL: "://nope"}, "bad url"},
		{"url without scheme", Config{Provider: "ollama", URL: "localhost:11434"}, "must be http:// or https://"},
		{"negative dimensions", Config{Dimensions: -1}, "must not be negative"},
		{"builtin with a model", Config{Provider: "builtin", Model: "x"}, "apply only to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New(%+v) error = %v, want one containing %q", tt.cfg, err, tt.wantErr)
			}
		})
	}
}

func TestNewBuiltinDefault(t *testing.T) {
	for _, cfg := range []Config{{}, {Provider: "builtin", Dimensions: 64}, {Provider: " Builtin "}} {
		emb, err := New(context.Background(), cfg)
		if err != nil {
			t.Fatalf("New(%+v): %v", cfg, err)
		}
		b, ok := emb.(*Builtin)
		if !ok {
			t.Fatalf("New(%+v) = %T, want *Builtin", cfg, emb)
		}
		want := cfg.Dimensions
		if want == 0 {
			want = DefaultDimensions
		}
		if b.Dimensions() != want {
			t.Errorf("Dimensions = %d, want %d", b.Dimensions(), want)
		}
	}
}
