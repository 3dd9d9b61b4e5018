package turn

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
)

// TestPrepareChecksJSONUnlessEncoded: a record's JSON is checked unless the
// caller's own encoders wrote it (Encoded), and either way Prepare copies it
// into memory of its own.
func TestPrepareChecksJSONUnlessEncoded(t *testing.T) {
	bad := json.RawMessage(`{"a":`)
	good := json.RawMessage(`{"a":1}`)
	records := map[string]func() store.TurnRecord{
		"event": func() store.TurnRecord {
			return store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "x", Data: good}, {Seq: 2, Type: "x", Data: bad}}}
		},
		"snapshot": func() store.TurnRecord {
			return store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "x"}}, Snapshot: bad, SnapshotSeq: 1}
		},
		"result":  func() store.TurnRecord { return store.TurnRecord{Result: bad} },
		"contact": func() store.TurnRecord { return store.TurnRecord{Contact: &store.ContactState{State: bad}} },
	}
	now := time.Now()
	for name, rec := range records {
		t.Run(name, func(t *testing.T) {
			if _, err := Prepare(&store.Conversation{ID: "c"}, rec(), now); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
				t.Errorf("checked: error %v, want one saying the JSON is not valid", err)
			}
			in := rec()
			in.Encoded = true
			out, err := Prepare(&store.Conversation{ID: "c"}, in, now)
			if err != nil {
				t.Fatalf("encoded: %v", err)
			}
			// The copies are equal and share no memory with the caller's.
			if diff := cmp.Diff(in.Events, out.Events, cmp.Comparer(func(a, b time.Time) bool { return true })); diff != "" {
				t.Errorf("events (-in +out):\n%s", diff)
			}
			for i := range in.Events {
				if len(in.Events[i].Data) > 0 && &in.Events[i].Data[0] == &out.Events[i].Data[0] {
					t.Errorf("event %d's data is shared with the caller", i)
				}
			}
		})
	}
}

// TestPrepareEventsBlock: the events' data share one block, each capped, so
// appending to one never writes over the next.
func TestPrepareEventsBlock(t *testing.T) {
	in := store.TurnRecord{Events: []store.Event{{Seq: 1, Type: "a", Data: json.RawMessage(`1`)}, {Seq: 2, Type: "b"}, {Seq: 3, Type: "c", Data: json.RawMessage(`[]`)}, {Seq: 4, Type: "d", Data: json.RawMessage(`"x"`)}}}
	out, err := Prepare(&store.Conversation{ID: "c"}, in, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if out.Events[1].Data != nil {
		t.Errorf("nil data became %q", out.Events[1].Data)
	}
	_ = append(out.Events[0].Data, '9')
	var got []string
	for _, e := range out.Events {
		got = append(got, string(e.Data))
	}
	if diff := cmp.Diff([]string{"1", "", "[]", `"x"`}, got); diff != "" {
		t.Errorf("data after an append to the first (-want +got):\n%s", diff)
	}
}
