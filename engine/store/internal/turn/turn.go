// Package turn holds the rules every store applies to a turn, so that the in-memory,
// SQLite and PostgreSQL stores behave identically.
package turn

import (
	"container/heap"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/parleyhq/parley/engine/store"
)

// Now is the store clock: UTC, truncated to microseconds because that is what
// PostgreSQL keeps, so a value reads back exactly as it was written in every store.
func Now() time.Time { return Time(time.Now()) }

// Time normalizes t like Now; the zero time stays zero.
func Time(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// NewID returns a random identifier with a prefix, e.g. "tkt_3f9a...".
func NewID(prefix string) string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return prefix + hex.EncodeToString(b[:])
}

// Prepare validates rec against the conversation loaded under the lock and returns a
// normalized deep copy: defaults filled in, times normalized, IDs generated. The
// result shares no memory with rec.
func Prepare(conv *store.Conversation, rec store.TurnRecord, now time.Time) (store.TurnRecord, error) {
	if rec.ConversationID != "" && rec.ConversationID != conv.ID {
		return rec, fmt.Errorf("turn record for conversation %q committed on %q", rec.ConversationID, conv.ID)
	}
	out := store.TurnRecord{
		ConversationID:  conv.ID,
		ClientMessageID: rec.ClientMessageID,
		CustomerID:      rec.CustomerID,
		Channel:         rec.Channel,
		Status:          rec.Status,
		SnapshotSeq:     rec.SnapshotSeq,
		Snapshot:        CloneRaw(rec.Snapshot),
		Result:          CloneRaw(rec.Result),
		PolicyVersion:   rec.PolicyVersion,
		PolicyLabel:     rec.PolicyLabel,
	}
	// What the engine's encoders wrote is not checked again (TurnRecord.Encoded).
	check := !rec.Encoded
	if rec.Contact != nil {
		if err := validJSON("contact", rec.Contact.State, check); err != nil {
			return rec, err
		}
		out.Contact = &store.ContactState{State: CloneRaw(rec.Contact.State), Due: Time(rec.Contact.Due)}
	}
	for _, o := range rec.Outcomes {
		if o.ConversationID == "" {
			o.ConversationID = conv.ID
		}
		if o.ConversationID != conv.ID {
			return rec, fmt.Errorf("outcome of conversation %q committed on %q", o.ConversationID, conv.ID)
		}
		if o.CustomerID == "" {
			o.CustomerID = out.CustomerID
		}
		o.StartedAt, o.EndedAt, o.SettledAt = Time(o.StartedAt), Time(o.EndedAt), Time(o.SettledAt)
		o.FollowUpS = -1
		out.Outcomes = append(out.Outcomes, o)
	}
	for _, r := range rec.RuleEvents {
		r.ConversationID = conv.ID
		r.At = Time(r.At)
		if r.Amount != nil {
			v := *r.Amount
			r.Amount = &v
		}
		out.RuleEvents = append(out.RuleEvents, r)
	}
	if out.CustomerID == "" {
		out.CustomerID = conv.CustomerID
	}
	if out.Channel == "" {
		out.Channel = conv.Channel
	}
	if out.Status == "" {
		out.Status = conv.Status
	}
	if out.Status == "" {
		out.Status = "active"
	}
	if err := validJSON("result", out.Result, check); err != nil {
		return rec, err
	}

	last := conv.LastSeq
	// The events' data are copied into one block, each a capped slice of it:
	// one allocation for a turn's events instead of one each. They are kept
	// together and dropped together, so the block holds nothing longer.
	size := 0
	for _, e := range rec.Events {
		size += len(e.Data)
	}
	block := make([]byte, 0, size)
	if len(rec.Events) > 0 {
		out.Events = make([]store.Event, 0, len(rec.Events))
	}
	for i, e := range rec.Events {
		if e.Seq != last+1 {
			return rec, fmt.Errorf("event %d has seq %d, want %d: %w", i, e.Seq, last+1, store.ErrConflict)
		}
		if check && len(e.Data) > 0 && !validJSONBytes(e.Data) {
			return rec, fmt.Errorf("event %d data is not valid JSON", e.Seq)
		}
		last = e.Seq
		e.At = Time(e.At)
		if e.At.IsZero() {
			e.At = now
		}
		if e.Data != nil {
			start := len(block)
			block = append(block, e.Data...)
			e.Data = block[start:len(block):len(block)]
		}
		out.Events = append(out.Events, e)
	}

	if len(out.Snapshot) > 0 {
		if err := validJSON("snapshot", out.Snapshot, check); err != nil {
			return rec, err
		}
		if out.SnapshotSeq < conv.SnapshotSeq || out.SnapshotSeq > last {
			return rec, fmt.Errorf("snapshot seq %d outside [%d, %d]", out.SnapshotSeq, conv.SnapshotSeq, last)
		}
	} else {
		// No new snapshot: the stored one stays.
		out.Snapshot = nil
		out.SnapshotSeq = conv.SnapshotSeq
	}

	for _, t := range rec.Tickets {
		if t.ConversationID == "" {
			t.ConversationID = conv.ID
		}
		if t.CustomerID == "" {
			t.CustomerID = out.CustomerID
		}
		out.Tickets = append(out.Tickets, PrepareTicket(t, now))
	}
	for _, a := range rec.Approvals {
		if a.ConversationID == "" {
			a.ConversationID = conv.ID
		}
		if a.ConversationID != conv.ID {
			return rec, fmt.Errorf("approval %q of conversation %q in a turn of %q: %w", a.ID, a.ConversationID, conv.ID, store.ErrConflict)
		}
		if a.CustomerID == "" {
			a.CustomerID = out.CustomerID
		}
		out.Approvals = append(out.Approvals, PrepareApproval(a, now))
	}
	for _, h := range rec.Handoffs {
		h = CloneHandoff(h)
		if h.ID == "" {
			h.ID = NewID("hof_")
		}
		if h.ConversationID == "" {
			h.ConversationID = conv.ID
		}
		if h.CustomerID == "" {
			h.CustomerID = out.CustomerID
		}
		h.CreatedAt = Time(h.CreatedAt)
		if h.CreatedAt.IsZero() {
			h.CreatedAt = now
		}
		h.UpdatedAt = now
		for i := range h.Transcript {
			h.Transcript[i].At = Time(h.Transcript[i].At)
		}
		normalizeHistory(h.History, now)
		out.Handoffs = append(out.Handoffs, h)
	}
	for _, a := range rec.Audit {
		a, err := PrepareAudit(a, now)
		if err != nil {
			return rec, err
		}
		if a.ConversationID == "" {
			a.ConversationID = conv.ID
		}
		out.Audit = append(out.Audit, a)
	}
	for _, ch := range rec.HandoffChanges {
		if ch.HandoffID == "" || ch.Change.Status == "" || len(ch.From) == 0 {
			return rec, fmt.Errorf("handoff change without handoff, status or statuses to change from: %w", store.ErrInvalid)
		}
		ch.From = slices.Clone(ch.From)
		out.HandoffChanges = append(out.HandoffChanges, ch)
	}
	for _, ch := range rec.SummaryChanges {
		if ch.HandoffID == "" || ch.Summary == "" {
			return rec, fmt.Errorf("summary change without handoff or summary: %w", store.ErrInvalid)
		}
		out.SummaryChanges = append(out.SummaryChanges, ch)
	}
	for _, u := range rec.Unanswered {
		if u.ConversationID == "" {
			u.ConversationID = conv.ID
		}
		u.At = Time(u.At)
		if u.At.IsZero() {
			u.At = now
		}
		out.Unanswered = append(out.Unanswered, u)
	}
	for _, s := range rec.Satisfaction {
		if s.ConversationID == "" {
			s.ConversationID = conv.ID
		}
		s.At = Time(s.At)
		if s.At.IsZero() {
			s.At = now
		}
		out.Satisfaction = append(out.Satisfaction, s)
	}
	return out, nil
}

