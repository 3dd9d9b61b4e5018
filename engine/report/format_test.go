package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parleyhq/parley/engine/enginetest"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/policies"
)

var update = flag.Bool("update", false, "rewrite docs/images/report*.png from this run")

// need returns a tool's path, skipping the test without it (failing in CI,
// which installs it: .ci/run).
func need(t *testing.T, path, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(path); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: apt-get install %s", path, pkg)
	}
	t.Skipf("%s is missing; apt-get install %s to run this test", path, pkg)
	return ""
}

// demoReport is two weeks of made-up contacts, reported by channel.
func demoReport(t *testing.T) (*report.Report, *policies.Bot) {
	t.Helper()
	bot := enginetest.Load(t, enginetest.ShopDir())
	st := memstore.New()
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, bot.Location())
	seedDemo(t, st, bot.Location(), end, 14, 160)
	r, err := report.Build(context.Background(), st, bot, report.Options{From: end.AddDate(0, 0, -14), To: end, By: []string{"channel"}, Themes: true, Now: end.Add(7 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return r, bot
}

func render(t *testing.T, r *report.Report, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(context.Background(), &b, r, format); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

func TestTextFormats(t *testing.T) {
	r, _ := demoReport(t)
	table := string(render(t, r, "table"))
	for _, want := range []string{"Automatic resolution (containment)", "First-contact resolution", "refund_auto_approve", "Why customers were dissatisfied", "By channel"} {
		if !strings.Contains(table, want) {
			t.Errorf("table has no %q:\n%s", want, table)
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(render(t, r, "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "channel" || rows[0][2] != "containment_rate" {
		t.Errorf("csv: %d rows, header %v; want a header and email, sms, web", len(rows), rows[0])
	}
	var doc struct {
		KPIs map[string]any `json:"kpis"`
	}
	if err := json.Unmarshal(render(t, r, "json"), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"conversations", "containment_rate", "handoff_rate", "fcr_rate", "csat_average"} {
		if _, ok := doc.KPIs[key].(float64); !ok {
			t.Errorf("json kpis.%s = %v, want a number", key, doc.KPIs[key])
		}
	}
	// A period without contacts: rates are null, not 0.
	empty, err := report.Build(context.Background(), memstore.New(), &policies.Bot{Name: "x"}, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var none struct {
		KPIs map[string]any `json:"kpis"`
	}
	if err := json.Unmarshal(render(t, empty, "json"), &none); err != nil {
		t.Fatal(err)
	}
	if none.KPIs["conversations"] != 0.0 || none.KPIs["containment_rate"] != nil || none.KPIs["csat_average"] != nil {
		t.Errorf("empty kpis = %v; want conversations 0 and null rates", none.KPIs)
	}
}

// TestXLSX opens the workbook with a real reader (openpyxl).
func TestXLSX(t *testing.T) {
	python := need(t, "/usr/bin/python3", "python3-openpyxl")
	if err := exec.Command(python, "-c", "import openpyxl").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openpyxl is missing: apt-get install python3-openpyxl")
		}
		t.Skip("openpyxl is missing; apt-get install python3-openpyxl")
	}
	r, _ := demoReport(t)
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := os.WriteFile(path, render(t, r, "xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
s = wb["Summary"]
figures = {s.cell(row=r, column=1).value: s.cell(row=r, column=2).value for r in range(8, s.max_row + 1)}
print(json.dumps({"sheets": wb.sheetnames, "figures": figures, "format": s["B9"].number_format,
  "rules": [[c.value for c in row] for row in wb["Rules"].iter_rows(min_row=2, max_col=5)]}))
`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var got struct {
		Sheets  []string       `json:"sheets"`
		Figures map[string]any `json:"figures"`
		Format  string         `json:"format"`
		Rules   [][]any        `json:"rules"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := []string{"Summary", "Outcomes", "By channel", "Days", "Hours", "Rules", "Handoffs and tickets", "Satisfaction", "Unanswered", "Intents"}
	if strings.Join(got.Sheets, ",") != strings.Join(want, ",") {
		t.Errorf("sheets = %v, want %v", got.Sheets, want)
	}
	if n, _ := got.Figures["Conversations"].(float64); int(n) != r.KPIs.Conversations {
		t.Errorf("Summary conversations = %v, want %d", got.Figures["Conversations"], r.KPIs.Conversations)
	}
	if v, _ := got.Figures["Automatic resolution (containment)"].(float64); v != *r.KPIs.ContainmentRate || got.Format != "0.00%" {
		t.Errorf("containment = %v (%s), want %v as a percentage", v, got.Format, *r.KPIs.ContainmentRate)
	}
	if len(got.Rules) == 0 || got.Rules[0][1] != "track_order" && got.Rules[0][1] != "refund_auto_approve" && got.Rules[0][1] != "shipped" {
		t.Errorf("rules sheet = %v", got.Rules)
	}
}

// TestHTMLAndPDF renders the page and the PDF in Chromium and pdftoppm; with
// -update the pictures go to docs/images for the README.
func TestHTMLAndPDF(t *testing.T) {
	chrome, err := report.FindBrowser()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	pdftoppm := need(t, "pdftoppm", "poppler-utils")
	r, _ := demoReport(t)
	dir := t.TempDir()
	if *update {
		dir = filepath.Join("..", "..", "docs", "images")
	}
	page := render(t, r, "html")
	if bytes.Contains(page, []byte("<script")) || bytes.Contains(page, []byte(`src="http`)) || bytes.Contains(page, []byte(`href="http`)) {
		t.Error("the HTML report is not self-contained")
	}
	htmlPath := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(htmlPath, page, 0o644); err != nil {
		t.Fatal(err)
	}
	allocCtx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1200, 900))...)
	defer cancel()
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	defer cancelCtx()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+htmlPath), chromedp.WaitVisible(chromedp.CSS(".cards"))); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if width > 1200 {
		t.Errorf("the page is %d px wide in a 1200 px window", width)
	}
	if err := os.WriteFile(filepath.Join(dir, "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}

	pdf := render(t, r, "pdf")
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	pdfPath := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", pdfPath, filepath.Join(dir, "report-pdf")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "report-pdf-1.png")); err != nil {
		t.Errorf("pdftoppm made no page: %v", err)
	}
}
