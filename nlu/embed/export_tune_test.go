//go:build tune

package embed

// TuneVariant is one setting of the feature weights to compare on the
// development half of the shop evaluation set (see tune_test.go).
type TuneVariant struct {
	Name  string
	apply func(p *params)
}

// ApplyTuning makes the embedder use the defaults changed by v, hashing with
// seed.
func ApplyTuning(v TuneVariant, seed uint64) {
	tuning = defaultParams
	tuning.seed = seed * 0x9e3779b97f4a7c15
	if v.apply != nil {
		v.apply(&tuning)
	}

}

// TuneVariants are compared by TestTune: the shipped defaults, each of its
// parts taken away, and the weights that were tried and not kept.
var TuneVariants = []TuneVariant{
	{"current defaults", nil},
	{"v1 (none of the below)", func(p *params) {
		p.concept, p.conceptCross, p.durations, p.unseenBucket, p.vocabBuckets = 0, 0, false, false, false
	}},
	{"- unseen bucket", func(p *params) { p.unseenBucket = false }},
	{"- concepts", func(p *params) { p.concept, p.conceptCross, p.durations = 0, 0, false }},
	{"- cross-language concepts", func(p *params) { p.conceptCross = 0 }},
	{"- durations", func(p *params) { p.durations = false }},
	{"- vocab buckets", func(p *params) { p.vocabBuckets = false }},
	{"concepts 0.7", func(p *params) { p.concept = 0.7 }},
	{"concepts 1.4", func(p *params) { p.concept = 1.4 }},
	{"concepts shared only", func(p *params) { p.concept, p.conceptCross = 0, 1 }},
	{"han1 0.25", func(p *params) { p.han1 = 0.25 }},
	{"han1 0.5", func(p *params) { p.han1 = 0.5 }},
	{"han3 0.3", func(p *params) { p.han3 = 0.3 }},
	{"han3 0", func(p *params) { p.han3 = 0 }},
	{"char 0.15", func(p *params) { p.charGram = 0.15 }},
	{"char 0.3", func(p *params) { p.charGram = 0.3 }},
	{"char 3-4", func(p *params) { p.charMax = 4 }},
	{"char 0", func(p *params) { p.charGram = 0 }},
	{"pair 0.3", func(p *params) { p.wordPair = 0.3 }},
	{"pair 0.9", func(p *params) { p.wordPair = 0.9 }},
	{"idf floor 0.5", func(p *params) { p.idfFloor = 0.5 }},
	{"idf floor 2", func(p *params) { p.idfFloor = 2 }},
}
