package knowledge

import (
	"context"
	"fmt"
	"slices"

	"github.com/tmc/langchaingo/embeddings"

	"github.com/parleyhq/parley/nlu/embed"
)

// Group clusters questions the knowledge base could not answer, so the most
// asked missing topics show up first. Each group is a list of indexes into
// questions: the question with the most similar neighbours (cosine >=
// threshold) among those left seeds a group with all those neighbours, until
// every question is placed. Groups come biggest first, then by their first
// index; indexes inside a group are ascending. The result depends only on the
// input. It compares every pair, so it suits a report over thousands of
// questions, not millions.
func Group(ctx context.Context, questions []string, emb embeddings.Embedder, threshold float32) ([][]int, error) {
	if len(questions) == 0 {
		return nil, nil
	}
	vecs, err := emb.EmbedDocuments(ctx, questions)
	if err != nil {
		return nil, fmt.Errorf("group questions: %w", err)
	}
	if len(vecs) != len(questions) {
		return nil, fmt.Errorf("group questions: got %d vectors for %d questions", len(vecs), len(questions))
	}
	for i := range vecs {
		// Normalizing a copy keeps Dot a cosine whatever the embedder returns.
		vecs[i] = slices.Clone(vecs[i])
		embed.Normalize(vecs[i])
	}
	n := len(vecs)
	neighbours := make([][]int, n)
	for i := range n {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("group questions: %w", err)
			}
		}
		for j := i + 1; j < n; j++ {
			if embed.Dot(vecs[i], vecs[j]) >= threshold {
				neighbours[i] = append(neighbours[i], j)
				neighbours[j] = append(neighbours[j], i)
			}
		}
	}
	placed := make([]bool, n)
	var groups [][]int
	for left := n; left > 0; {
		seed, best := -1, -1
		for i := range n {
			if placed[i] {
				continue
			}
			c := 0
			for _, j := range neighbours[i] {
				if !placed[j] {
					c++
				}
			}
			if c > best {
				seed, best = i, c
			}
		}
		group := []int{seed}
		placed[seed] = true
		for _, j := range neighbours[seed] {
			if !placed[j] {
				placed[j] = true
				group = append(group, j)
			}
		}
		slices.Sort(group)
		groups = append(groups, group)
		left -= len(group)
	}
	slices.SortStableFunc(groups, func(a, b []int) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return a[0] - b[0]
	})
	return groups, nil
}
