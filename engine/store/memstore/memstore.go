// Package memstore is an in-memory store.Store for tests and single-process trials.
// Nothing survives the process. It is safe for concurrent use: turns on different
// conversations run in parallel, turns on one conversation serialize.
package memstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/internal/turn"
)

// Store is the in-memory store. The zero value is not usable; call New.
type Store struct {
	// mu guards the data below. It is held only for short copies, never while a turn
	// is open; the per-conversation locks in locks are what turns wait on.
	mu     sync.Mutex
	closed bool
	locks  map[string]chan struct{}

	convs       map[string]*conversation
	tickets     map[string]*store.Ticket
	ticketSeq   map[string]int64  // insertion order, for stable "newest last"
	ticketKeys  map[string]string // source key -> ticket id
	handoffs    map[string]*store.Handoff
	handoffSeq  map[string]int64
	approvals   map[string]*store.Approval
	approvalSeq map[string]int64
	seq         int64

	audit        []store.AuditEntry
	nextAuditID  int64
	unanswered   []store.UnansweredQuestion
	satisfaction []store.Satisfaction

	customers  map[string]*store.Customer
	identities map[store.Identity]string

	chunks map[string]store.Chunk

	agents map[string]*store.Agent

	outcomes   map[outcomeKey]*store.Outcome
	sameAsk    map[askKey]map[outcomeKey]bool // outcomes by customer and intent (see writeOutcome)
	ruleEvents map[outcomeKey]*store.RuleEvent
	reportRuns map[[2]string]*store.ReportRun

	rollout *store.Rollout

	// outbox is in the order of recording; outboxIDs indexes it by id.
	outbox    []*store.OutboxMessage
	outboxIDs map[string]int
}

type conversation struct {
	store.Conversation                            // Events holds the full log
	processed          map[string]json.RawMessage // client message id -> result
	due                time.Time                  // the contact's settlement is due; zero: never
}

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		locks:       map[string]chan struct{}{},
		convs:       map[string]*conversation{},
		tickets:     map[string]*store.Ticket{},
		ticketSeq:   map[string]int64{},
		ticketKeys:  map[string]string{},
		handoffs:    map[string]*store.Handoff{},
		handoffSeq:  map[string]int64{},
		approvals:   map[string]*store.Approval{},
		approvalSeq: map[string]int64{},
		customers:   map[string]*store.Customer{},
		identities:  map[store.Identity]string{},
		chunks:      map[string]store.Chunk{},
		agents:      map[string]*store.Agent{},
		outcomes:    map[outcomeKey]*store.Outcome{},
		ruleEvents:  map[outcomeKey]*store.RuleEvent{},
		reportRuns:  map[[2]string]*store.ReportRun{},
		outboxIDs:   map[string]int{},
	}
}

func (s *Store) lockFor(id string) (chan struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	l, ok := s.locks[id]
	if !ok {
		// A buffered channel is a mutex that a waiter can abandon on ctx.Done.
		l = make(chan struct{}, 1)
		s.locks[id] = l
	}
	return l, nil
}

