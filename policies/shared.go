package policies

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Shared definitions: a slot or call block at the top level of a bot is
// defined once and used by any dialog (or rule) that declares a slot or call
// of the same name. The using block's own settings replace the shared ones,
// argument by argument and block type by block type, the way Terraform's
// override files merge a block into the one of the same name.

// SharedDef is the top-level definition a dialog's slot or call takes its
// settings from.
type SharedDef struct {
	Kind  string // "slot" or "call"
	Name  string
	Range hcl.Range // the block's header
	Body  hcl.Range // the whole block, to tell which diagnostics arise inside it
}

func (s *SharedDef) String() string {
	return fmt.Sprintf("shared %s %q", s.Kind, s.Name)
}

type sharedBlock struct {
	block *hcl.Block
	def   *SharedDef
	used  bool
}

func isSharedBlock(b *hcl.Block) bool { return b.Type == "slot" || b.Type == "call" }

// indexShared records the shared slot and call definitions, checking their
// names and the arguments their bodies may hold. What their expressions and
// references mean is checked where each is used, since a shared call reads the
// slots of the dialog that uses it.
func (d *decoder) indexShared(blocks []*hcl.Block, decl declarations) hcl.Diagnostics {
	var diags hcl.Diagnostics
	d.shared = map[string]map[string]*sharedBlock{"slot": {}, "call": {}}
	for _, b := range blocks {
		if !isSharedBlock(b) {
			continue
		}
		diags = append(diags, checkName(b)...)
		if more := decl.add("shared "+b.Type, b.Labels[0], b.DefRange); more != nil {
			diags = append(diags, more...)
			continue
		}
		schema := slotSchema
		if b.Type == "call" {
			schema = callSchema
		}
		_, more := b.Body.Content(relaxed(schema))
		diags = append(diags, more...)
		def := &SharedDef{Kind: b.Type, Name: b.Labels[0], Range: b.DefRange, Body: blockRange(b)}
		d.shared[b.Type][b.Labels[0]] = &sharedBlock{block: b, def: def}
	}
	return diags
}

// blockRange is the whole of a block, header to closing brace.
func blockRange(b *hcl.Block) hcl.Range {
	if syn, ok := b.Body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(b.DefRange, syn.SrcRange)
	}
	return b.DefRange
}

// sharedBody is the body a slot or call block is decoded from: merged with the
// shared definition of the same name, when there is one.
func (d *decoder) sharedBody(block *hcl.Block) (hcl.Body, *SharedDef) {
	sb := d.shared[block.Type][block.Labels[0]]
	if sb == nil {
		return block.Body, nil
	}
	sb.used = true
	return overrideBody{base: sb.block.Body, over: block.Body}, sb.def
}

// unusedShared warns about shared definitions no dialog or rule uses.
func (d *decoder) unusedShared() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, kind := range []string{"slot", "call"} {
		for _, name := range sortedKeys(d.shared[kind]) {
			sb := d.shared[kind][name]
			if sb.used {
				continue
			}
			where := "dialog"
			if kind == "call" {
				where = "dialog, outcome or rule"
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  fmt.Sprintf("Unused shared %s", kind),
				Detail:   fmt.Sprintf("No %s uses the shared %s %q. Use it with %s %q {} in a dialog, or remove it.", where, kind, name, kind, name),
				Subject:  sb.block.DefRange.Ptr(),
			})
		}
	}
	return diags
}

// inside reports whether rng lies within outer.
func inside(rng *hcl.Range, outer hcl.Range) bool {
	return rng != nil && rng.Filename == outer.Filename && rng.Start.Byte >= outer.Start.Byte && rng.End.Byte <= outer.End.Byte
}

// annotateUse adds to each diagnostic about a shared definition where it is
// used, so the message points at both: the snippet shows the line of the
// definition, the text names the use.
func annotateUse(diags hcl.Diagnostics, def *SharedDef, use hcl.Range, where string) {
	if def == nil {
		return
	}
	for _, dg := range diags {
		if !inside(dg.Subject, def.Body) {
			continue
		}
		note := fmt.Sprintf("This is in the %s (%s), as used %s at %s.", def, def.Range.String(), where, use.String())
		if dg.Detail == "" {
			dg.Detail = note
		} else {
			dg.Detail += "\n\n" + note
		}
	}
}

// dedupeDiagnostics drops diagnostics identical to an earlier one: a mistake inside a
// shared definition that does not depend on where it is used is found once
// per use, and is reported once, naming every use ("as used in dialog "a" at
// …, and in dialog "b" at …").
func dedupeDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	type key struct {
		sev             hcl.DiagnosticSeverity
		summary, detail string
		subject         hcl.Range
	}
	seen := map[key]*hcl.Diagnostic{}
	out := diags[:0]
	for _, dg := range diags {
		detail, uses := splitUseNote(dg.Detail)
		k := key{sev: dg.Severity, summary: dg.Summary, detail: detail}
		if dg.Subject != nil {
			k.subject = *dg.Subject
		}
		if first := seen[k]; first != nil {
			if uses != "" && !strings.Contains(first.Detail, uses) {
				first.Detail = strings.TrimSuffix(first.Detail, ".") + ", and " + uses + "."
			}
			continue
		}
		seen[k] = dg
		out = append(out, dg)
	}
	return out
}

// splitUseNote splits the note annotateUse adds off a diagnostic's detail:
// the detail without it, and the use it names ("in dialog "a" at f.hcl:3,3-9").
func splitUseNote(detail string) (rest, use string) {
	i := strings.LastIndex(detail, "This is in the shared ")
	if i < 0 {
		return detail, ""
	}
	note := detail[i:]
	j := strings.Index(note, ", as used ")
	if j < 0 || strings.Contains(note, "\n") {
		return detail, ""
	}
	return detail[:i] + note[:j], strings.TrimSuffix(note[j+len(", as used "):], ".")
}
