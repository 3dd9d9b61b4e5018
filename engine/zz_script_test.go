package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine/store/memstore"
)

var loadScript = []string{
	"where is my order AB123456",
	"I want a refund for order CD654321",
	"it arrived damaged",
	"the box was crushed",
	"yes",
	"thanks",
}

func BenchmarkZZScript(b *testing.B) {
	bot, reg := shopInProcess(b)
	st := memstore.New()
	defer st.Close()
	e, err := New(context.Background(), bot, Options{Store: st, Connectors: reg, Clock: func() time.Time { return monday10 }})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		conv := fmt.Sprintf("bench-%d", i/len(loadScript))
		if _, err := e.Handle(ctx, Message{ConversationID: conv, CustomerID: fmt.Sprintf("cust-%d", i/len(loadScript)%1000), ClientMessageID: fmt.Sprint(i), Text: loadScript[i%len(loadScript)]}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N)*1e6, "cpu-µs/turn")
}
