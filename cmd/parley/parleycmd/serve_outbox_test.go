package parleycmd

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/server"
)

func TestOutboxSettings(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    server.OutboxConfig
		wantErr string // what the error names
	}{
		{name: "nothing set: the server's defaults"},
		{name: "flags", args: []string{"-outbox-attempts", "5", "-outbox-max-backoff", "1h", "-outbox-lease", "5m"},
			want: server.OutboxConfig{MaxAttempts: 5, MaxBackoff: time.Hour, Lease: 5 * time.Minute}},
		{name: "environment", env: map[string]string{envOutboxAttempts: "30", envOutboxMaxBackoff: "2h", envOutboxLease: "10m"},
			want: server.OutboxConfig{MaxAttempts: 30, MaxBackoff: 2 * time.Hour, Lease: 10 * time.Minute}},
		{name: "a flag wins over the environment", env: map[string]string{envOutboxAttempts: "30"}, args: []string{"-outbox-attempts", "3"},
			want: server.OutboxConfig{MaxAttempts: 3}},
		{name: "zero attempts", args: []string{"-outbox-attempts", "0"}, wantErr: "-outbox-attempts"},
		{name: "attempts not a number", env: map[string]string{envOutboxAttempts: "many"}, wantErr: envOutboxAttempts},
		{name: "backoff without a unit", args: []string{"-outbox-max-backoff", "30"}, wantErr: "-outbox-max-backoff"},
		{name: "backoff under a second", env: map[string]string{envOutboxMaxBackoff: "10ms"}, wantErr: envOutboxMaxBackoff},
		{name: "a lease no longer than an attempt", args: []string{"-outbox-lease", server.OutboxAttemptTimeout.String()}, wantErr: "-outbox-lease"},
		{name: "a lease from the environment", env: map[string]string{envOutboxLease: "soon"}, wantErr: envOutboxLease},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			f := addOutboxFlags(fs, func(k string) string { return tt.env[k] })
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			got, err := f.config(fs)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr+" ") {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

// A bad setting stops serve before it opens anything, with exit code 2.
func TestServeRefusesABadOutboxSetting(t *testing.T) {
	t.Setenv(envOutboxLease, "1s")
	code, _, stderr := runCmd(t, "", "serve", shop)
	if code != 2 || !strings.Contains(stderr, envOutboxLease+` "1s"`) {
		t.Errorf("code %d, stderr %q; want 2 naming %s", code, stderr, envOutboxLease)
	}
}
