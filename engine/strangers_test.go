package engine_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/engine"
)

// TestStrangerBots: the bots newcomers built from the docs alone
// (testdata/strangers) validate without warnings and pass their own tests.
func TestStrangerBots(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("testdata", "strangers"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			bot, diags := engine.Load(filepath.Join("testdata", "strangers", d.Name()), nil)
			if diags.HasErrors() {
				t.Fatalf("load: %s", diags.Error())
			}
			if len(diags) > 0 {
				t.Errorf("warnings: %s", diags.Error())
			}
			var out bytes.Buffer
			sum, err := engine.RunTests(context.Background(), bot, engine.TestOptions{}, &out)
			if err != nil {
				t.Fatalf("RunTests: %v\n%s", err, out.String())
			}
			if sum.Failed > 0 || sum.Passed == 0 {
				t.Errorf("%d passed, %d failed:\n%s", sum.Passed, sum.Failed, out.String())
			}
		})
	}
}
