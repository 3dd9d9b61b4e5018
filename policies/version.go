package policies

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"path/filepath"
	"sort"

	"github.com/parleyhq/parley/internal/srcfile"
)

// MaxKnowledgeSourceSize bounds one knowledge source file, for the knowledge
// loader and the policy version alike: a stray binary or dump must not eat the
// process.
const MaxKnowledgeSourceSize = 16 << 20

// contentVersion is the policy version of a bot: the first 16 hex digits of a
// SHA-256 over every file the bot is made of (its .hcl files, and the files its
// knowledge block's sources match), in order of their slash-separated path
// relative to the bot folder, each as its path's length and bytes, then its
// content's length and bytes. It is the same on every machine for the same
// files, whatever the folder is called, and changes when any of them does.
// Docs: docs/reports.md, "Policy versions".
func contentVersion(dir string, files map[string][]byte, bot *Bot) string {
	all := map[string][]byte{}
	for name, src := range files {
		all[relSlash(dir, name)] = src
	}
	if dir != "" && bot.Knowledge != nil {
		// The same matching as the knowledge loader ("**" spans folders). A file
		// it refuses (a FIFO, a device, one too large) is left out here: loading
		// the knowledge base reports it by name.
		for _, pattern := range bot.Knowledge.Sources {
			matches, _ := SourceFiles(dir, pattern)
			for _, m := range matches {
				if b, err := srcfile.Read(filepath.Join(dir, filepath.FromSlash(m)), MaxKnowledgeSourceSize); err == nil {
					all[m] = b
				}
			}
		}
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	var n [8]byte
	write := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	for _, name := range names {
		write([]byte(name))
		write(all[name])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func relSlash(dir, path string) string {
	if dir != "" {
		if rel, err := filepath.Rel(dir, path); err == nil {
			path = rel
		}
	}
	return filepath.ToSlash(path)
}
