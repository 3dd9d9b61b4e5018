package nlu

import (
	"sync"

	"github.com/go-ego/gse"
)

// gseSegment splits Chinese into words with gse's embedded dictionary, for
// measuring whether segmentation pays (it did not: see BENCHMARKS.md).
var gseSegment = sync.OnceValue(func() func(string) []string {
	var seg gse.Segmenter
	if err := seg.LoadDict("zh_s"); err != nil {
		panic(err)
	}
	return func(s string) []string { return seg.Cut(s, true) }
})
