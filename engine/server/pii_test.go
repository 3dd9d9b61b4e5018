package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/policies"
)

type customerRecord struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Order string `json:"order"`
}

type secretValuer struct{ phone string }

func (s secretValuer) LogValue() slog.Value { return slog.StringValue("phone " + s.phone) }

func TestMaskingHandler(t *testing.T) {
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want map[string]any
	}{{
		name: "message and string attributes",
		log: func(l *slog.Logger) {
			l.Info("got mail from ann@example.com", "text", "call me on 13812345678 or +1 (415) 555-0134", "order", "AB123456")
		},
		want: map[string]any{
			"level": "INFO", "msg": "got mail from a**@example.com",
			"text": "call me on 138****5678 or +1 (41*) ***-0134", "order": "AB123456",
		},
	}, {
		name: "card numbers: Luhn-valid are masked to the last four, dates are left",
		log: func(l *slog.Logger) {
			l.Warn("payment", "card", "4111 1111 1111 1111", "when", "2026-11-25")
		},
		want: map[string]any{"level": "WARN", "msg": "payment", "card": "**** **** **** 1111", "when": "2026-11-25"},
	}, {
		name: "groups, With attributes and errors",
		log: func(l *slog.Logger) {
			l.With("customer", "bob@example.org").WithGroup("req").Error("failed",
				slog.Group("from", "phone", "13912345678"), "error", errors.New("no account for bob@example.org"))
		},
		want: map[string]any{
			"level": "ERROR", "msg": "failed", "customer": "b**@example.org",
			"req": map[string]any{
				"from":  map[string]any{"phone": "139****5678"},
				"error": "no account for b**@example.org",
			},
		},
	}, {
		name: "structs, maps and LogValuers",
		log: func(l *slog.Logger) {
			l.Info("profile",
				"customer", customerRecord{Name: "Ann Lee", Email: "ann@example.com", Order: "AB123456"},
				"extra", map[string]any{"note": "ring 13812345678"},
				"who", secretValuer{phone: "13812345678"},
				"turns", 3)
		},
		want: map[string]any{
			"level": "INFO", "msg": "profile",
			"customer": map[string]any{"name": "A*****e", "email": "a**@example.com", "order": "AB123456"},
			"extra":    map[string]any{"note": "r**************8"},
			"who":      "phone 138****5678",
			"turns":    float64(3),
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			inner := slog.NewJSONHandler(&buf, &slog.HandlerOptions{
				ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
					if a.Key == slog.TimeKey && len(groups) == 0 {
						return slog.Attr{}
					}
					return a
				},
			})
			tc.log(slog.New(NewMaskingHandler(inner)))
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("decode %q: %v", buf.String(), err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("log line (-want +got):\n%s", diff)
			}
			for _, secret := range []string{"13812345678", "ann@", "bob@", "4111 1111 1111 1111"} {
				if strings.Contains(buf.String(), secret) {
					t.Errorf("log line holds %q: %s", secret, buf.String())
				}
			}
		})
	}
}

func TestMaskingHandlerEnabled(t *testing.T) {
	inner := slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn})
	h := NewMaskingHandler(inner)
	if h.Enabled(t.Context(), slog.LevelInfo) || !h.Enabled(t.Context(), slog.LevelError) {
		t.Error("Enabled does not follow the wrapped handler's level")
	}
}

func BenchmarkMaskingHandler(b *testing.B) {
	var buf bytes.Buffer
	l := slog.New(NewMaskingHandler(slog.NewJSONHandler(&buf, nil)))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		l.Info("http request", "method", "POST", "route", "/v1/conversations/:id/messages", "status", 200)
	}
}

// maskPath masks each part between '/' and ':' as an identifier, and leaves
// the rest, separators included, as it was: as splitting and joining did.
func TestMaskPath(t *testing.T) {
	bySplitting := func(path string) string {
		segs := strings.Split(path, "/")
		for i, seg := range segs {
			parts := strings.Split(seg, ":")
			for j, p := range parts {
				parts[j] = policies.DefaultMasker.Token(p)
			}
			segs[i] = strings.Join(parts, ":")
		}
		return strings.Join(segs, "/")
	}
	for _, path := range []string{
		"/v1/conversations/c-1A2B3456789/messages",
		"/", "", ":", "//", "/a//b:",
		"/v1/customers/sms:+8613800138000",
		"/v1/customers/sms:+8613800138000/tickets",
		"/v1/customers/ann@example.com/x",
		"13800138000",
		"/v1/channels/email:ann@example.com:13800138000",
		"/v1/orders/4111111111111111",
	} {
		got, want := maskPath(policies.DefaultMasker, path), bySplitting(path)
		if got != want {
			t.Errorf("maskPath(%q) = %q, want %q", path, got, want)
		}
		if strings.Contains(path, "13800138000") && strings.Contains(got, "13800138000") {
			t.Errorf("maskPath(%q) = %q: the phone number shows", path, got)
		}
	}
}

func BenchmarkMaskPath(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		maskPath(policies.DefaultMasker, "/v1/conversations/c-1A2B3456789/messages")
	}
}
