package parleycmd

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/parleyhq/parley/engine/store/postgres/pgtest"
)

// reportBot is a small bot with a daily report due at midnight, so that it is
// due whenever the test runs.
const reportBot = `
bot "reporting" {
  languages = ["en"]
  business_hours {
    time_zone = "Asia/Shanghai"
    weekdays  = "09:00-18:00"
  }
}

intent "hello" {
  examples = ["hello", "hi there", "good morning", "hey", "good evening"]
}

answer "hello" {
  intent = intent.hello
  reply  = "Hello! How can I help?"
}

report "daily" {
  schedule   = "daily 00:00"
  format     = "xlsx"
  recipients = ["lead@shop.example", "ops@shop.example"]
}
`

// startSMTP runs Debian's aiosmtpd on loopback, keeping what it receives in a
// Maildir, and returns its port and the Maildir's new/ folder.
func startSMTP(t *testing.T) (int, string) {
	t.Helper()
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import aiosmtpd").Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the SMTP test needs aiosmtpd: apt-get install python3-aiosmtpd")
		}
		t.Skip("aiosmtpd is missing; apt-get install python3-aiosmtpd to run the SMTP test")
	}
	port := 0
	for p := 18620; p < 18660; p++ {
		if ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
			ln.Close()
			port = p
			break
		}
	}
	if port == 0 {
		t.Fatal("no free port in 18620-18659")
	}
	dir := filepath.Join(t.TempDir(), "mail")
	cmd := exec.Command(python, "-m", "aiosmtpd", "-n", "-l", fmt.Sprintf("127.0.0.1:%d", port), "-c", "aiosmtpd.handlers.Mailbox", dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("aiosmtpd: %s", stderr.String())
		}
	})
	waitUntil(t, "the SMTP server", func() bool {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return port, filepath.Join(dir, "new")
}

func mailbox(t *testing.T, dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		out = append(out, filepath.Join(dir, e.Name()))
	}
	return out
}

// TestScheduledReportOverSMTP: two `parley serve` instances on one PostgreSQL
// database send the daily report once, to a real SMTP server, as a workbook;
// an instance started later does not send it again.
func TestScheduledReportOverSMTP(t *testing.T) {
	url := pgtest.URL(t)
	port, inbox := startSMTP(t)
	schema := pgtest.Schema(t, url)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	// The schema first, then public, where the vector extension lives.
	dsn := url + "&search_path=" + schema + "%2Cpublic"
	if !strings.Contains(url, "?") {
		dsn = url + "?search_path=" + schema + "%2Cpublic"
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bot.hcl"), []byte(reportBot), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PARLEY_SMTP_HOST", "127.0.0.1")
	t.Setenv("PARLEY_SMTP_PORT", fmt.Sprint(port))
	t.Setenv("PARLEY_SMTP_FROM", "Parley Reports <reports@shop.example>")
	t.Setenv("PARLEY_SECRET", strings.Repeat("s", 32))
	bin := buildParley(t)
	first := serveBot(t, bin, dir, "-database", dsn)
	second := serveBot(t, bin, dir, "-database", dsn)
	waitUntil(t, "the report email", func() bool { return len(mailbox(t, inbox)) > 0 })
	time.Sleep(2 * time.Second) // both schedulers have ticked by now
	if n := len(mailbox(t, inbox)); n != 1 {
		t.Fatalf("%d emails, want 1", n)
	}
	_ = first.cmd.Process.Kill()
	third := serveBot(t, bin, dir, "-database", dsn)
	time.Sleep(2 * time.Second)
	if n := len(mailbox(t, inbox)); n != 1 {
		t.Fatalf("after a restart: %d emails, want 1", n)
	}
	_ = second
	_ = third

	raw, err := os.ReadFile(mailbox(t, inbox)[0])
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if to := msg.Header.Get("To"); !strings.Contains(to, "lead@shop.example") || !strings.Contains(to, "ops@shop.example") {
		t.Errorf("To: %q", to)
	}
	if !strings.Contains(msg.Header.Get("Subject"), `"daily"`) || !strings.HasPrefix(msg.Header.Get("Message-Id"), "<parley-report.reporting.daily.") {
		t.Errorf("Subject %q, Message-ID %q", msg.Header.Get("Subject"), msg.Header.Get("Message-Id"))
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var body string
	var xlsx []byte
	var name string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		if p.FileName() != "" {
			xlsx, name = data, p.FileName()
		} else {
			body = string(data)
		}
	}
	if !strings.Contains(body, "Automatic resolution") || !strings.HasSuffix(name, ".xlsx") || !bytes.HasPrefix(xlsx, []byte("PK")) {
		t.Fatalf("body %q, attachment %q of %d bytes", body, name, len(xlsx))
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, xlsx, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import openpyxl").Run(); err == nil {
		out, err := exec.Command("/usr/bin/python3", "-c", "import sys, json, openpyxl; print(json.dumps(openpyxl.load_workbook(sys.argv[1]).sheetnames))", path).CombinedOutput()
		var sheets []string
		if err != nil || json.Unmarshal(out, &sheets) != nil || len(sheets) == 0 || sheets[0] != "Summary" {
			t.Errorf("openpyxl: %v %s", err, out)
		}
	}
}
