package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/engine/store/postgres"
	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// rolloutStore is a database instances share. open connects a new instance
// to it; SQLite allows one process, so there every instance shares one
// connection, as servers in one process would.
type rolloutStore struct {
	name string
	// database makes the database; open(t) then connects (once more, on
	// PostgreSQL) and close(t) ends every connection open made.
	database func(t *testing.T) (open func(t *testing.T) store.Store, close func())
}

func rolloutStores() []rolloutStore {
	return []rolloutStore{
		{"sqlite", func(t *testing.T) (func(t *testing.T) store.Store, func()) {
			path := filepath.Join(t.TempDir(), "parley.db")
			var st store.Store
			open := func(t *testing.T) store.Store {
				if st == nil {
					s, err := sqlite.Open(context.Background(), path)
					if err != nil {
						t.Fatal(err)
					}
					st = s
					t.Cleanup(func() { s.Close() })
				}
				return st
			}
			return open, func() {
				if st != nil {
					st.Close()
					st = nil
				}
			}
		}},
		{"postgres", func(t *testing.T) (func(t *testing.T) store.Store, func()) {
			url := pgtest.URL(t)
			schema := pgtest.Schema(t, url)
			var opened []store.Store
			open := func(t *testing.T) store.Store {
				st, err := postgres.Open(context.Background(), url, postgres.Options{Schema: schema})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				opened = append(opened, st)
				return st
			}
			return open, func() {
				for _, st := range opened {
					st.Close()
				}
				opened = nil
			}
		}},
	}
}

// greeting tells the versions apart: the candidate greets differently.
const (
	currentGreeting   = "I can track orders"
	candidateGreeting = "Version two here"
)

// candidateDir is a copy of the shop whose greeting says which version it is.
func candidateDir(t *testing.T) string {
	t.Helper()
	dir := copyBotDir(t, enginetest.ShopDir())
	rewrite(t, filepath.Join(dir, "responses.hcl"), "! I can track orders", "! "+candidateGreeting+": I can track orders")
	return dir
}

