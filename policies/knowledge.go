package policies

import (
	"fmt"
	"math"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var knowledgeSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "sources"},
		{Name: "threshold"},
		{Name: "top_k"},
		{Name: "reply"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "embedder"},
		{Type: "generate"},
	},
}

var providerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "provider"},
		{Name: "model"},
		{Name: "url"},
		{Name: "api_key_env"},
		{Name: "dimensions"},
	},
}

// Defaults for the knowledge base, chosen on the shop's retrieval set with the
// built-in embedder (see BENCHMARKS.md).
const (
	DefaultKnowledgeThreshold = 0.10
	DefaultKnowledgeTopK      = 3
	DefaultEmbedderDims       = 1024
)

func (d *decoder) decodeKnowledgeBlock(bot *Bot, block *hcl.Block) hcl.Diagnostics {
	if bot.Knowledge != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Duplicate knowledge block",
			Detail:   fmt.Sprintf("A knowledge block is already declared at %s; a bot has at most one.", bot.Knowledge.Range.String()),
			Subject:  block.DefRange.Ptr(),
		}}
	}
	k, diags := decodeKnowledge(block)
	if k != nil {
		bot.Knowledge = k
	}
	return diags
}

// decodeKnowledge reads where the knowledge base comes from and how it answers.
func decodeKnowledge(block *hcl.Block) (*Knowledge, hcl.Diagnostics) {
	k := &Knowledge{
		Threshold: DefaultKnowledgeThreshold,
		TopK:      DefaultKnowledgeTopK,
		Embedder:  EmbedderConfig{Provider: "builtin", Dimensions: DefaultEmbedderDims, Range: block.DefRange},
		Range:     block.DefRange,
	}
	content, diags := block.Body.Content(knowledgeSchema)
	var more hcl.Diagnostics
	k.Sources, _, more = attrStringList(content.Attributes, "sources")
	diags = append(diags, more...)
	if attr, ok := content.Attributes["sources"]; ok && !more.HasErrors() {
		diags = append(diags, checkSources(attr, k.Sources)...)
		elems, listDiags := hcl.ExprList(attr.Expr)
		for i := range k.Sources {
			rng := attr.Expr.Range()
			if !listDiags.HasErrors() && i < len(elems) {
				rng = elems[i].Range()
			}
			k.SourceRanges = append(k.SourceRanges, rng)
		}
	}
	diags = append(diags, numberIn(content.Attributes, "threshold", 0, 1, &k.Threshold)...)
	topK := float64(k.TopK)
	diags = append(diags, numberIn(content.Attributes, "top_k", 1, 50, &topK)...)
	k.TopK = int(topK)
	if attr, ok := content.Attributes["reply"]; ok {
		k.Reply, more = decodeMessage(attr.Expr)
		diags = append(diags, more...)
	}
	for _, b := range content.Blocks {
		switch b.Type {
		case "embedder":
			cfg, more := decodeProvider(b, []string{"builtin", "openai", "ollama"})
			diags = append(diags, more...)
			k.Embedder = EmbedderConfig{Provider: cfg.Provider, Model: cfg.Model, URL: cfg.URL, APIKeyEnv: cfg.APIKeyEnv, Dimensions: cfg.Dimensions, Range: b.DefRange}
			if k.Embedder.Provider == "" {
				k.Embedder.Provider = "builtin"
			}
			if k.Embedder.Dimensions == 0 && k.Embedder.Provider == "builtin" {
				k.Embedder.Dimensions = DefaultEmbedderDims
			}
		case "generate":
			cfg, more := decodeProvider(b, []string{"openai", "ollama"})
			diags = append(diags, more...)
			if cfg.Provider == "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Missing provider",
					Detail:   `A generate block names the LLM that writes answers: provider = "openai" or "ollama".`,
					Subject:  b.DefRange.Ptr(),
				})
			}
			k.Generate = &GenerateConfig{Provider: cfg.Provider, Model: cfg.Model, URL: cfg.URL, APIKeyEnv: cfg.APIKeyEnv, Range: b.DefRange}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return k, diags
}

