package parleycmd

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// seededDatabase runs a few conversations of reportBot on an embedded store
// and returns its path.
func seededDatabase(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parley.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bot, diags := engine.Load(dir, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	now := time.Now().Add(-2 * time.Hour)
	clock := func() time.Time { return now }
	e, err := engine.New(ctx, bot, engine.Options{Store: st, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for i, text := range []string{"hello", "good morning", "blorf wibble, my email is zoe@example.com"} {
		if _, err := e.Handle(ctx, engine.Message{ConversationID: "c" + string(rune('1'+i)), Channel: "web", CustomerID: "u" + string(rune('1'+i)), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(time.Hour)
	if n, err := e.SettleDue(ctx, 10); err != nil || n != 3 {
		t.Fatalf("settled %d, %v; want 3", n, err)
	}
	return path
}

func TestReportCommand(t *testing.T) {
	dir := writeBot(t, map[string]string{"bot.hcl": reportBot})
	db := seededDatabase(t, dir)

	code, out, errOut := runCmd(t, "", "report", "-database", db, "-format", "json", "-from", "1d", dir)
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	var doc struct {
		KPIs map[string]any `json:"kpis"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if doc.KPIs["conversations"] != 3.0 || doc.KPIs["containment_rate"] != 2.0/3 || doc.KPIs["csat_average"] != nil || doc.KPIs["handoff_rate"] != 0.0 {
		t.Errorf("kpis = %v", doc.KPIs)
	}

	code, out, errOut = runCmd(t, "", "report", "-database", db, "-by", "channel,language", dir)
	if code != 0 || !strings.Contains(out, "Automatic resolution") || !strings.Contains(out, "CHANNEL") {
		t.Errorf("report table: exit %d\n%s%s", code, out, errOut)
	}
	xlsx := filepath.Join(t.TempDir(), "r.xlsx")
	if code, _, errOut := runCmd(t, "", "report", "-database", db, "-format", "xlsx", "-o", xlsx, dir); code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(xlsx); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Errorf("xlsx file: %v", err)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "-by", "colour", dir}, 2, `-by "colour"`},
		{[]string{"report", "-format", "docx", dir}, 2, `-format "docx"`},
		// Worded as GET /v1/reports words them (report.ParsePeriod).
		{[]string{"report", "-from", "last tuesday", dir}, 2, `from "last tuesday" is not a date (2026-11-23), a time (2026-11-23T09:00), RFC 3339`},
		{[]string{"report", "-to", "soon", dir}, 2, `to "soon" is not a date`},
		{[]string{"report", "-from", "2026-11-23", "-to", "2026-11-22", dir}, 2, "from must be before to"},
		{[]string{"report", "-to", "2026-01-01", dir}, 0, ""}, // the 7 days before it, as GET /v1/reports?to=
	} {
		code, _, errOut := runCmd(t, "", append(tc.args[:1], append([]string{"-database", db}, tc.args[1:]...)...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}

	// No browser: the PDF error says which and how to get one.
	t.Setenv("PARLEY_CHROME", filepath.Join(t.TempDir(), "no-chromium-here"))
	code, _, errOut = runCmd(t, "", "report", "-database", db, "-format", "pdf", "-o", filepath.Join(t.TempDir(), "r.pdf"), dir)
	if code == 0 || !strings.Contains(errOut, "PARLEY_CHROME") {
		t.Errorf("pdf without a browser: exit %d, %q", code, errOut)
	}
}

func TestExportCommand(t *testing.T) {
	dir := writeBot(t, map[string]string{"bot.hcl": reportBot})
	db := seededDatabase(t, dir)

	code, out, errOut := runCmd(t, "", "export", "conversations", "-database", db, "-format", "csv", dir)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "conversation_id" || len(rows) < 10 {
		t.Fatalf("export conversations: %d rows, header %v", len(rows), rows[0])
	}
	if strings.Contains(out, "zoe@example.com") {
		t.Error("the export shows a customer's email in the clear")
	}
	customerLines := 0
	for _, r := range rows[1:] {
		if r[7] == "customer" {
			customerLines++
		}
	}
	if customerLines != 3 || !strings.Contains(errOut, "exported") {
		t.Errorf("%d customer messages exported, want 3 (%s)", customerLines, errOut)
	}

	// JSON lines, the default format: one object per event, keyed as the CSV.
	code, out, errOut = runCmd(t, "", "export", "conversations", "-database", db, dir)
	if code != 0 {
		t.Fatalf("export conversations as JSON lines: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(rows)-1 {
		t.Errorf("%d JSON lines, want one per CSV row (%d)", len(lines), len(rows)-1)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first["conversation_id"] != rows[1][0] {
		t.Errorf("first JSON line %q (%v), want conversation_id %q", lines[0], err, rows[1][0])
	}

	code, out, errOut = runCmd(t, "", "export", "audit", "-database", db, dir)
	if code != 0 {
		t.Fatalf("export audit: exit %d: %s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var entry map[string]any
		if line != "" && json.Unmarshal([]byte(line), &entry) != nil {
			t.Errorf("not a JSON line: %q", line)
		}
	}
	if code, _, _ := runCmd(t, "", "export", "tickets", "-database", db, dir); code != 2 {
		t.Errorf("export tickets: exit %d, want 2", code)
	}
}
