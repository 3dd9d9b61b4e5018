package parleycmd

import (
	"runtime/debug"
	"testing"
)

func TestVersionOf(t *testing.T) {
	own := &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}
	custom := &debug.BuildInfo{
		Main: debug.Module{Path: "example.com/acme/parley-connectors", Version: "(devel)"},
		Deps: []*debug.Module{{Path: "golang.org/x/text", Version: "v0.20.0"}, {Path: modulePath, Version: "v1.4.0"}},
	}
	replaced := &debug.BuildInfo{
		Main: debug.Module{Path: "example.com/acme/parley-connectors"},
		Deps: []*debug.Module{{Path: modulePath, Version: "v0.0.0", Replace: &debug.Module{Path: "../parley"}}},
	}
	installed := &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.4.0"}}
	for _, tc := range []struct {
		name, stamped string
		info          *debug.BuildInfo
		want          string
	}{
		{"stamped wins", "v1.5.0", custom, "v1.5.0"},
		{"parley's own build", "dev", own, "dev"},
		{"no build info", "dev", nil, "dev"},
		{"go install of a release", "dev", installed, "v1.4.0"},
		{"custom build", "dev", custom, "v1.4.0"},
		{"custom build over a local parley", "dev", replaced, "v0.0.0 (replaced by ../parley)"},
	} {
		if got := versionOf(tc.stamped, tc.info); got != tc.want {
			t.Errorf("%s: versionOf(%q) = %q, want %q", tc.name, tc.stamped, got, tc.want)
		}
	}
}
