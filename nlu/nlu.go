// Package nlu turns a message into ranked intents, entities and a sentiment score.
// It is offline and trains in process when a bot loads. It knows nothing of the
// policy language: the engine hands it plain training data.
package nlu

// TrainingData is everything the NLU learns from.
type TrainingData struct {
	Intents  []IntentData
	Entities []EntityData
}

type IntentData struct {
	Name     string
	Examples []ExampleData
}

type ExampleData struct {
	Text        string
	Annotations []AnnotationData // byte offsets into Text
}

type AnnotationData struct {
	Entity     string
	Start, End int
}

// EntityData describes a user-defined entity. Builtin types (number, money, email,
// phone, date, yes_no) are always extracted and need no EntityData.
type EntityData struct {
	Name       string
	Pattern    string // a Go regexp; "" for a list entity
	IgnoreCase bool
	Values     []EntityValueData
}

type EntityValueData struct {
	Canonical string
	Synonyms  []string
}

// Result is what the NLU makes of one message.
type Result struct {
	Text     string
	Language string // "en" or "zh"; "" when the message gives no sign (only an order number, digits...)
	// Intents are ranked, best first, with calibrated confidences that sum to at most 1.
	Intents []IntentScore
	// Entities found in the text, in order of position, overlaps resolved.
	Entities  []Entity
	Sentiment float64 // -1 (very negative) .. 1 (very positive)

	// Cancel is set for "never mind", "cancel", "算了", "取消"...: the customer abandons the current task.
	Cancel bool
	// CancelFirst is set for a message that opens with a cancel and goes on
	// with something else, after a comma or a space between Chinese words:
	// "算了，不退了，帮我查下FN100001什么时候送", "never mind, where is my
	// order?". No entity lies in the opening, so "不想要了" as a refund reason
	// is not one. Cancel and CancelFirst are never both set.
	CancelFirst bool
	// Correction is set for "actually it's...", "I meant...", "不对，是...": a new value replaces an old one.
	Correction bool
	// Parts are the pieces of a message that may ask for more than one
	// thing, each ranked alone (see Part); nil for a message of one piece.
	Parts []Part `json:",omitempty"`
}

type IntentScore struct {
	Name       string
	Confidence float64
}

// Entity is one value found in a message.
type Entity struct {
	Type       string  // an entity name or a builtin type
	Value      string  // canonical: "AB123456", "laptop", "499.00", "2026-11-24", "yes"
	Number     float64 // for number and money
	Currency   string  // for money, when the text names one
	Text       string  // as written
	Start, End int     // byte offsets
	// Negated marks a value the customer says they do not want: the
	// Wednesday of "not Wednesday" or "不要周三". It is never a slot's value.
	Negated bool `json:",omitempty"`
}

// Top returns the best intent, or a zero IntentScore when there is none.
func (r Result) Top() IntentScore {
	if len(r.Intents) == 0 {
		return IntentScore{}
	}
	return r.Intents[0]
}
