package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/policies"
)

// NewMaskingHandler wraps h so that no log line carries a customer's email
// address, phone number or card number (13-19 digits passing the Luhn check):
// they are masked, as in the audit log, in the message and in every string
// attribute, groups and attributes added with With included. A careless
// log.Info("got", "text", msg) then writes "call me on 138****5678".
//
// Values of other kinds that render as text are masked too: errors by their
// message, and maps, slices and structs through their JSON form, where fields
// named like personal data (name, email, address...) are masked whole.
func NewMaskingHandler(h slog.Handler) slog.Handler {
	return maskingHandler{next: h, masker: func() *policies.Masker { return policies.DefaultMasker }}
}

// NewBotMaskingHandler masks what the bot's privacy block says (read through
// current on every record, so a hot reload of the policies applies at once).
func NewBotMaskingHandler(h slog.Handler, current func() *policies.Masker) slog.Handler {
	return maskingHandler{next: h, masker: current}
}

type maskingHandler struct {
	next   slog.Handler
	masker func() *policies.Masker
}

func (m maskingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return m.next.Enabled(ctx, level)
}

func (m maskingHandler) Handle(ctx context.Context, r slog.Record) error {
	mk := m.masker()
	out := slog.NewRecord(r.Time, r.Level, maskString(mk, r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(mk, a))
		return true
	})
	return m.next.Handle(ctx, out)
}

func (m maskingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	mk := m.masker()
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(mk, a)
	}
	return maskingHandler{next: m.next.WithAttrs(masked), masker: m.masker}
}

func (m maskingHandler) WithGroup(name string) slog.Handler {
	return maskingHandler{next: m.next.WithGroup(name), masker: m.masker}
}

func maskAttr(mk *policies.Masker, a slog.Attr) slog.Attr {
	return slog.Attr{Key: a.Key, Value: maskSlogValue(mk, a.Value)}
}

func maskSlogValue(mk *policies.Masker, v slog.Value) slog.Value {
	if v.Kind() == slog.KindLogValuer {
		switch x := v.Any().(type) {
		case logID:
			return slog.StringValue(mk.Token(string(x)))
		case logPath:
			return slog.StringValue(maskPath(mk, string(x)))
		}
	}
	v = v.Resolve() // a LogValuer could hide personal data behind a method
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(maskString(mk, v.String()))
	case slog.KindGroup:
		attrs := v.Group()
		masked := make([]slog.Attr, len(attrs))
		for i, a := range attrs {
			masked[i] = maskAttr(mk, a)
		}
		return slog.GroupValue(masked...)
	case slog.KindAny:
		return maskAny(mk, v.Any())
	default:
		// Numbers, booleans, times and durations carry no text. (A phone number
		// logged as an int64 is not recognisable as one; log it as a string.)
		return v
	}
}

func maskAny(mk *policies.Masker, x any) slog.Value {
	switch x := x.(type) {
	case nil:
		return slog.AnyValue(nil)

	case error:
		return slog.StringValue(maskString(mk, x.Error()))
	case fmt.Stringer:
		return slog.StringValue(maskString(mk, x.String()))
	case []byte:
		return slog.StringValue(maskString(mk, string(x)))
	}
	raw, err := json.Marshal(x)
	if err != nil {
		return slog.StringValue(maskString(mk, fmt.Sprint(x)))
	}
	var generic any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return slog.StringValue(maskString(mk, string(raw)))
	}
	return slog.AnyValue(engine.MaskValue(mk, generic))
}

// logID marks a log value as an identifier (a request or conversation id), to
// be masked as one: wholly when it is personal data, never where it merely
// holds digits (policies.Masker.Token).
type logID string

// logPath marks a URL path: each segment is masked as an identifier, so
// /v1/conversations/c-1A2B3456789/messages stays matchable while a phone
// number used as an id does not show.
type logPath string

// LogValue masks with the default masker when the logger itself masks nothing.
func (id logID) LogValue() slog.Value {
	return slog.StringValue(policies.DefaultMasker.Token(string(id)))
}

func (p logPath) LogValue() slog.Value {
	return slog.StringValue(maskPath(policies.DefaultMasker, string(p)))
}

// maskPath masks each part of a path between '/' and ':' as an identifier (a
// channel's ids carry its name: sms:+8613800138000). Most paths, logged once
// a request, mask to themselves: a copy is built only from the first part
// that changes.
func maskPath(mk *policies.Masker, path string) string {
	var b strings.Builder
	changed, start := false, 0
	for i := 0; i <= len(path); i++ {
		if i < len(path) && path[i] != '/' && path[i] != ':' {
			continue
		}
		part := path[start:i]
		masked := mk.Token(part)
		if !changed && masked != part {
			changed = true
			b.Grow(len(path))
			b.WriteString(path[:start])
		}
		if changed {
			b.WriteString(masked)
			if i < len(path) {
				b.WriteByte(path[i])
			}
		}
		start = i + 1
	}
	if !changed {
		return path
	}
	return b.String()
}

// maskString masks personal data in free text. Most log strings hold no '@'
// and no run of seven digits, so they skip the regular expressions.
func maskString(mk *policies.Masker, s string) string {
	if !mk.HasPatterns() && !mayHoldPII(s) {
		return s
	}
	return mk.Text(s)
}

// mayHoldPII reports whether s has an '@' or at least seven digits, without
// which policies.MaskText finds nothing to mask.
func mayHoldPII(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '@':
			return true
		case c >= '0' && c <= '9':
			digits++
			if digits >= 7 {
				return true
			}
		}
	}
	return false
}
