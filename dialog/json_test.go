package dialog

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// TestAppendJSON: AppendJSON writes what json.Marshal does, for events and
// states with every field set at random (strings that need escaping, odd
// numbers and times, nil and empty lists and maps, connector data of any
// type), and for those real conversations make.
func TestAppendJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(name string, v any, appendJSON func([]byte) ([]byte, error)) {
		t.Helper()
		want, wantErr := json.Marshal(v)
		prefix := []byte("x")
		got, err := appendJSON(prefix)
		if (err != nil) != (wantErr != nil) || string(got) != "x"+string(want) {
			t.Fatalf("%s: AppendJSON = %s, %v\njson.Marshal = %s, %v", name, got, err, want, wantErr)
		}
	}
	for i := range 3000 {
		var ev Event
		fill(r, reflect.ValueOf(&ev).Elem(), 0)
		check("random event", &ev, ev.AppendJSON)
		var st State
		fill(r, reflect.ValueOf(&st).Elem(), 0)
		check("random state", &st, st.AppendJSON)
		if i%100 == 0 {
			// Times JSON cannot hold, and the zero time.
			for _, at := range []time.Time{{}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
				time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("odd", 25*3600)), time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("sec", 3600+30))} {
				ev.At, st.LastActivity = at, at
				check("event at "+at.String(), &ev, ev.AppendJSON)
				check("state at "+at.String(), &st, st.AppendJSON)
			}
		}
	}

	bot := loadBot(t, shopDir)
	c := newConvo(t, bot, "conv-json")
	c.withData("orders", orderData("AB123456", "delivered", 499))
	c.send(refundWrongItem())
	c.send(yes())
	c.send(say("what's your <b>return</b> policy & fees?", intent("return_policy", 0.9)))
	for _, ev := range c.log {
		check(ev.Type, &ev, ev.AppendJSON)
	}
	check("state", &c.st, c.st.AppendJSON)
}

var fillStrings = []string{"", "a", "refund", "AB123456", `quo"te`, `back\slash`, "<b>&amp;</b>", "tab\tnew\nline\r", "\x00\x01\x1f\x7f",
	"\b\f", "é中文", "\u2028\u2029", "bad \xff\xfe utf8", "\xe4\xb8", "emoji 😀", "/slash/"}

var fillFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 320, 499.99, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 1.5e300, 0.9902635181338636, -123456.789, math.MaxFloat64, math.SmallestNonzeroFloat64}

// fill sets v to a random value of its type, every field of a struct.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(fillStrings[r.IntN(len(fillStrings))])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		if v.Type() == reflect.TypeFor[time.Duration]() {
			v.SetInt(int64(r.IntN(3)) * int64(time.Hour))
			return
		}
		v.SetInt([]int64{0, 1, -3, 42, math.MaxInt32}[r.IntN(5)])
	case reflect.Float64:
		v.SetFloat(fillFloats[r.IntN(len(fillFloats))])
	case reflect.Pointer:
		if r.IntN(3) == 0 || depth > 4 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(r, p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		switch n := r.IntN(4); {
		case n == 0 || depth > 4:
		case n == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := range n - 1 {
				fill(r, s.Index(i), depth+1)
			}
			v.Set(s)
		}
	case reflect.Map:
		switch n := r.IntN(4); {
		case n == 0 || depth > 4:
		case n == 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			for range n {
				k := reflect.New(v.Type().Key()).Elem()
				fill(r, k, depth+1)
				e := reflect.New(v.Type().Elem()).Elem()
				fill(r, e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Interface:
		if x := anyValue(r, depth); x != nil {
			v.Set(reflect.ValueOf(x))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("", -5*3600-1800)}
			at := time.Date(2020+r.IntN(10), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(3)*123456789, zones[r.IntN(len(zones))])
			v.Set(reflect.ValueOf(at))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i), depth)
			}
		}
	}
}

// anyValue is connector data: mostly what JSON decoding makes, sometimes a Go
// type of a connector's own.
func anyValue(r *rand.Rand, depth int) any {
	if depth > 4 {
		return "leaf"
	}
	switch r.IntN(11) {
	case 0:
		return nil
	case 1:
		return fillStrings[r.IntN(len(fillStrings))]
	case 2:
		return fillFloats[r.IntN(len(fillFloats))]
	case 3:
		return r.IntN(2) == 0
	case 4:
		return []any{anyValue(r, depth+1), anyValue(r, depth+1)}
	case 5:
		return map[string]any{fillStrings[r.IntN(len(fillStrings))]: anyValue(r, depth+1), "k": anyValue(r, depth+1)}
	case 6:
		return int64(r.IntN(1 << 20))
	case 7:
		return []string{"x", "<y>"}
	case 8:
		return map[string]string{"a": "b"}
	case 9:
		return []any(nil)
	}
	return map[string]any(nil)
}

// FuzzAppendJSON: any text, number and time in the places a turn puts them
// encodes as json.Marshal encodes it.
func FuzzAppendJSON(f *testing.F) {
	f.Add("refund <b>&</b>", "order_id", 499.99, int64(1764000000), int32(8*3600))
	f.Add("bad \xff utf8 \u2028", "\x00key\"", 1e-7, int64(-62135596800), int32(-30))
	f.Add("", "", math.Copysign(0, -1), int64(253402300800), int32(25*3600))
	f.Fuzz(func(t *testing.T, text, key string, num float64, unix int64, zone int32) {
		at := time.Unix(unix, int64(zone)).In(time.FixedZone(key, int(zone)))
		data := map[string]any{key: text, text: num, "list": []any{num, text, nil, true, map[string]any{key: int64(zone)}}}
		ev := Event{
			Type: text, At: at, Intent: key, Confidence: num, Amount: &num, Data: data, Memory: data,
			Message: &MessageRecord{ID: key, Text: text, Sentiment: num},
			Value:   &SlotValue{Value: text, Number: &num},
			Effect:  &Effect{ID: key, Kind: EffectReply, Reply: &Reply{Text: text, Buttons: []ReplyButton{{Label: text, Payload: key}}}},
		}
		st := State{ConversationID: text, Seq: unix, LastActivity: at, Memory: data, Fired: map[string]bool{key: true, text: false},
			Stack: []Frame{{Dialog: key, Slots: map[string]SlotValue{text: {Value: key, Number: &num}}, Calls: map[string]CallResult{key: {Data: data, Error: text}}}}}
		for _, c := range []struct {
			v      any
			append func([]byte) ([]byte, error)
		}{{&ev, ev.AppendJSON}, {&st, st.AppendJSON}} {
			want, wantErr := json.Marshal(c.v)
			got, err := c.append(nil)
			if (err != nil) != (wantErr != nil) || err == nil && string(got) != string(want) {
				t.Fatalf("AppendJSON = %s, %v\njson.Marshal = %s, %v", got, err, want, wantErr)
			}
		}
	})
}

// BenchmarkEncodeTurn encodes what the engine stores for the refund
// conversation's turns (every event and the state after them) both ways.
func BenchmarkEncodeTurn(b *testing.B) {
	bot := loadBot(b, shopDir)
	c := newConvo(b, bot, "conv-bench")
	c.withData("orders", orderData("AB123456", "delivered", 499))
	c.send(refundWrongItem())
	c.send(yes())
	b.Run("encoder=json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range c.log {
				json.Marshal(&c.log[i])
			}
			json.Marshal(&c.st)
		}
	})
	b.Run("encoder=AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = buf[:0]
			for i := range c.log {
				buf, _ = c.log[i].AppendJSON(buf)
			}
			buf, _ = c.st.AppendJSON(buf)
		}
	})
}