// Begin locks conversation id until Commit or Rollback.
func (s *Store) Begin(ctx context.Context, conversationID string) (store.Tx, error) {
	if conversationID == "" {
		return nil, fmt.Errorf("begin: empty conversation id")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l, err := s.lockFor(conversationID)
	if err != nil {
		return nil, err
	}
	select {
	case l <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		<-l
		return nil, store.ErrClosed
	}
	conv := &store.Conversation{ID: conversationID}
	if c, ok := s.convs[conversationID]; ok {
		conv = loadView(&c.Conversation)
	}
	return &tx{s: s, lock: l, conv: conv}, nil
}

// loadView returns a copy of c with only the events after the snapshot.
func loadView(c *store.Conversation) *store.Conversation {
	out := *c
	out.Snapshot = turn.CloneRaw(c.Snapshot)
	out.Contact = turn.CloneRaw(c.Contact)
	out.Events = nil
	for _, e := range c.Events {
		if e.Seq > c.SnapshotSeq {
			out.Events = append(out.Events, e)
		}
	}
	out.Events = turn.CloneEvents(out.Events)
	return &out
}

type tx struct {
	s    *Store
	lock chan struct{}
	conv *store.Conversation
	mu   sync.Mutex // guards done against a racing Commit/Rollback
	done bool
}

func (t *tx) Conversation() *store.Conversation { return t.conv }

func (t *tx) Log(ctx context.Context) ([]store.Event, error) {
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if t.s.closed {
		return nil, store.ErrClosed
	}
	c, ok := t.s.convs[t.conv.ID]
	if !ok {
		return nil, nil
	}
	return turn.CloneEvents(c.Events), nil
}

func (t *tx) Processed(ctx context.Context, clientMessageID string) (json.RawMessage, bool, error) {
	if clientMessageID == "" {
		return nil, false, nil
	}
	t.s.mu.Lock()
	defer t.s.mu.Unlock()
	if t.s.closed {
		return nil, false, store.ErrClosed
	}
	c, ok := t.s.convs[t.conv.ID]
	if !ok {
		return nil, false, nil
	}
	r, ok := c.processed[clientMessageID]
	return turn.CloneRaw(r), ok, nil
}

func (t *tx) finish() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

// Commit writes rec and releases the lock, also when it fails: a failed Commit ends
// the turn and writes nothing.
func (t *tx) Commit(ctx context.Context, rec store.TurnRecord) error {
	if !t.finish() {
		return store.ErrTxDone
	}
	defer func() { <-t.lock }()
	if err := ctx.Err(); err != nil {
		return err
	}
	s := t.s
	now := turn.Now()
	rec, err := turn.Prepare(t.conv, rec, now)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	c, exists := s.convs[t.conv.ID]
	if exists && c.LastSeq != t.conv.LastSeq || !exists && t.conv.LastSeq != 0 {
		// Purged or rewritten under the lock: refuse rather than leave a gap.
		return fmt.Errorf("commit: log moved under the turn: %w", store.ErrConflict)
	}
	if exists && rec.ClientMessageID != "" {
		if _, dup := c.processed[rec.ClientMessageID]; dup {
			return fmt.Errorf("commit: client message %q already processed: %w", rec.ClientMessageID, store.ErrConflict)
		}
	}
	for _, tk := range rec.Tickets {
		if old, ok := s.tickets[tk.ID]; ok && old.ConversationID != tk.ConversationID {
			return fmt.Errorf("commit: ticket %q belongs to another conversation: %w", tk.ID, store.ErrConflict)
		}
	}
	for _, h := range rec.Handoffs {
		if old, ok := s.handoffs[h.ID]; ok && old.ConversationID != h.ConversationID {
			return fmt.Errorf("commit: handoff %q belongs to another conversation: %w", h.ID, store.ErrConflict)
		}
	}
	for _, a := range rec.Approvals {
		if old, ok := s.approvals[a.ID]; ok && old.ConversationID != a.ConversationID {
			return fmt.Errorf("commit: approval %q belongs to another conversation: %w", a.ID, store.ErrConflict)
		}
	}
	changed := make([]store.Handoff, len(rec.HandoffChanges))
	for i, ch := range rec.HandoffChanges {
		h, ok := s.handoffs[ch.HandoffID]
		if !ok {
			return fmt.Errorf("commit: handoff %q: %w", ch.HandoffID, store.ErrNotFound)
		}
		changed[i] = turn.CloneHandoff(*h)
		if _, err := turn.CheckHandoffChange(&changed[i], ch, now); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
	}

	// Validated: from here on nothing fails, which makes the commit all-or-nothing.
	if !exists {
		c = &conversation{
			Conversation: store.Conversation{ID: t.conv.ID, CreatedAt: now, PolicyVersion: rec.PolicyVersion, PolicyLabel: rec.PolicyLabel},
			processed:    map[string]json.RawMessage{},
		}
		s.convs[t.conv.ID] = c
	}
	c.CustomerID, c.Channel, c.Status = rec.CustomerID, rec.Channel, rec.Status
	c.Events = append(c.Events, rec.Events...)
	if n := len(rec.Events); n > 0 {
		c.LastSeq = rec.Events[n-1].Seq
	}
	if rec.Snapshot != nil {
		c.Snapshot, c.SnapshotSeq = rec.Snapshot, rec.SnapshotSeq
	}
	c.UpdatedAt = now
	if rec.ClientMessageID != "" {
		c.processed[rec.ClientMessageID] = rec.Result
	}
	for _, tk := range rec.Tickets {
		if old, ok := s.tickets[tk.ID]; ok {
			*old = turn.MergeTurnTicket(*old, tk, now)
			continue
		}
		s.insertTicket(tk)
	}
	for _, a := range rec.Approvals {
		if old, ok := s.approvals[a.ID]; ok {
			*old = turn.MergeTurnApproval(*old, a, now)
			continue
		}
		s.seq++
		s.approvals[a.ID] = &a
		s.approvalSeq[a.ID] = s.seq
	}
	for _, h := range rec.Handoffs {
		if old, ok := s.handoffs[h.ID]; ok {
			old.Queue, old.Skill, old.Priority, old.Reason, old.Summary, old.Status = h.Queue, h.Skill, h.Priority, h.Reason, h.Summary, h.Status
			old.CustomerID, old.Slots, old.Unverified, old.Transcript = h.CustomerID, h.Slots, h.Unverified, h.Transcript
			if h.Agent != "" {
				old.Agent = h.Agent
			}
			old.UpdatedAt = h.UpdatedAt
			old.History = append(old.History, h.History...)
			continue
		}
		s.seq++
		s.handoffs[h.ID] = &h
		s.handoffSeq[h.ID] = s.seq
	}
	for _, h := range changed {
		*s.handoffs[h.ID] = h
	}
	for _, ch := range rec.SummaryChanges {
		// Decided here, under the store's lock, against the handoff as it is
		// now: a claim made since the turn began keeps its summary.
		if h, ok := s.handoffs[ch.HandoffID]; ok && h.ConversationID == t.conv.ID && turn.SummaryApplies(*h, ch) {
			h.Summary, h.UpdatedAt = ch.Summary, now
		}
	}
	for _, a := range rec.Audit {
		s.appendAudit(a)
	}
	s.unanswered = append(s.unanswered, rec.Unanswered...)
	s.satisfaction = append(s.satisfaction, rec.Satisfaction...)
	if rec.Contact != nil {
		c.Contact, c.due = rec.Contact.State, rec.Contact.Due
	}
	for _, o := range rec.Outcomes {
		s.writeOutcome(o)
	}
	for _, r := range rec.RuleEvents {
		k := outcomeKey{r.ConversationID, r.Seq}
		if _, dup := s.ruleEvents[k]; !dup {
			s.ruleEvents[k] = &r
		}
	}
	return nil
}

func (s *Store) appendAudit(a store.AuditEntry) {
	s.nextAuditID++
	a.ID = s.nextAuditID
	s.audit = append(s.audit, a)
}

func (t *tx) Rollback(ctx context.Context) error {
	if t.finish() {
		<-t.lock
	}
	return nil
}

// Conversation returns the snapshot and the events after it, without locking.
func (s *Store) Conversation(ctx context.Context, id string) (*store.Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	c, ok := s.convs[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return loadView(&c.Conversation), nil
}

func (s *Store) Events(ctx context.Context, conversationID string, afterSeq int64, limit int) ([]store.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	c, ok := s.convs[conversationID]
	if !ok {
		return nil, store.ErrNotFound
	}
	var out []store.Event
	for _, e := range c.Events {
		if e.Seq <= afterSeq {
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, e)
	}
	return turn.CloneEvents(out), nil
}

func (s *Store) Handoffs(ctx context.Context, f store.HandoffFilter) ([]store.Handoff, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.Handoff
	for _, h := range s.handoffs {
		if (f.ID == "" || h.ID == f.ID) && (f.ConversationID == "" || h.ConversationID == f.ConversationID) &&
			(f.CustomerID == "" || h.CustomerID == f.CustomerID) &&
			(f.Queue == "" || h.Queue == f.Queue) && (f.Agent == "" || h.Agent == f.Agent) &&
			(f.Status == "" || h.Status == f.Status) && (len(f.Statuses) == 0 || slices.Contains(f.Statuses, h.Status)) {
			out = append(out, turn.CloneHandoff(*h))
		}
	}
	slices.SortFunc(out, func(a, b store.Handoff) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(s.handoffSeq[a.ID], s.handoffSeq[b.ID]))
	})
	return turn.Newest(out, f.Limit), nil
}

