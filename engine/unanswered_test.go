package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestUnansweredQuestionsAreMasked: the questions kept for `parley kb
// unanswered` hold no card number, email or phone in the clear, as the logs
// and the audit trail hold none.
func TestUnansweredQuestionsAreMasked(t *testing.T) {
	st := memstore.New()
	e := newShopEngine(t, st, monday10)
	ctx := context.Background()
	text := "do you sell gift cards? my card is 4111 1111 1111 1111, mail ann@example.com or call 13812345678"
	res, err := e.Handle(ctx, Message{ConversationID: "c1", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Unanswered {
		t.Fatalf("the question was answered (%+v); the test needs one the shop cannot answer", res.Replies)
	}
	qs, err := st.Unanswered(ctx, store.UnansweredFilter{})
	if err != nil || len(qs) != 1 {
		t.Fatalf("unanswered = %+v, %v", qs, err)
	}
	for _, secret := range []string{"4111 1111 1111 1111", "ann@example.com", "13812345678"} {
		if strings.Contains(qs[0].Question, secret) {
			t.Errorf("stored question %q holds %q in the clear", qs[0].Question, secret)
		}
	}
	if !strings.Contains(qs[0].Question, "do you sell gift cards?") {
		t.Errorf("stored question %q lost its words", qs[0].Question)
	}
}