func rewrite(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func source(dir, label string, st store.Store) PolicySource {
	return PolicySource{Dir: dir, Label: label, Load: func(ctx context.Context) (*engine.Engine, error) {
		bot, diags := engine.Load(dir, nil)
		if diags.HasErrors() {
			return nil, diags
		}
		return engine.New(ctx, bot, engine.Options{Store: st, PolicyLabel: label})
	}}
}

// instance is one parley serve: the shop as current, cand as candidate.
func instance(t *testing.T, st store.Store, current, cand string, share int) *Server {
	t.Helper()
	ctx := context.Background()
	cur := source(current, "v1", st)
	e, err := cur.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(e, ServerConfig{RouteEvery: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	cfg := RolloutConfig{Current: cur, Share: share}
	if cand != "" {
		cfg.Candidate = source(cand, "v2", st)
	}
	if err := s.ServeVersions(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c := s.Candidate(); c != nil {
			c.Close()
		}
		s.Engine().Close()
	})
	return s
}

// greet says hello in conversation id and says which version answered.
func greet(t *testing.T, s *Server, id string) string {
	t.Helper()
	res, err := s.Engine().Handle(context.Background(), engine.Message{ConversationID: id, Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	text := res.Replies[0].Text
	switch {
	case strings.Contains(text, candidateGreeting):
		return "candidate"
	case strings.Contains(text, currentGreeting):
		return "current"
	}
	t.Fatalf("%s: unexpected greeting %q", id, text)
	return ""
}

// Assignment hashes the conversation and the rollout: the same on every
// call and instance, monotonic in the share (a conversation on the
// candidate at 10% is on it at 20%), and over 10,000 new conversations the
// share holds within 1 point (more than 3 standard deviations at 10%).
func TestAssignmentIsStableAndHoldsTheShare(t *testing.T) {
	for _, share := range []int{1, 10, 50, 90} {
		n := 0
		for i := range 10000 {
			id := fmt.Sprintf("c-%d", i)
			on := Assigned(7, id, share)
			if on != Assigned(7, id, share) {
				t.Fatalf("%s drew differently twice", id)
			}
			if on && !Assigned(7, id, min(100, share+10)) {
				t.Fatalf("%s is on the candidate at %d%% but not at %d%%", id, share, share+10)
			}
			if on {
				n++
			}
		}
		if got := float64(n) / 100; math.Abs(got-float64(share)) > 1 {
			t.Errorf("share %d%%: %.2f%% of 10,000 new conversations went to the candidate", share, got)
		}
	}
	if Assigned(1, "x", 0) || !Assigned(1, "x", 100) {
		t.Error("0% must send nobody and 100% everybody")
	}
}

// A rollout end to end, on the embedded store and PostgreSQL: 10,000
// simulated starts hold the share; conversations stay on their version
// while the share changes, after a restart and on a second instance;
// rollback sends everybody to the current policies and holds after a
// restart; promotion sends everybody to the candidate; each change is audited.
func TestRollout(t *testing.T) {
	enginetest.StartShopBackend(t)
	for _, sc := range rolloutStores() {
		t.Run(sc.name, func(t *testing.T) {
			ctx := context.Background()
			open, closeAll := sc.database(t)
			cand := candidateDir(t)
			st := open(t)
			a := instance(t, st, enginetest.ShopDir(), cand, 10)

			// The share holds over 10,000 simulated new conversations.
			onCandidate := 0
			for i := range 10000 {
				v, err := a.VersionOf(ctx, fmt.Sprintf("sim-%d", i))
				if err != nil {
					t.Fatal(err)
				}
				if v == "candidate" {
					onCandidate++
				}
			}
			if math.Abs(float64(onCandidate)/100-10) > 1 {
				t.Errorf("%d of 10,000 new conversations on the candidate at 10%%", onCandidate)
			}

			// Real conversations: each greets as its version, and the split is the hash's.
			versions := map[string]string{}
			for i := range 60 {
				id := fmt.Sprintf("conv-%d", i)
				versions[id] = greet(t, a, id)
				r, _ := a.Rollout()
				if want := map[bool]string{true: "candidate", false: "current"}[Assigned(r.ID, id, 10)]; versions[id] != want {
					t.Fatalf("%s: served by the %s, assigned to the %s", id, versions[id], want)
				}
			}
			stays := func(s *Server, when string) {
				t.Helper()
				for id, want := range versions {
					if got := greet(t, s, id); got != want {
						t.Fatalf("%s: %s started on the %s, now on the %s", when, id, want, got)
					}
				}
			}
			// A bigger share moves no conversation that has started.
			if _, err := a.SetShare(ctx, 90, "agent:ann"); err != nil {
				t.Fatal(err)
			}
			stays(a, "share 90")
			if _, err := a.SetShare(ctx, 0, "agent:ann"); err != nil {
				t.Fatal(err)
			}
			stays(a, "share 0")
			if v := greet(t, a, "new-at-0"); v != "current" {
				t.Errorf("a new conversation at share 0 went to the %s", v)
			}
			if _, err := a.SetShare(ctx, 30, "agent:ann"); err != nil {
				t.Fatal(err)
			}

			// A second instance on the same database, and a restart of
			// both: the same versions, and the stored share, not the flag's.
			b := instance(t, open(t), enginetest.ShopDir(), cand, 10)
			stays(b, "second instance")
			if r, _ := b.Rollout(); r.Share != 30 {
				t.Errorf("second instance: share %d, want the stored 30", r.Share)
			}
			for _, s := range []*Server{a, b} {
				s.Engine().Close()
				s.Candidate().Close()
			}
			closeAll()
			st = open(t)
			a, b = instance(t, st, enginetest.ShopDir(), cand, 10), instance(t, open(t), enginetest.ShopDir(), cand, 10)
			stays(a, "restart")

			// The candidate's hot reload: its new version keeps its conversations.
			rewrite(t, filepath.Join(cand, "responses.hcl"), candidateGreeting+":", candidateGreeting+", reloaded:")
			for _, s := range []*Server{a, b} { // each instance watches the folder
				if err := s.ReloadPolicies(ctx, cand); err != nil {
					t.Fatal(err)
				}
			}
			stays(a, "candidate reloaded")
			stays(b, "candidate reloaded")
			if r, _ := a.Rollout(); len(r.CandidateVersions) != 2 {
				t.Errorf("candidate versions after a reload: %v", r.CandidateVersions)
			}
			// The current's hot reload.
			if err := a.ReloadPolicies(ctx, enginetest.ShopDir()); err != nil {
				t.Fatal(err)
			}
			stays(a, "current reloaded")

			// Rollback: everybody on the current policies, on both instances,
			// and after a restart.
			if _, err := a.Rollback(ctx, "agent:ann"); err != nil {
				t.Fatal(err)
			}
			if err := b.RefreshVersions(ctx); err != nil {
				t.Fatal(err)
			}
			for _, s := range []*Server{a, b, instance(t, open(t), enginetest.ShopDir(), cand, 10)} {
				for id := range versions {
					if v := greet(t, s, id); v != "current" {
						t.Fatalf("after the rollback %s is on the %s", id, v)
					}
				}
			}
			if _, err := a.Promote(ctx, "agent:ann"); err == nil {
				t.Error("promoted a rolled-back rollout")
			}

			// A new share starts a new rollout; promoting it sends everybody
			// to the candidate, on both instances.
			if _, err := a.SetShare(ctx, 50, "agent:ann"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Promote(ctx, "agent:ann"); err != nil {
				t.Fatal(err)
			}
			if err := b.RefreshVersions(ctx); err != nil {
				t.Fatal(err)
			}
			for _, s := range []*Server{a, b} {
				if got := len(s.Versions().Versions); got != 1 || s.Candidate() != nil {
					t.Errorf("after promotion %d versions are served", got)
				}
				for id := range versions {
					if v := greet(t, s, id); v != "candidate" {
						t.Fatalf("after the promotion %s is on the %s", id, v)
					}
				}
			}

			entries, err := st.Audit(ctx, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				if strings.HasPrefix(e.Action, "rollout.") {
					actions = append(actions, e.Actor+" "+e.Action)
				}
			}
			want := []string{"system rollout.start", "agent:ann rollout.share", "agent:ann rollout.share", "agent:ann rollout.share",
				"system rollout.candidate_reloaded", "agent:ann rollout.rollback", "agent:ann rollout.share", "agent:ann rollout.promote"}
			if strings.Join(actions, "\n") != strings.Join(want, "\n") {
				t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// The API: GET /v1/policies lists the versions with their shares for
// supervisors; admins change the share, promote and roll back.
func TestPoliciesAPI(t *testing.T) {
	enginetest.StartShopBackend(t)
	st := memstore.New()
	s := instance(t, st, enginetest.ShopDir(), candidateDir(t), 10)
	s.cfg.Token, s.cfg.RequireAuth = strings.Repeat("k", 32), true
	srv := httptest.NewServer(s)
	defer srv.Close()
	call := func(method, path, body string) (int, Policies) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var p Policies
		_ = json.NewDecoder(resp.Body).Decode(&p)
		return resp.StatusCode, p
	}
	code, p := call("GET", "/v1/policies", "")
	if code != 200 || len(p.Versions) != 2 || p.Versions[0].Share != 90 || p.Versions[1].Share != 10 || p.Versions[1].Label != "v2" || p.Rollout == nil {
		t.Fatalf("GET /v1/policies: %d %+v", code, p)
	}
	if code, _ := call("PUT", "/v1/policies/rollout", `{"share": 101}`); code != 400 {
		t.Errorf("share 101: %d, want 400", code)
	}
	if code, p := call("PUT", "/v1/policies/rollout", `{"share": 25}`); code != 200 || p.Versions[1].Share != 25 {
		t.Errorf("share 25: %d %+v", code, p)
	}
	if code, p := call("POST", "/v1/policies/rollout/rollback", ""); code != 200 || p.Rollout.Status != store.RolloutRolledBack || p.Versions[1].Share != 0 {
		t.Errorf("rollback: %d %+v", code, p)
	}
	if code, _ := call("POST", "/v1/policies/rollout/promote", ""); code != 409 {
		t.Errorf("promote after rollback: %d, want 409", code)
	}
}

// The audit names the versions a rollout change was about, as they are:
// the digits inside a hash are not a phone number to mask.
func TestRolloutAuditKeepsVersionsReadable(t *testing.T) {
	st := memstore.New()
	s := instance(t, st, enginetest.ShopDir(), "", 0)
	s.cfg.Token, s.cfg.RequireAuth = strings.Repeat("k", 32), true
	r := store.Rollout{ID: 1, Status: store.RolloutPromoted, Share: 100,
		Current: store.PolicyRef{Version: "558bb0ee09533b2c", Label: "v1"}, Candidate: store.PolicyRef{Version: "cb8084582662fa11", Label: "v2"}}
	if _, err := st.SaveRollout(context.Background(), r, s.rolloutAudit("agent:ann", "rollout.promote", r)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/v1/audit?action=rollout.promote", nil)
	req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Entries []struct {
			Detail map[string]any `json:"detail"`
		} `json:"entries"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || len(page.Entries) != 1 {
		t.Fatalf("GET /v1/audit: %d %+v %v", resp.StatusCode, page, err)
	}
	if detail := page.Entries[0].Detail; detail["current"] != "558bb0ee09533b2c" || detail["candidate"] != "cb8084582662fa11" {
		t.Errorf("audit detail = %v, want the versions unmasked", detail)
	}
	// An id that is a phone number is still masked.
	if got := engine.MaskValue(s.Engine().Masker(), engine.ID("13812345678")); got == "13812345678" {
		t.Errorf("MaskValue(ID(phone)) = %v, want it masked", got)
	}
}

// A promotion or rollback of a rollout that is over says what to do instead.
func TestRolloutOverSaysWhatToDo(t *testing.T) {
	for status, want := range map[string]string{
		store.RolloutPromoted:   "previous folder as -candidate and promote it",
		store.RolloutRolledBack: "parley rollout share N",
	} {
		err := notRunning(&store.Rollout{Status: status})
		if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want a conflict saying %q", status, err, want)
		}
	}
}
