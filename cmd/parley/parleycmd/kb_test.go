package parleycmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/sqlite"
)

// TestKBUnansweredMasks: `parley kb unanswered` prints no card number, email
// or phone in the clear, nor a control character, even for questions stored
// before they were masked.
func TestKBUnansweredMasks(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "parley.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := st.Begin(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	question := "card 4111 1111 1111 1111 refund? mail ann@example.com or call 13812345678 \x1b[2J"
	if err := tx.Commit(ctx, store.TurnRecord{ConversationID: "c1", Status: "active",
		Events:     []store.Event{{Seq: 1, Type: "message_received", At: time.Now(), Data: json.RawMessage(`{}`)}},
		Unanswered: []store.UnansweredQuestion{{Question: question, ConversationID: "c1", At: time.Now()}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, stdout, stderr := runCmd(t, "", "kb", "unanswered", "-database", db, shop)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, secret := range []string{"4111 1111 1111 1111", "ann@example.com", "13812345678", "\x1b"} {
		if strings.Contains(stdout, secret) {
			t.Errorf("output holds %q:\n%s", secret, stdout)
		}
	}
	if !strings.Contains(stdout, "refund?") {
		t.Errorf("output lost the question:\n%s", stdout)
	}
}

// TestEmbeddedStoreInUse: a command on a bot whose embedded database a
// `parley serve` holds says so, and what to do instead.
func TestEmbeddedStoreInUse(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parley.db")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, _, stderr := runCmd(t, "", "kb", "unanswered", "-database", db, shop)
	want := fmt.Sprintf("is in use by process %d, most likely a `parley serve` of this bot", os.Getpid())
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "-database memory") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 naming the process and -database memory", code, stderr)
	}
}

// TestEmbeddedStoreInUseToRead: report and plan read what the server
// recorded, so a throwaway store is no help: they say how to read a copy.
func TestEmbeddedStoreInUseToRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parley.db")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, args := range [][]string{{"report", "-database", db, shop}, {"plan", "-database", db, shop}} {
		code, _, stderr := runCmd(t, "", args...)
		if code != 1 || !strings.Contains(stderr, "is in use by") || !strings.Contains(stderr, `sqlite3 `+db+` ".backup`) || strings.Contains(stderr, "-database memory") {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant exit 1 and how to read a copy", args[0], code, stderr)
		}
	}
}
