package engine

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
)

// randomID makes ids for tickets and handoffs: a short prefix for people, then
// 64 random bits, so two instances sharing a database never collide.
func randomID(kind string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return idPrefix(kind) + "-" + strings.ToUpper(hex.EncodeToString(b[:]))
}

// SequentialIDs gives reproducible ids (T-1, T-2, H-1...) for tests and transcripts.
func SequentialIDs() func(kind string) string {
	var mu sync.Mutex
	next := map[string]int{}
	return func(kind string) string {
		mu.Lock()
		defer mu.Unlock()
		next[kind]++
		return fmt.Sprintf("%s-%d", idPrefix(kind), next[kind])
	}
}

func idPrefix(kind string) string {
	switch kind {
	case "ticket":
		return "T"
	case "handoff":
		return "H"
	default:
		return strings.ToUpper(kind[:min(1, len(kind))])
	}
}