// PrepareAudit validates and normalizes one audit entry; the store assigns ID.
func PrepareAudit(a store.AuditEntry, now time.Time) (store.AuditEntry, error) {
	if a.Action == "" {
		return a, fmt.Errorf("audit entry without action")
	}
	if err := validJSON("audit detail", a.Detail, true); err != nil {
		return a, err
	}
	a.ID = 0
	a.Detail = CloneRaw(a.Detail)
	a.At = Time(a.At)
	if a.At.IsZero() {
		a.At = now
	}
	return a, nil
}

// PrepareChange normalizes a status change made outside a turn.
func PrepareChange(c store.StatusChange, now time.Time) (store.StatusChange, error) {
	if c.Status == "" {
		return c, fmt.Errorf("status change without status")
	}
	c.At = Time(c.At)
	if c.At.IsZero() {
		c.At = now
	}
	return c, nil
}

func normalizeHistory(h []store.StatusChange, now time.Time) {
	for i := range h {
		h[i].At = Time(h[i].At)
		if h[i].At.IsZero() {
			h[i].At = now
		}
	}
}

// validJSON checks raw when check is set.
func validJSON(what string, raw json.RawMessage, check bool) error {
	if check && len(raw) > 0 && !validJSONBytes(raw) {
		return fmt.Errorf("%s is not valid JSON", what)
	}
	return nil
}

