package knowledge

import (
	"path/filepath"
	"runtime"
	"testing"
)

// shopDir is the example shop bot, whose knowledge base the evaluation uses.
func shopDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "shop")
}

var shopSources = []Source{{Glob: "knowledge/*.md"}, {Glob: "knowledge/*.csv"}, {Glob: "knowledge/*.hcl"}}

func TestLoadShopKB(t *testing.T) {
	chunks, err := Load(shopDir(t), shopSources)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chunks {
		t.Logf("%-60s %s %3d %q", c.ID, c.Lang, c.Line, c.Title)
	}
}