func (s *Store) Audit(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.AuditEntry
	for _, a := range s.audit {
		if (f.ConversationID == "" || a.ConversationID == f.ConversationID) &&
			(f.Action == "" || a.Action == f.Action) && (f.Actor == "" || a.Actor == f.Actor) &&
			!a.At.Before(f.Since) && (f.Until.IsZero() || a.At.Before(f.Until)) && (!f.Forward || a.ID > f.AfterID) {
			a.Detail = turn.CloneRaw(a.Detail)
			out = append(out, a)
		}
	}
	// Stored in ID order, which is the order they were written.
	if f.Forward && f.Limit > 0 && len(out) > f.Limit {
		return out[:f.Limit], nil
	}
	return turn.Newest(out, f.Limit), nil
}

func (s *Store) SetHandoffStatus(ctx context.Context, handoffID string, change store.StatusChange) (store.Handoff, error) {
	change, err := turn.PrepareChange(change, turn.Now())
	if err != nil {
		return store.Handoff{}, fmt.Errorf("set handoff status: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Handoff{}, store.ErrClosed
	}
	h, ok := s.handoffs[handoffID]
	if !ok {
		return store.Handoff{}, store.ErrNotFound
	}
	h.Status = change.Status
	h.UpdatedAt = turn.Now()
	h.History = append(h.History, change)
	s.appendAudit(turn.StatusAudit("handoff", handoffID, h.ConversationID, change))
	return turn.CloneHandoff(*h), nil
}

// UpdateHandoff runs fn under the store's mutex, which serializes it with every
// other write.
func (s *Store) UpdateHandoff(ctx context.Context, id string, fn func(h *store.Handoff) (store.AuditEntry, error)) (store.Handoff, error) {
	if err := ctx.Err(); err != nil {
		return store.Handoff{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Handoff{}, store.ErrClosed
	}
	h, ok := s.handoffs[id]
	if !ok {
		return store.Handoff{}, store.ErrNotFound
	}
	out, _, audit, err := turn.UpdateHandoff(*h, fn, turn.Now())
	if err != nil {
		return store.Handoff{}, err
	}
	*h = out
	if audit != nil {
		s.appendAudit(*audit)
	}
	return turn.CloneHandoff(out), nil
}

func (s *Store) Unanswered(ctx context.Context, f store.UnansweredFilter) ([]store.UnansweredQuestion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.UnansweredQuestion
	for _, u := range s.unanswered {
		if !u.At.Before(f.Since) {
			out = append(out, u)
		}
	}
	return turn.Newest(out, f.Limit), nil
}

func (s *Store) Satisfaction(ctx context.Context, f store.SatisfactionFilter) ([]store.Satisfaction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.Satisfaction
	for _, r := range s.satisfaction {
		if (f.ConversationID == "" || r.ConversationID == f.ConversationID) && !r.At.Before(f.Since) &&
			(f.Until.IsZero() || r.At.Before(f.Until)) && (f.MaxScore <= 0 || r.Score <= f.MaxScore) && (!f.WithComment || r.Comment != "") &&
			(f.CustomerID == "" || s.convs[r.ConversationID] != nil && s.convs[r.ConversationID].CustomerID == f.CustomerID) {
			out = append(out, r)
		}
	}
	return turn.Newest(out, f.Limit), nil
}

func (s *Store) Purge(ctx context.Context, before time.Time, actor string) (store.PurgeResult, error) {
	var res store.PurgeResult
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return res, store.ErrClosed
	}
	purged := map[string]bool{}
	for id, c := range s.convs {
		if !c.UpdatedAt.Before(before) {
			continue
		}
		l := s.locks[id]
		if l == nil {
			l = make(chan struct{}, 1)
			s.locks[id] = l
		}
		select {
		case l <- struct{}{}:
		default:
			continue // a turn is open on it: purge it next time
		}
		res.Conversations++
		res.Events += len(c.Events)
		purged[id] = true
		// The lock stays: a Begin waiting on it then sees no conversation and starts
		// a new one.
		delete(s.convs, id)
		<-l
	}
	for _, t := range s.tickets {
		if purged[t.ConversationID] || t.ConversationID == "" && t.UpdatedAt.Before(before) {
			turn.AnonymizeTicket(t)
		}
	}
	for _, h := range s.handoffs {
		if purged[h.ConversationID] {
			turn.AnonymizeHandoff(h)
		}
	}
	for _, a := range s.approvals {
		if purged[a.ConversationID] {
			turn.AnonymizeApproval(a)
		}
	}
	s.unanswered = slices.DeleteFunc(s.unanswered, func(u store.UnansweredQuestion) bool { return purged[u.ConversationID] })
	s.purgeOutbox(purged)
	for i := range s.satisfaction {
		if purged[s.satisfaction[i].ConversationID] && s.satisfaction[i].Comment != "" {
			s.satisfaction[i].Comment = store.Purged
		}
	}
	for _, o := range s.outcomes {
		if purged[o.ConversationID] && o.Comment != "" {
			o.Comment = store.Purged
		}
	}
	now := turn.Now()
	s.appendAudit(store.AuditEntry{At: now, Actor: actor, Action: "retention.purge", Detail: turn.PurgeDetail(before, res)})
	return res, nil
}

func (s *Store) ResolveCustomer(ctx context.Context, channel, externalID string) (store.Customer, error) {
	if channel == "" || externalID == "" {
		return store.Customer{}, fmt.Errorf("resolve customer: empty channel or external id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Customer{}, store.ErrClosed
	}
	ident := store.Identity{Channel: channel, ExternalID: externalID}
	if id, ok := s.identities[ident]; ok {
		return cloneCustomer(s.customers[id]), nil
	}
	c := &store.Customer{ID: turn.NewID("cus_"), CreatedAt: turn.Now(), Identities: []store.Identity{ident}}
	s.customers[c.ID] = c
	s.identities[ident] = c.ID
	return cloneCustomer(c), nil
}

func (s *Store) LinkIdentity(ctx context.Context, customerID, channel, externalID string) error {
	if channel == "" || externalID == "" {
		return fmt.Errorf("link identity: empty channel or external id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	c, ok := s.customers[customerID]
	if !ok {
		return store.ErrNotFound
	}
	ident := store.Identity{Channel: channel, ExternalID: externalID}
	if owner, ok := s.identities[ident]; ok {
		if owner == customerID {
			return nil
		}
		return fmt.Errorf("link identity %s/%s: linked to another customer: %w", channel, externalID, store.ErrConflict)
	}
	s.identities[ident] = customerID
	c.Identities = append(c.Identities, ident)
	return nil
}

func (s *Store) Customer(ctx context.Context, id string) (store.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Customer{}, store.ErrClosed
	}
	c, ok := s.customers[id]
	if !ok {
		return store.Customer{}, store.ErrNotFound
	}
	return cloneCustomer(c), nil
}

func cloneCustomer(c *store.Customer) store.Customer {
	out := *c
	out.Identities = slices.Clone(c.Identities)
	slices.SortFunc(out.Identities, func(a, b store.Identity) int {
		return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.ExternalID, b.ExternalID))
	})
	return out
}

func (s *Store) UpsertChunks(ctx context.Context, chunks []store.Chunk) error {
	for _, c := range chunks {
		if err := turn.ValidateChunk(c); err != nil {
			return fmt.Errorf("upsert chunks: %w", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.ErrClosed
	}
	for _, c := range chunks {
		c.Embedding = slices.Clone(c.Embedding)
		s.chunks[c.ID] = c
	}
	return nil
}

func (s *Store) DeleteChunksNotIn(ctx context.Context, keep []string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, store.ErrClosed
	}
	kept := map[string]bool{}
	for _, id := range keep {
		kept[id] = true
	}
	n := 0
	for id := range s.chunks {
		if !kept[id] {
			delete(s.chunks, id)
			n++
		}
	}
	return n, nil
}

func (s *Store) ChunkHashes(ctx context.Context, embedder string) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	out := map[string]string{}
	for id, c := range s.chunks {
		if c.Embedder == embedder {
			out[id] = c.Hash
		}
	}
	return out, nil
}

func (s *Store) SearchChunks(ctx context.Context, vec []float32, k int) ([]store.ChunkScore, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	top := turn.NewTopK(k)
	norm := turn.Norm(vec)
	for _, c := range s.chunks {
		if len(c.Embedding) != len(vec) {
			continue
		}
		top.Push(store.ChunkScore{ID: c.ID, Embedder: c.Embedder, Score: turn.Cosine(vec, norm, c.Embedding)})
	}
	return top.Result(), nil
}

func (s *Store) PutAgent(ctx context.Context, a store.Agent) (store.Agent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Agent{}, store.ErrClosed
	}
	a, err := turn.PutAgent(s.agents[a.ID], turn.CloneAgent(a), turn.Now())
	if err != nil {
		return store.Agent{}, fmt.Errorf("put agent: %w", err)
	}
	if a.KeyHash != "" {
		for _, other := range s.agents {
			if other.ID != a.ID && other.KeyHash == a.KeyHash {
				return store.Agent{}, fmt.Errorf("put agent %s: key hash used by another agent: %w", a.ID, store.ErrConflict)
			}
		}
	}
	s.agents[a.ID] = &a
	return turn.CloneAgent(a), nil
}

