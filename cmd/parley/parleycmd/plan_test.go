package parleycmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/plan/plantest"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// recordedShop records the scripted conversations of plantest on the
// embedded store at path and returns a candidate folder that raises the
// automatic refund limit to 800.
func recordedShop(t *testing.T, path string) string {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	rec := plantest.NewRecorder(t, enginetest.Load(t, enginetest.ShopDir()), st, "v1")
	for _, s := range plantest.Scripted() {
		rec.Play(t, s)
	}
	rec.Settle(t)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "shop-v2")
	copyDir(t, enginetest.ShopDir(), dir)
	edit(t, filepath.Join(dir, "bot.hcl"), "without review\"\n  value       = 500", "without review\"\n  value       = 800")
	return dir
}

// parley plan -json has a top-level changed count, -html one self-contained
// page; bad flags and a bot folder with no conversations are refused.
func TestPlanCommand(t *testing.T) {
	ctx := context.Background()
	t.Setenv("PARLEY_DATABASE_URL", "")
	db := filepath.Join(t.TempDir(), "parley.db")
	cand := recordedShop(t, db)

	var out, errOut bytes.Buffer
	if err := Run(ctx, []string{"plan", "-database", db, "-from", "all", "-json", cand}, nil, &out, &errOut); err != nil {
		t.Fatalf("plan -json: %v\n%s", err, errOut.String())
	}
	var r struct {
		Changed         *int `json:"changed"`
		Conversations   int  `json:"conversations"`
		NeedsLiveAnswer int  `json:"needs_live_answer"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Changed == nil || *r.Changed != 1 || r.NeedsLiveAnswer != 1 || r.Conversations != len(plantest.Scripted()) {
		t.Errorf("plan -json: changed %v, needs a live answer %d, of %d", r.Changed, r.NeedsLiveAnswer, r.Conversations)
	}

	page := filepath.Join(t.TempDir(), "plan.html")
	out.Reset()
	if err := Run(ctx, []string{"plan", "-database", db, "-from", "all", "-html", "-o", page, cand}, nil, &out, &errOut); err != nil {
		t.Fatalf("plan -html: %v", err)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!doctype html>", "Transition matrix", "s-refund-500", "refund_auto_approve"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the page has no %q", want)
		}
	}
	for _, external := range []string{"src=\"http", "href=\"http", "@import", "<script src"} {
		if strings.Contains(string(html), external) {
			t.Errorf("the page is not self-contained: %q", external)
		}
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"plan", "-json", "-html", "-database", db, cand}, 2, "choose one"},
		{[]string{"plan", cand}, 2, "give -database"},
		{[]string{"plan", "-database", filepath.Join(t.TempDir(), "none.db"), cand}, 2, "no such file"},
	} {
		err := Run(ctx, tc.args, nil, &out, &errOut)
		var exit *exitError
		if !errors.As(err, &exit) || exit.code != tc.code || !strings.Contains(exit.msg, tc.want) {
			t.Errorf("%v: %v, want exit %d saying %q", tc.args, err, tc.code, tc.want)
		}
	}
}

// parley rollout without a server says how to start one.
func TestRolloutWithoutServer(t *testing.T) {
	err := Run(context.Background(), []string{"rollout", "-server", "http://" + freeAddr(t)}, nil, &bytes.Buffer{}, &bytes.Buffer{})
	var exit *exitError
	if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(exit.msg, "no parley server") {
		t.Errorf("rollout with no server: %v", err)
	}
	err = Run(context.Background(), []string{"rollout", "share", "120"}, nil, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.As(err, &exit) || exit.code != 2 {
		t.Errorf("share 120: %v, want exit 2", err)
	}
}
