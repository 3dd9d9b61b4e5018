package parleycmd

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/server"
)

func TestConfigureChannels(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		senders []string
		wantErr string
	}{
		{"nothing set: no senders", nil, nil, ""},
		{"sms", map[string]string{"PARLEY_TWILIO_AUTH_TOKEN": "t", "PARLEY_TWILIO_ACCOUNT_SID": "AC1", "PARLEY_TWILIO_FROM": "+15550000000"}, []string{"sms"}, ""},
		{"sms without its token", map[string]string{"PARLEY_TWILIO_ACCOUNT_SID": "AC1", "PARLEY_TWILIO_FROM": "+15550000000"}, nil, "PARLEY_TWILIO_AUTH_TOKEN"},
		{"email and webhook", map[string]string{"PARLEY_SMTP_HOST": "smtp.example.com", "PARLEY_SMTP_FROM": "help@example.com", "PARLEY_WEBHOOK_URL": "https://hooks.example.com/parley"}, []string{"email", "webhook"}, ""},
		{"email without a sender address", map[string]string{"PARLEY_SMTP_HOST": "smtp.example.com"}, nil, "PARLEY_SMTP_FROM"},
		{"a bad port", map[string]string{"PARLEY_SMTP_HOST": "smtp.example.com", "PARLEY_SMTP_FROM": "a@b.c", "PARLEY_SMTP_PORT": "smtp"}, nil, "PARLEY_SMTP_PORT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg server.ServerConfig
			err := configureChannels(&cfg, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for name := range cfg.Senders {
				got = append(got, name)
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.senders, got); diff != "" {
				t.Errorf("senders (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPostgresErrorSaysItOnce: a database that cannot be opened is named once,
// not "open postgres: open postgres: ...".
func TestPostgresErrorSaysItOnce(t *testing.T) {
	code, _, stderr := runCmd(t, "", "report", "-database", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", shop)
	if code == 0 || !strings.Contains(stderr, "open postgres") || strings.Count(stderr, "open postgres") != 1 {
		t.Errorf("exit %d, stderr:\n%s\nwant an error that says \"open postgres\" once", code, stderr)
	}
}