func (s *Store) Agent(ctx context.Context, id string) (store.Agent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Agent{}, store.ErrClosed
	}
	a, ok := s.agents[id]
	if !ok {
		return store.Agent{}, store.ErrNotFound
	}
	return turn.CloneAgent(*a), nil
}

func (s *Store) AgentByKeyHash(ctx context.Context, keyHash string) (store.Agent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Agent{}, store.ErrClosed
	}
	keyHash = strings.ToLower(keyHash)
	for _, a := range s.agents {
		if keyHash != "" && a.KeyHash == keyHash {
			return turn.CloneAgent(*a), nil
		}
	}
	return store.Agent{}, store.ErrNotFound
}

func (s *Store) Agents(ctx context.Context) ([]store.Agent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	var out []store.Agent
	for _, a := range s.agents {
		out = append(out, turn.CloneAgent(*a))
	}
	slices.SortFunc(out, func(a, b store.Agent) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (s *Store) SetAgentStatus(ctx context.Context, id, status string, at time.Time) (store.Agent, error) {
	if err := turn.ValidAgentStatus(status); err != nil {
		return store.Agent{}, fmt.Errorf("set agent status: %w", err)
	}
	at = turn.Time(at)
	if at.IsZero() {
		at = turn.Now()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return store.Agent{}, store.ErrClosed
	}
	a, ok := s.agents[id]
	if !ok {
		return store.Agent{}, store.ErrNotFound
	}
	a.Status, a.UpdatedAt = status, at
	return turn.CloneAgent(*a), nil
}

// Close makes every later call fail with store.ErrClosed. Open turns can still
// Rollback.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
