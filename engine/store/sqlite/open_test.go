package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/store/sqlite"
)

// TestOpenReportsAFailedMigration: a file that is not a database fails Open
// with an error naming it, instead of a store without a writer.
func TestOpenReportsAFailedMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 512)), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), path)
	if err == nil {
		st.Close()
		t.Fatal("Open succeeded on a file that is not a database")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
}
