package dialog

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// randomConversation drives a bot with random inputs, answering awaited effects
// the way a flaky engine might, and checks that nothing panics (Step turns panics
// into "internal error" events), that Replay agrees with Step, and that every
// reply has text.
func randomConversation(t *testing.T, bot *policies.Bot, seed uint64, steps int) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var intents []string
	for _, in := range bot.Intents {
		intents = append(intents, in.Name)
	}
	intents = append(intents, "", "no_such_intent")
	entTypes := []string{"order_id", "refund_reason", "reason", "product", "phone", "number", "money", "yes_no", "email", "date", "text", "nonsense"}
	values := []string{"AB123456", "CD654321", "ZZ999999", "damaged", "wrong_item", "13812345678", "12", "yes", "no", "", "好的", "\x00\xff", strings.Repeat("x", 300)}
	texts := []string{"", "   ", "yes", "no", "hello", "AB123456", "13812345678", "12 Main St, Springfield 12345", "取消", "算了", "/human", "\xff\xfe"}

	st := NewState(fmt.Sprintf("fuzz-%d", seed))
	var log []Event
	now := monday10
	customers := []cty.Value{cty.NilVal, cty.NullVal(cty.DynamicPseudoType), cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("Ann"), "vip": cty.True}), cty.StringVal("odd")}
	for i := 0; i < steps; i++ {
		now = now.Add(time.Duration(r.IntN(3600)) * time.Second)
		in := Input{Now: now, Customer: customers[r.IntN(len(customers))]}
		switch aw := st.Awaiting(); {
		case aw != nil && r.IntN(10) < 8:
			res := Result{EffectID: aw.ID}
			switch r.IntN(5) {
			case 0:
				res.Error = []string{"not_found", "timeout", "unavailable", "error"}[r.IntN(4)]
			case 1:
				res.Data = map[string]any{"status": "processing", "total": float64(r.IntN(10000)), "refund_id": "RF-1", "nested": map[string]any{"a": []any{1.0, "x", nil}}}
			case 2:
				res.Data = nil
			default:
				res.Data = map[string]any{"status": []string{"shipped", "processing", "delivered"}[r.IntN(3)], "total": float64(r.IntN(10000)), "carrier": "SF", "eta": "2026-11-25", "refund_id": "RF-2"}
			}
			if aw.Kind == EffectTicket && r.IntN(4) > 0 {
				res.TicketID = fmt.Sprintf("T-%d", i)
			}
			in.Result = &res
		case r.IntN(12) == 0:
			in.HandBack = &HandBack{Agent: "a"}
		case r.IntN(15) == 0:
			in.Result = &Result{EffectID: fmt.Sprintf("bogus/%d", i)}
		default:
			res := nlu.Result{Text: texts[r.IntN(len(texts))], Language: []string{"en", "zh", "fr", ""}[r.IntN(4)], Sentiment: r.Float64()*2 - 1}
			if r.IntN(2) == 0 {
				res.Text = fmt.Sprintf("msg %d", r.IntN(100))
			}
			for range r.IntN(3) {
				res.Intents = append(res.Intents, nlu.IntentScore{Name: intents[r.IntN(len(intents))], Confidence: r.Float64()})
			}
			for range r.IntN(4) {
				res.Entities = append(res.Entities, nlu.Entity{Type: entTypes[r.IntN(len(entTypes))], Value: values[r.IntN(len(values))], Number: r.Float64() * 1000})
			}
			res.Cancel = r.IntN(10) == 0
			res.Correction = r.IntN(8) == 0
			// Pieces, as the NLU cuts a message that may ask for two things.
			if runes := []rune(res.Text); len(runes) > 2 && r.IntN(3) == 0 {
				cut := len(string(runes[:1+r.IntN(len(runes)-1)]))
				for _, span := range [][2]int{{0, cut}, {cut, len(res.Text)}} {
					res.Parts = append(res.Parts, nlu.Part{Start: span[0], End: span[1], Also: r.IntN(2) == 0, Question: r.IntN(2) == 0,
						Top: nlu.IntentScore{Name: intents[r.IntN(len(intents))], Confidence: r.Float64()}})
				}
			}
			in.Message = &Message{ID: fmt.Sprint(i), Text: res.Text, NLU: res}
			// The engine searches the knowledge base for messages without a
			// confident intent; here any message may come with a search, a hit,
			// or a hit the engine would never send (empty, NaN score).
			switch r.IntN(6) {
			case 0:
				in.Message.Searched = true
			case 1, 2:
				in.Message.Searched = true
				hit := knowledgeHits[r.IntN(len(knowledgeHits))]
				hit.Exact = r.IntN(4) == 0 // one of an FAQ's own wordings
				in.Message.Knowledge = &hit
			}
		}
		next, effs, evs := Step(bot, st, in)
		for _, ev := range evs {
			if ev.Type == EventError && strings.HasPrefix(ev.Error, "internal error") {
				t.Fatalf("seed %d step %d: %s", seed, i, ev.Error)
			}
		}
		for _, e := range effs {
			if e.Kind == EffectReply && strings.TrimSpace(e.Reply.Text) == "" {
				t.Fatalf("seed %d step %d: empty reply", seed, i)
			}
		}
		log = append(log, evs...)
		st = next
		if got := Replay(bot, NewState(st.ConversationID), log); !equalStates(got, st) {
			t.Fatalf("seed %d step %d: Replay differs from Step", seed, i)
		}
	}
}

var knowledgeHits = []KnowledgeAnswer{
	{ChunkID: "knowledge/returns.md#refunds", Title: "Returns > Refunds", Source: "knowledge/returns.md", Text: "Refunds take 3-5 days.", Score: 0.4},
	{ChunkID: "knowledge/faq.hcl#hours_zh", Title: "客服工作时间是什么时候？", Text: "工作日 9:00-18:00。", Score: 0.9},
	{ChunkID: "x#empty", Title: "Empty", Text: "  "},
	{ChunkID: "x#nan", Text: "odd score", Score: math.NaN()},
	{Text: "${not.a.template} %{if}", Title: "\xff"},
}

func equalStates(a, b State) bool {
	return fmt.Sprintf("%+v", normalize(a)) == fmt.Sprintf("%+v", normalize(b))
}

func normalize(s State) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d %s %d %d %v %v %v %s %v %s %v|", s.ConversationID, s.Seq, s.Language, s.Turns, s.Failures, s.LastActivity, s.Last, s.HandedOff, s.HandoffQueue, s.Ended, s.TicketID, s.Pending != nil)
	for _, f := range s.Stack {
		fmt.Fprintf(&b, "%s %v %v %s %v %v;", f.Dialog, f.Slots, len(f.Calls), f.Asking, f.Confirmed, f.Retries)
	}
	return b.String()
}

func TestRandomConversations(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 30
	}
	for _, dir := range []string{miniDir, shopDir} {
		bot := loadBot(t, dir)
		for seed := range uint64(n) {
			randomConversation(t, bot, seed, 40)
		}
	}
}

func FuzzStep(f *testing.F) {
	for _, s := range []uint64{1, 2, 3, 42, 1 << 40} {
		f.Add(binary.LittleEndian.AppendUint64(nil, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var seed uint64
		for i, b := range data {
			seed ^= uint64(b) << (8 * (i % 8))
		}
		randomConversation(t, loadBot(t, miniDir), seed, 60)
		randomConversation(t, loadBot(t, shopDir), seed, 60)
	})
}