// CloneRaw copies raw; nil stays nil.
func CloneRaw(raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return nil
	}
	return slices.Clone(raw)
}

func CloneHandoff(h store.Handoff) store.Handoff {
	h.Slots = maps.Clone(h.Slots)
	h.Unverified = maps.Clone(h.Unverified)
	h.Transcript = slices.Clone(h.Transcript)
	h.History = slices.Clone(h.History)
	return h
}

func CloneEvents(events []store.Event) []store.Event {
	if events == nil {
		return nil
	}
	out := make([]store.Event, len(events))
	for i, e := range events {
		e.Data = CloneRaw(e.Data)
		out[i] = e
	}
	return out
}

func CloneConversation(c *store.Conversation) *store.Conversation {
	out := *c
	out.Snapshot = CloneRaw(c.Snapshot)
	out.Events = CloneEvents(c.Events)
	return &out
}

// Newest keeps the last limit items of an oldest-first slice (limit <= 0: all).
func Newest[T any](items []T, limit int) []T {
	if limit > 0 && len(items) > limit {
		return items[len(items)-limit:]
	}
	return items
}

// AnonymizeHandoff replaces the personal text of a handoff.
func AnonymizeHandoff(h *store.Handoff) {
	h.Summary = store.Purged
	h.Slots = nil
	h.Unverified = nil
	h.Transcript = nil
	for i := range h.History {
		if h.History[i].Note != "" {
			h.History[i].Note = store.Purged
		}
	}
}

// PurgeDetail is the audit detail of a retention.purge entry.
func PurgeDetail(before time.Time, r store.PurgeResult) json.RawMessage {
	b, _ := json.Marshal(map[string]any{
		"before":        before.UTC().Format(time.RFC3339Nano),
		"conversations": r.Conversations,
		"events":        r.Events,
	})
	return b
}

// ValidateChunk rejects chunks that could not be searched.
func ValidateChunk(c store.Chunk) error {
	if c.ID == "" {
		return fmt.Errorf("chunk without id")
	}
	if len(c.Embedding) == 0 {
		return fmt.Errorf("chunk %q has no embedding", c.ID)
	}
	for _, v := range c.Embedding {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("chunk %q embedding has a non-finite value", c.ID)
		}
	}
	return nil
}

// Norm is the Euclidean norm of v.
func Norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// Cosine similarity of a and b given the norm of a; 0 when either is a zero vector.
func Cosine(a []float32, normA float64, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var dot, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if normA == 0 || nb == 0 {
		return 0
	}
	return dot / (normA * math.Sqrt(nb))
}

// TopK collects the k best scored chunks in O(n log k).
type TopK struct {
	k int
	h scoredHeap
}

func NewTopK(k int) *TopK { return &TopK{k: k} }

func (t *TopK) Push(c store.ChunkScore) {
	if t.k <= 0 {
		return
	}
	if len(t.h) < t.k {
		heap.Push(&t.h, c)
		return
	}
	if better(c, t.h[0]) {
		t.h[0] = c
		heap.Fix(&t.h, 0)
	}
}

// Result returns the collected chunks, best first.
func (t *TopK) Result() []store.ChunkScore {
	out := slices.Clone([]store.ChunkScore(t.h))
	slices.SortFunc(out, func(a, b store.ChunkScore) int {
		switch {
		case better(a, b):
			return -1
		case better(b, a):
			return 1
		}
		return 0
	})
	return out
}

// better orders by score, then by ID so that ties are deterministic.
func better(a, b store.ChunkScore) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.ID < b.ID
}

// scoredHeap is a min-heap: the worst kept chunk is at the root.
type scoredHeap []store.ChunkScore

func (h scoredHeap) Len() int           { return len(h) }
func (h scoredHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h scoredHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoredHeap) Push(x any)        { *h = append(*h, x.(store.ChunkScore)) }
func (h *scoredHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
