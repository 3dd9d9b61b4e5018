package embed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tmc/langchaingo/embeddings"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"
)

// Config chooses and configures an embedder.
type Config struct {
	// Provider is "builtin" (the default when empty), "openai" or "ollama".
	// "openai" also covers OpenAI-compatible services reached through URL.
	Provider string
	// URL of the service. openai: the API base, default https://api.openai.com/v1;
	// ollama: the server, default http://127.0.0.1:11434.
	URL string
	// Model is the embedding model; openai defaults to text-embedding-3-small,
	// ollama to nomic-embed-text.
	Model string
	// APIKeyEnv names the environment variable holding the API key, so the key
	// itself never sits in a bot's files. openai defaults to OPENAI_API_KEY;
	// ollama sends a key only when this is set.
	APIKeyEnv string
	// Dimensions of the vectors. builtin: the vector size (default DefaultDimensions, 1024).
	// openai: asks the model for this size. Every provider checks its answers
	// against it when it is set.
	Dimensions int
}

// Defaults used when Config leaves a field empty.
const (
	DefaultOpenAIURL     = "https://api.openai.com/v1"
	DefaultOpenAIModel   = "text-embedding-3-small"
	DefaultOpenAIKeyEnv  = "OPENAI_API_KEY"
	DefaultOllamaURL     = "http://127.0.0.1:11434"
	DefaultOllamaModel   = "nomic-embed-text"
	providerHTTPTimeout  = 2 * time.Minute
	maxProviderBatchSize = 256
)

// Named is implemented by every embedder this package returns. A store keeps
// the name next to its vectors and re-indexes when the name changes.
type Named interface {
	Name() string
}

// Name returns the identifier of emb, or its Go type when it has none.
func Name(emb embeddings.Embedder) string {
	if n, ok := emb.(Named); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", emb)
}

// New returns the embedder cfg describes. It makes no network call: a wrong
// URL or key shows up on the first embedding request.
func New(ctx context.Context, cfg Config) (embeddings.Embedder, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("new embedder: %w", err)
	}
	if cfg.Dimensions < 0 {
		return nil, fmt.Errorf("embedder %q: dimensions must not be negative, got %d", cfg.Provider, cfg.Dimensions)
	}
	switch strings.ToLower(strings.TrimSpace(cfg.Provider)) {
	case "", "builtin":
		if cfg.URL != "" || cfg.Model != "" || cfg.APIKeyEnv != "" {
			return nil, errors.New(`embedder "builtin": url, model and api_key_env apply only to "openai" and "ollama"`)
		}
		return NewBuiltin(BuiltinOptions{Dimensions: cfg.Dimensions}), nil
	case "openai":
		return newOpenAI(cfg)
	case "ollama":
		return newOllama(cfg)
	default:
		return nil, fmt.Errorf("embedder: unknown provider %q (want builtin, openai or ollama)", cfg.Provider)
	}
}

func newOpenAI(cfg Config) (embeddings.Embedder, error) {
	base, err := serviceURL("openai", cfg.URL, DefaultOpenAIURL)
	if err != nil {
		return nil, err
	}
	keyEnv := cmpOr(cfg.APIKeyEnv, DefaultOpenAIKeyEnv)
	key := os.Getenv(keyEnv)
	if key == "" {
		return nil, fmt.Errorf("embedder \"openai\": environment variable %s is not set (it must hold the API key)", keyEnv)
	}
	model := cmpOr(cfg.Model, DefaultOpenAIModel)
	opts := []openai.Option{
		openai.WithBaseURL(strings.TrimRight(base, "/")),
		openai.WithToken(key),
		openai.WithEmbeddingModel(model),
		openai.WithHTTPClient(&http.Client{Timeout: providerHTTPTimeout}),
	}
	if cfg.Dimensions > 0 {
		opts = append(opts, openai.WithEmbeddingDimensions(cfg.Dimensions))
	}
	llm, err := openai.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("embedder \"openai\": %w", err)
	}
	inner, err := embeddings.NewEmbedder(llm, embeddings.WithBatchSize(maxProviderBatchSize))
	if err != nil {
		return nil, fmt.Errorf("embedder \"openai\": %w", err)
	}
	return &provider{inner: inner, name: fmt.Sprintf("openai-%s-%dd@%s", model, cfg.Dimensions, hostOf(base)), dims: cfg.Dimensions}, nil
}

func newOllama(cfg Config) (embeddings.Embedder, error) {
	base, err := serviceURL("ollama", cfg.URL, DefaultOllamaURL)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: providerHTTPTimeout}
	if cfg.APIKeyEnv != "" {
		key := os.Getenv(cfg.APIKeyEnv)
		if key == "" {
			return nil, fmt.Errorf("embedder \"ollama\": environment variable %s is not set (it must hold the API key)", cfg.APIKeyEnv)
		}
		// Ollama itself has no keys; proxies in front of it usually want a bearer token.
		client.Transport = bearerTransport{token: key, next: http.DefaultTransport}
	}
	model := cmpOr(cfg.Model, DefaultOllamaModel)
	llm, err := ollama.New(ollama.WithServerURL(base), ollama.WithModel(model), ollama.WithHTTPClient(client))
	if err != nil {
		return nil, fmt.Errorf("embedder \"ollama\": %w", err)
	}
	inner, err := embeddings.NewEmbedder(llm, embeddings.WithBatchSize(maxProviderBatchSize))
	if err != nil {
		return nil, fmt.Errorf("embedder \"ollama\": %w", err)
	}
	return &provider{inner: inner, name: fmt.Sprintf("ollama-%s-%dd@%s", model, cfg.Dimensions, hostOf(base)), dims: cfg.Dimensions}, nil
}

// serviceURL validates the URL up front: langchaingo's ollama option exits the
// process on a URL it cannot parse.
func serviceURL(provider, raw, def string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("embedder %q: bad url %q: %w", provider, raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("embedder %q: url %q must be http:// or https:// with a host", provider, raw)
	}
	return raw, nil
}

// hostOf keeps names free of credentials a URL may carry.
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type bearerTransport struct {
	token string
	next  http.RoundTripper
}

func (t bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(r)
}

// provider wraps a remote embedder so its answers meet this package's
// guarantees: one vector per text, all the same length, L2-normalized.
type provider struct {
	inner embeddings.Embedder
	name  string
	dims  int
}

func (p *provider) Name() string { return p.name }

func (p *provider) EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	vecs, err := p.inner.EmbedDocuments(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.name, err)
	}
	if len(vecs) != len(texts) {
		return nil, fmt.Errorf("%s: got %d vectors for %d texts", p.name, len(vecs), len(texts))
	}
	out := make([][]float32, len(vecs))
	for i, v := range vecs {
		if err := p.check(v, len(vecs[0])); err != nil {
			return nil, err
		}
		out[i] = slices.Clone(v)
		Normalize(out[i])
	}
	return out, nil
}

func (p *provider) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	v, err := p.inner.EmbedQuery(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.name, err)
	}
	if err := p.check(v, len(v)); err != nil {
		return nil, err
	}
	v = slices.Clone(v)
	Normalize(v)
	return v, nil
}

func (p *provider) check(v []float32, want int) error {
	if p.dims > 0 {
		want = p.dims
	}
	if len(v) == 0 {
		return fmt.Errorf("%s: empty vector", p.name)
	}
	if len(v) != want {
		return fmt.Errorf("%s: got a vector of %d dimensions, want %d", p.name, len(v), want)
	}
	return nil
}
