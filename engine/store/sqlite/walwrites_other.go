//go:build !(linux && (amd64 || arm64))

package sqlite

// gatherWALWrites: SQLite writes the log as it always does (see
// walwrites_linux.go).
func gatherWALWrites() {}
