package report

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/plan/plantest"
	"github.com/parleyhq/parley/engine/store/memstore"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

// The tests against values worked out by hand (and closed forms of
// Student's t for 1 and 2 degrees of freedom, and table values for 10).
func TestSignificanceTests(t *testing.T) {
	z, p, ok := twoProportionZ(80, 100, 65, 100)
	if !ok {
		t.Fatal("no test")
	}
	near(t, "z", z, -2.375423, 1e-5)
	near(t, "p", p, 0.017529, 1e-5)
	if _, p, _ := twoProportionZ(0, 50, 0, 70); p != 1 {
		t.Errorf("nothing on either side: p = %v, want 1", p)
	}
	if _, _, ok := twoProportionZ(1, 0, 1, 2); ok {
		t.Error("tested an empty side")
	}
	for _, c := range []struct{ t, df, p float64 }{
		{1, 1, 0.5},                // Cauchy: P(|T| >= 1) = 1/2
		{2, 2, 1 - 2/math.Sqrt(6)}, // df 2: 1 - t/sqrt(2+t²)
		{2.228139, 10, 0.05},       // the 5% critical value at df 10
		{3.169273, 10, 0.01},       // and the 1% one
		{1.959964, 1e7, 0.05},      // the normal's, at very large df
		{0, 7, 1},
	} {
		near(t, fmt.Sprintf("p(t=%g, df=%g)", c.t, c.df), studentTwoSided(c.t, c.df), c.p, 1e-5)
	}
	// Five 4s and five 5s against four 3s, four 4s and two 5s.
	tt, df, p, ok := welchT(scores{0, 0, 0, 5, 5}, scores{0, 0, 4, 4, 2})
	if !ok {
		t.Fatal("no Welch test")
	}
	near(t, "t", tt, -2.333333, 1e-5)
	near(t, "df", df, 15.700346, 1e-5)
	near(t, "p", p, studentTwoSided(tt, df), 1e-12)
	if p < 0.03 || p > 0.04 {
		t.Errorf("p = %v, want between 0.03 and 0.04 (t = -2.33 at 15.7 df)", p)
	}
	if _, _, _, ok := welchT(scores{0, 0, 0, 0, 1}, scores{0, 0, 3, 0, 0}); ok {
		t.Error("tested one answer")
	}
}

// A report broken down by policy_version puts the versions side by side:
// 60 conversations of the current shop (45 resolved by the bot, 15 handed
// off) against 40 of a candidate (38 and 2), each difference with its test.
func TestVersionsSideBySide(t *testing.T) {
	enginetest.StartShopBackend(t)
	ctx := context.Background()
	st := memstore.New()
	current := enginetest.Load(t, enginetest.ShopDir())
	candDir := t.TempDir()
	if err := os.CopyFS(candDir, os.DirFS(enginetest.ShopDir())); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(candDir, ".parley"))
	if err := os.WriteFile(filepath.Join(candDir, "note.hcl"), []byte("# a candidate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	candidate := enginetest.Load(t, candDir)
	play := func(label string, bot any, prefix string, track, human int) {
		rec := plantest.NewRecorder(t, candidate, st, label)
		if label == "v1" {
			rec = plantest.NewRecorder(t, current, st, label)
		}
		for i := range track + human {
			text := "where is my order AB123456?"
			if i >= track {
				text = "talk to a human"
			}
			rec.Play(t, plantest.Script{ID: fmt.Sprintf("%s-%d", prefix, i), Start: plantest.Monday10, Steps: []plantest.Step{{Say: text}}})
		}
		rec.Settle(t)
	}
	play("v1", current, "cur", 45, 15)
	play("v2", candidate, "cand", 38, 2)

	r, err := Build(ctx, st, current, Options{By: []string{"policy_version"}, Now: plantest.Monday10.AddDate(0, 0, 3)})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Versions
	if c == nil || len(c.Versions) != 2 || c.Baseline != current.Version || c.Versions[0].Version != current.Version || c.Versions[1].Version != candidate.Version {
		t.Fatalf("versions: %+v", c)
	}
	if c.Versions[0].Conversations != 60 || c.Versions[1].Conversations != 40 {
		t.Fatalf("conversations %d and %d, want 60 and 40", c.Versions[0].Conversations, c.Versions[1].Conversations)
	}
	diffs := map[string]Difference{}
	for _, d := range c.Versions[1].Differences {
		diffs[d.KPI] = d
	}
	for _, kpi := range []string{"containment_rate", "handoff_rate"} {
		d := diffs[kpi]
		if d.N != 40 || d.BaselineN != 60 || d.PValue == nil || !d.Significant {
			t.Fatalf("%s: %+v", kpi, d)
		}
		near(t, kpi+" p", *d.PValue, 0.009097, 1e-5)
	}
	near(t, "containment difference", *diffs["containment_rate"].Difference, 0.95-0.75, 1e-9)
	near(t, "handoff difference", *diffs["handoff_rate"].Difference, 0.05-0.25, 1e-9)
	if d := diffs["not_understood_rate"]; d.Significant || d.N != 40 || d.BaselineN != 60 || d.Unit != "messages" {
		t.Errorf("not understood: %+v", d)
	}
	if d := diffs["csat_average"]; d.PValue != nil || d.N != 0 {
		t.Errorf("satisfaction with no answers: %+v", d)
	}
	var table bytes.Buffer
	if err := Write(ctx, &table, r, "table"); err != nil {
		t.Fatal(err)
	}
	if d := diffs["ticket_rate"]; d.N != 40 || d.BaselineN != 60 || d.Difference == nil || *d.Difference != 0 {
		t.Errorf("tickets: %+v", d)
	}
	// The rules that applied, by version: each version's conversations only.
	for i, want := range [][]RuleRow{
		{{Kind: "outcome", Name: "shipped", Dialog: "track_order", Count: 45}},
		{{Kind: "outcome", Name: "shipped", Dialog: "track_order", Count: 38}},
	} {
		if diff := cmp.Diff(want, c.Versions[i].Rules); diff != "" {
			t.Errorf("%s: rules (-want +got):\n%s", c.Versions[i].Version, diff)
		}
	}
	for _, want := range []string{"Policy version " + candidate.Version + " against " + current.Version, "+20.0 pts, significant (p = 0.009)", "60 / 40 conversations",
		"Rules and outcomes that applied, by policy version", "outcome track_order.shipped  45"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("the table has no %q:\n%s", want, table.String())
		}
	}
}

// The breakdown by policy_version names the versions with their labels.
func TestVersionsLabelledInTheBreakdown(t *testing.T) {
	r := &Report{By: []string{"channel", "policy_version"}, Versions: &VersionComparison{Versions: []VersionFigures{{Version: "558bb0ee09533b2c", Label: "v1"}, {Version: "cb8084582662fa11"}}}}
	for key, want := range map[[2]string][]string{
		{"web", "558bb0ee09533b2c"}: {"web", "558bb0ee09533b2c (v1)"},
		{"web", "cb8084582662fa11"}: {"web", "cb8084582662fa11"},
	} {
		if diff := cmp.Diff(want, labelVersions(r, key[:])); diff != "" {
			t.Errorf("%v (-want +got):\n%s", key, diff)
		}
	}
}
