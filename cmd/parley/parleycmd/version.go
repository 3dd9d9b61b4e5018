package parleycmd

import "runtime/debug"

// version is set at build time with
// -ldflags "-X github.com/parleyhq/parley/cmd/parley/parleycmd.version=...".
var version = "dev"

// parleyVersion is the version parley version prints and metrics report. A
// build of your own (a main.go that imports this package) has no -ldflags, so
// it reports the Parley module it was built with, as go.mod required it; so
// does go install of a Parley release.
func parleyVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(version, info)
}

func versionOf(stamped string, info *debug.BuildInfo) string {
	if stamped != "dev" || info == nil {
		return stamped
	}
	// go install github.com/parleyhq/parley/cmd/parley@v1.4.0: parley is
	// the main module, with the version asked for.
	if info.Main.Path == modulePath && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path != modulePath {
			continue
		}
		v := dep.Version
		if dep.Replace != nil {
			v += " (replaced by " + dep.Replace.Path + ")"
		}
		return v
	}
	return stamped
}

const modulePath = "github.com/parleyhq/parley"
