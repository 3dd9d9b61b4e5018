package policies

import (
	"regexp"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var (
	reDidYouMean       = regexp.MustCompile(`Did you mean "([^"]+)"\?`)
	reRequiredArgument = regexp.MustCompile(`^The argument "([^"]+)" is required`)
)

// dropMissingMisspelt keeps a misspelt required argument to one error. HCL
// reports `intents = [...]` in an answer twice: as an unsupported argument
// that suggests "intent", and as "intent" missing from the block. The first
// points at the line to fix; the second only follows from it.
func dropMissingMisspelt(diags hcl.Diagnostics, files map[string]*hcl.File) hcl.Diagnostics {
	suggested := map[argumentAt]string{} // an unsupported argument's name -> the name it suggests
	for _, d := range diags {
		if d.Summary != "Unsupported argument" || d.Subject == nil {
			continue
		}
		if m := reDidYouMean.FindStringSubmatch(d.Detail); m != nil {
			suggested[argumentAt{d.Subject.Filename, d.Subject.Start.Byte}] = m[1]
		}
	}
	if len(suggested) == 0 {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		if d.Summary == "Missing required argument" && d.Subject != nil {
			if m := reRequiredArgument.FindStringSubmatch(d.Detail); m != nil {
				if body := bodyAt(files[d.Subject.Filename], d.Subject.Start); body != nil && misspeltIn(d.Subject.Filename, body, m[1], suggested) {
					continue
				}
			}
		}
		out = append(out, d)
	}
	return out
}

// argumentAt is where an argument's name starts: a position alone is in
// every file.
type argumentAt struct {
	file string
	byte int
}

// misspeltIn says whether body, in file, holds an argument that suggests name.
func misspeltIn(file string, body *hclsyntax.Body, name string, suggested map[argumentAt]string) bool {
	for _, attr := range body.Attributes {
		if suggested[argumentAt{file, attr.NameRange.Start.Byte}] == name {
			return true
		}
	}
	return false
}

// bodyAt finds the block body that starts (at its opening brace) at pos,
// where HCL reports what the body lacks.
func bodyAt(file *hcl.File, pos hcl.Pos) *hclsyntax.Body {
	if file == nil {
		return nil
	}
	root, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var find func(b *hclsyntax.Body) *hclsyntax.Body
	find = func(b *hclsyntax.Body) *hclsyntax.Body {
		for _, block := range b.Blocks {
			if block.Body.SrcRange.Start.Byte == pos.Byte {
				return block.Body
			}
			if block.Body.SrcRange.Start.Byte < pos.Byte && pos.Byte < block.Body.SrcRange.End.Byte {
				return find(block.Body)
			}
		}
		return nil
	}
	return find(root)
}
