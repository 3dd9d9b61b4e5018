package parleycmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parleyhq/parley/engine/server"
	"github.com/parleyhq/parley/engine/store"
)

const rolloutUsage = `rollout [-server URL] [-json] status | share PERCENT | promote | rollback

  status          the versions of the policies served and the rollout's state
  share PERCENT   send PERCENT of new conversations to the candidate (0-100);
                  after a rollback, start a new rollout of the candidate
  promote         the candidate serves every conversation
  rollback        the current policies serve every conversation again`

func cmdRollout(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("rollout", rolloutUsage, stderr)
	addr := fs.String("server", envOr("PARLEY_SERVER", "http://127.0.0.1:8080"), "the parley serve to talk to (env PARLEY_SERVER)")
	asJSON := fs.Bool("json", false, "print the server's answer as JSON")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) == 0 {
		positional = []string{"status"}
	}
	method, path, body := http.MethodGet, "/v1/policies", any(nil)
	switch cmd := positional[0]; {
	case cmd == "status" && len(positional) == 1:
	case cmd == "share" && len(positional) == 2:
		n, err := strconv.Atoi(strings.TrimSuffix(positional[1], "%"))
		if err != nil || n < 0 || n > 100 {
			return &exitError{code: 2, msg: fmt.Sprintf("share %q: a percent from 0 to 100", positional[1])}
		}
		method, path, body = http.MethodPut, "/v1/policies/rollout", map[string]int{"share": n}
	case (cmd == "promote" || cmd == "rollback") && len(positional) == 1:
		method, path = http.MethodPost, "/v1/policies/rollout/"+cmd
	default:
		fs.Usage()
		return &exitError{code: 2}
	}
	raw, err := callServer(ctx, method, strings.TrimSuffix(*addr, "/")+path, body)
	if err != nil {
		return err
	}
	if *asJSON {
		var out bytes.Buffer
		if err := json.Indent(&out, raw, "", "  "); err != nil {
			return fmt.Errorf("the server's answer: %w", err)
		}
		out.WriteByte('\n')
		_, err := stdout.Write(out.Bytes())
		return err
	}
	var p server.Policies
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("the server's answer: %w", err)
	}
	return writeRollout(stdout, p)
}

// callServer sends an admin request with PARLEY_API_TOKEN (or an agent's
// PARLEY_API_KEY) and returns the answer, or the server's error message.
func callServer(ctx context.Context, method, url string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, &exitError{code: 2, msg: fmt.Sprintf("-server: %v", err)}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key := envOr("PARLEY_API_TOKEN", os.Getenv("PARLEY_API_KEY")); key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("no parley server at %s: %v (start one with parley serve, or give -server)", url, err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Message string } `json:"error"`
		}
		msg := strings.TrimSpace(string(raw))
		if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
			msg = e.Error.Message
		}
		return nil, &exitError{code: 1, msg: fmt.Sprintf("%s %s: %s: %s", method, url, resp.Status, msg)}
	}
	return raw, nil
}

func writeRollout(w io.Writer, p server.Policies) error {
	var b strings.Builder
	if r := p.Rollout; r == nil {
		b.WriteString("no rollout: no candidate policies have been served\n")
	} else {
		switch r.Status {
		case store.RolloutRunning:
			fmt.Fprintf(&b, "rollout %d: running, the candidate serves %d%% of new conversations", r.ID, r.Share)
		case store.RolloutPromoted:
			fmt.Fprintf(&b, "rollout %d: promoted, the candidate serves every conversation", r.ID)
		case store.RolloutRolledBack:
			fmt.Fprintf(&b, "rollout %d: rolled back, the current policies serve every conversation", r.ID)
		default:
			fmt.Fprintf(&b, "rollout %d: %s", r.ID, r.Status)
		}
		fmt.Fprintf(&b, " (changed %s by %s)\n", r.UpdatedAt.Local().Format("2006-01-02 15:04 MST"), r.UpdatedBy)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, v := range p.Versions {
		fmt.Fprintf(tw, "  %s\t%s%s\t%s\t%d%%\n", v.Name, v.Version, labelText(v.Label), v.Dir, v.Share)
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