// checkSources catches source globs the knowledge loader could never read, so
// validate reports them before an ingest does. Whether a glob matches any file
// is for the ingest to say: it depends on the files present.
func checkSources(attr *hcl.Attribute, globs []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	elems, listDiags := hcl.ExprList(attr.Expr)
	for i, glob := range globs {
		problem := sourceGlobProblem(glob)
		if problem == "" {
			continue
		}
		rng := attr.Expr.Range()
		if !listDiags.HasErrors() && i < len(elems) {
			rng = elems[i].Range()
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid knowledge source",
			Detail:   fmt.Sprintf("%q %s.", glob, problem),
			Subject:  rng.Ptr(),
		})
	}
	return diags
}

// sourceGlobProblem says what is wrong with a knowledge source glob, or "".
// The rules are the knowledge loader's.
func sourceGlobProblem(glob string) string {
	trimmed := strings.TrimSpace(glob)
	if trimmed == "" {
		return `is empty; a source is a file pattern relative to the bot folder, like "knowledge/*.md"`
	}
	g := path.Clean(filepath.ToSlash(trimmed))
	if g == "." {
		return `names the bot folder itself; a source is a file pattern, like "knowledge/*.md"`
	}
	if path.IsAbs(g) || filepath.IsAbs(trimmed) || g == ".." || strings.HasPrefix(g, "../") {
		return "leaves the bot folder; sources are relative to it and stay inside it"
	}
	for _, seg := range strings.Split(g, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return "is not a valid pattern (" + err.Error() + ")"
		}
	}
	return ""
}

type providerConfig struct {
	Provider, Model, URL, APIKeyEnv string
	Dimensions                      int
}

func decodeProvider(block *hcl.Block, providers []string) (providerConfig, hcl.Diagnostics) {
	var cfg providerConfig
	content, diags := block.Body.Content(providerSchema)
	var more hcl.Diagnostics
	cfg.Provider, more = attrString(content.Attributes, "provider")
	diags = append(diags, more...)
	if attr, ok := content.Attributes["provider"]; ok && cfg.Provider != "" {
		diags = append(diags, oneOf(attr, cfg.Provider, providers, "provider")...)
	}
	cfg.Model, more = attrString(content.Attributes, "model")
	diags = append(diags, more...)
	cfg.URL, more = attrString(content.Attributes, "url")
	diags = append(diags, more...)
	cfg.APIKeyEnv, more = attrString(content.Attributes, "api_key_env")
	diags = append(diags, more...)
	var dims float64
	diags = append(diags, numberIn(content.Attributes, "dimensions", 1, 16000, &dims)...)
	cfg.Dimensions = int(dims)
	if (cfg.Provider == "openai" || cfg.Provider == "ollama") && cfg.Model == "" {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing model",
			Detail:   fmt.Sprintf("The %s provider needs a model name, e.g. model = %q.", cfg.Provider, map[string]string{"openai": "text-embedding-3-small", "ollama": "nomic-embed-text"}[cfg.Provider]),
			Subject:  block.DefRange.Ptr(),
		})
	}
	return cfg, diags
}

// numberIn sets *dst to the attribute name when it is given and lies within
// [lo, hi]; whole-number bounds mean the value must be a whole number too.
func numberIn(attrs hcl.Attributes, name string, lo, hi float64, dst *float64) hcl.Diagnostics {
	attr, ok := attrs[name]
	if !ok {
		return nil
	}
	whole := lo == math.Trunc(lo) && hi == math.Trunc(hi) && hi > 1
	if whole {
		v, _, diags := attrInt(attrs, name)
		if diags.HasErrors() {
			return diags
		}
		*dst = float64(v)
	} else {
		v, _, diags := attrNumber(attrs, name)
		if diags.HasErrors() {
			return diags
		}
		*dst = v
	}
	if *dst < lo || *dst > hi {
		want := fmt.Sprintf("between %g and %g", lo, hi)
		if whole {
			want = fmt.Sprintf("a whole number from %g to %g", lo, hi)
		}
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Value out of range",
			Detail:   fmt.Sprintf("%s must be %s.", name, want),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return nil
}
