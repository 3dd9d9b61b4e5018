package policies

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Display names: an entity's values and a dialog's title can be written for
// the customer in each language, so "delivered" reads "已送达" in Chinese.

// decodeEntityLabels reads an entity's labels: { value = "text" } or
// { value = { en = "text", zh = "文字" } }, for values the entity has.
func decodeEntityLabels(expr hcl.Expression, values []EntityValue) (map[string]map[string]string, hcl.Diagnostics) {
	var canon []string
	for _, v := range values {
		canon = append(canon, v.Canonical)
	}
	return decodeValueTexts(expr, canon)
}

// decodeValueTexts reads an object of values and their texts, one for every
// language or one per language. known, when not nil, lists the values that
// may have one.
func decodeValueTexts(expr hcl.Expression, known []string) (map[string]map[string]string, hcl.Diagnostics) {
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return nil, wrongType(expr, `an object of values and their texts, like { delivered = { en = "delivered", zh = "已签收" } }`, nil)
	}
	out := map[string]map[string]string{}
	for _, pair := range pairs {
		value := hcl.ExprAsKeyword(pair.Key)
		if value == "" {
			s, _, more := literalString(pair.Key)
			diags = append(diags, more...)
			value = s
		}
		switch _, dup := out[value]; {
		case known != nil && !slices.Contains(known, value):
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Label for an unknown value",
				Detail:   fmt.Sprintf("%q is not one of the entity's values.%s", value, existing(value, "values", known)),
				Subject:  pair.Key.Range().Ptr(),
			})
			continue
		case dup:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate label",
				Detail:   fmt.Sprintf("%q is given twice.", value),
				Subject:  pair.Key.Range().Ptr(),
			})
			continue
		}
		texts, more := decodeTitle(pair.Value)
		diags = append(diags, more...)
		out[value] = texts
	}
	return out, diags
}

// inLanguage picks a text for lang: its own, the one for every language, the
// default language's, in that order; "" when there is none.
func (b *Bot) inLanguage(texts map[string]string, lang string) string {
	if t, ok := texts[lang]; ok {
		return t
	}
	if t, ok := texts[""]; ok {
		return t
	}
	if len(b.Languages) > 0 {
		return texts[b.Languages[0]]
	}
	return ""
}

// Label is how value reads in lang: its label in the labels block or list
// entity named set, or the value itself.
func (b *Bot) Label(set, value, lang string) string {
	texts := b.Labels[set][value]
	if e := b.Entities[set]; texts == nil && e != nil {
		texts = e.Labels[value]
	}
	if t := b.inLanguage(texts, lang); t != "" {
		return t
	}
	return value
}

// decodeLabels reads a labels block: how values that customers see, but never
// type, read in each language, such as an order system's statuses:
//
//	labels "order_status" {
//	  values = {
//	    processing = { en = "being prepared", zh = "备货中" }
//	    "In Progress" = "in progress"
//	  }
//	}
func decodeLabels(block *hcl.Block) (map[string]map[string]string, hcl.Diagnostics) {
	content, diags := block.Body.Content(labelsSchema)
	attr, ok := content.Attributes["values"]
	if !ok {
		return map[string]map[string]string{}, diags
	}
	out, more := decodeValueTexts(attr.Expr, nil)
	return out, append(diags, more...)
}

var labelsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "description"},
		{Name: "values", Required: true},
	},
}

// DialogTitle is how the bot names a dialog in lang, or "".
func (b *Bot) DialogTitle(dialog, lang string) string {
	for _, dl := range b.Dialogs {
		if dl.Name == dialog {
			return b.inLanguage(dl.Title, lang)
		}
	}
	return ""
}

// languageFunctions is funcs with label and dialog_title speaking lang ("":
// the bot's default language).
func (b *Bot) languageFunctions(funcs map[string]function.Function, lang string) map[string]function.Function {
	out := maps.Clone(funcs)
	out["label"] = function.New(&function.Spec{
		Description: "How a value of an entity reads for the customer: its label in the conversation's language, else the value.",
		Params: []function.Parameter{
			{Name: "entity", Type: cty.String},
			{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[1]
			if v.IsNull() {
				return cty.StringVal(""), nil
			}
			s, err := textOfValue(v)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(b.Label(args[0].AsString(), s, lang)), nil
		},
	})
	out["dialog_title"] = function.New(&function.Spec{
		Description: "How the bot names a dialog to the customer, in the conversation's language; \"\" without a title.",
		Params:      []function.Parameter{{Name: "dialog", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(b.DialogTitle(args[0].AsString(), lang)), nil
		},
	})
	return out
}

// textOfValue is a primitive value as text, the way a message shows it.
func textOfValue(v cty.Value) (string, error) {
	switch {
	case v.Type() == cty.String:
		return v.AsString(), nil
	case v.Type() == cty.Number:
		return FormatNumber(v.AsBigFloat()), nil
	case v.Type() == cty.Bool:
		if v.True() {
			return "true", nil
		}
		return "false", nil
	}
	return "", fmt.Errorf("a %s has no label; give a value", v.Type().FriendlyName())
}
