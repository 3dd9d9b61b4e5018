// Package store defines where the engine keeps conversations, tickets, handoffs and
// the audit log. Every implementation passes storetest.Exercise.
//
// The unit of work is a turn: Begin locks one conversation (across processes when the
// database is shared) and loads it; Commit writes the turn's events, snapshot, tickets,
// handoffs and audit rows atomically, together with the client message id that makes
// a redelivered message a no-op.
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
)

var (
	// ErrNotFound: no such conversation, ticket or record.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the log moved under the turn (a bug: Begin holds the lock), or a duplicate key.
	ErrConflict = errors.New("conflict")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store closed")
	// ErrTxDone: Commit on a Tx that was already committed or rolled back.
	ErrTxDone = errors.New("transaction already finished")
	// ErrInvalid: a value the store refuses (an unknown agent role or status, a
	// malformed key hash...). The wrapping error names the field.
	ErrInvalid = errors.New("invalid")
)

// Store is the storage contract. Implementations must be safe for concurrent use.
type Store interface {
	// Begin starts a turn on conversation id, creating it on Commit if it does not exist.
	// It blocks until no other turn (in any process) holds the conversation.
	// Exactly one of Tx.Commit or Tx.Rollback must be called.
	Begin(ctx context.Context, conversationID string) (Tx, error)

	// Conversation loads a conversation without locking it, for transcripts and agents.
	Conversation(ctx context.Context, id string) (*Conversation, error)

	Handoffs(ctx context.Context, filter HandoffFilter) ([]Handoff, error)
	Audit(ctx context.Context, filter AuditFilter) ([]AuditEntry, error)

	// Events returns the full log of a conversation after seq afterSeq, in order, at
	// most limit events (0: all). Unlike Conversation it ignores the snapshot.
	Events(ctx context.Context, conversationID string, afterSeq int64, limit int) ([]Event, error)

	// SetHandoffStatus applies a status change made outside a turn (by an agent
	// or admin): it sets Status and appends change to History.
	SetHandoffStatus(ctx context.Context, handoffID string, change StatusChange) (Handoff, error)

	// UpdateHandoff reads handoff id under a row lock, lets fn change it, and saves it
	// with the audit entry fn returns, atomically: two agents claiming one handoff
	// can't both win. fn runs once, inside the store's transaction, so it must be
	// quick and must not call the store. Its error aborts (nothing is written) and is
	// returned as is. fn must not change ID or ConversationID (ErrInvalid); a changed
	// CreatedAt is ignored, UpdatedAt is set by the store. History entries fn appends
	// are stored (earlier entries are not rewritten). A zero AuditEntry (no Action)
	// writes no audit row; its ConversationID defaults to the handoff's.
	// ErrNotFound when id is unknown.
	UpdateHandoff(ctx context.Context, id string, fn func(h *Handoff) (AuditEntry, error)) (Handoff, error)

	Unanswered(ctx context.Context, filter UnansweredFilter) ([]UnansweredQuestion, error)
	Satisfaction(ctx context.Context, filter SatisfactionFilter) ([]Satisfaction, error)

	// Purge enforces retention: conversations last updated before `before` lose their
	// snapshot, events, processed message ids, unanswered questions and satisfaction
	// comments; their tickets, handoffs and approvals are anonymized (text replaced
	// by Purged), and so are tickets without a conversation last updated before then.
	// Audit rows are kept, and one "retention.purge" entry by actor records the counts.
	// A conversation whose turn is in progress is skipped and purged next time.
	Purge(ctx context.Context, before time.Time, actor string) (PurgeResult, error)

	TicketStore
	ApprovalStore
	CustomerStore
	KnowledgeStore
	AgentStore
	OutcomeStore
	RolloutStore
	OutboxStore

	Close() error
}

// TurnBeginner is implemented by stores that read, in Begin's round trip,
// what a turn needs besides its conversation (PostgreSQL), so that a turn
// makes one round trip before its commit instead of three.
type TurnBeginner interface {
	// BeginTurn is Begin, also reading what opts asks for.
	BeginTurn(ctx context.Context, conversationID string, opts BeginOptions) (Tx, error)
}

// GroupCommitter is implemented by stores whose turns share commits (group
// commit): how many commits they made and how many turns those held since
// the store opened, for the metrics. Turns per commit is what tells an
// operator whether the database's commits keep up with the load.
type GroupCommitter interface {
	GroupCommits() (commits, turns int64)
}

// BeginOptions says what BeginTurn reads with the conversation.
type BeginOptions struct {
	// ClientMessageID: whether it was processed, which the Tx's Processed then
	// answers from memory.
	ClientMessageID string
	// Agents: every agent, which the Tx's Agents then returns (AgentsTx).
	Agents bool
}

// AgentsTx is implemented by a Tx that read the agents under the turn's lock
// (BeginOptions.Agents); ok is false when it did not.
type AgentsTx interface {
	Agents() (agents []Agent, ok bool)
}

// ChangeFeed is implemented by stores that several processes share (PostgreSQL,
// with LISTEN/NOTIFY), so that live updates reach customers and agents
// connected to another instance: Changes calls fn for each change another
// process commits, until ctx ends or the store closes. A change carries no
// data; the listener reads what is new from the store.
type ChangeFeed interface {
	Changes(ctx context.Context, fn func(Change)) error
}

// Change is what a ChangeFeed reports.
type Change struct {
	ConversationID string `json:"id,omitempty"`
	// Handoff: the turn opened or changed a handoff, so queues changed.
	Handoff bool `json:"h,omitempty"`
	// HandedOff: the conversation is with a human.
	HandedOff bool `json:"o,omitempty"`
	// Tickets and Approvals the turn opened, for the desk's notices.
	Tickets   []Opened `json:"t,omitempty"`
	Approvals []Opened `json:"a,omitempty"`
	// Resync: changes may have been missed (the feed reconnected); anything
	// may have changed.
	Resync bool `json:"r,omitempty"`
}

// Opened is a ticket or approval a turn opened, in a Change.
type Opened struct {
	ID    string `json:"i"`
	Queue string `json:"q"`
}

// Purged replaces personal text removed by Store.Purge.
const Purged = "[purged]"

// PurgeResult counts what Store.Purge removed.
type PurgeResult struct {
	Conversations int
	Events        int
}

// CustomerStore maps channel identities to one customer, so that a customer who
// writes on the web widget and later by email is recognised as the same person.
type CustomerStore interface {
	// ResolveCustomer returns the customer owning (channel, externalID), creating the
	// customer and the identity on first sight.
	ResolveCustomer(ctx context.Context, channel, externalID string) (Customer, error)
	// LinkIdentity attaches (channel, externalID) to customerID. It is a no-op when
	// already linked there, and ErrConflict when the identity belongs to another
	// customer. ErrNotFound when customerID does not exist.
	LinkIdentity(ctx context.Context, customerID, channel, externalID string) error
	Customer(ctx context.Context, id string) (Customer, error)
	// SetCustomerProfile replaces the customer's profile; a zero UpdatedAt is set
	// to now. ErrNotFound when id does not exist. See profile.go.
	SetCustomerProfile(ctx context.Context, id string, p CustomerProfile) (Customer, error)
	// CustomerConversations lists a customer's newest limit conversations (0:
	// all), oldest first, without their snapshot or events: their history on
	// every channel.
	CustomerConversations(ctx context.Context, customerID string, limit int) ([]Conversation, error)
}

type Customer struct {
	ID         string          `json:"id"`
	CreatedAt  time.Time       `json:"created_at"`
	Identities []Identity      `json:"identities"` // ordered by channel, then external id
	Profile    CustomerProfile `json:"profile"`
}

type Identity struct {
	Channel    string `json:"channel"`
	ExternalID string `json:"external_id"`
}

// AgentStore keeps the human agents who work handoffs, and their API keys (hashed).
// Agents are staff, not customers: Purge leaves them.
type AgentStore interface {
	// PutAgent inserts or updates an agent by ID and returns it as stored. On update
	// an empty KeyHash, Role or Status keeps the old value; a new agent without them
	// has no key, role "agent" and status offline. MaxChats 0 is stored as
	// DefaultMaxChats; Skills are sorted and deduplicated; CreatedAt is kept. ErrInvalid
	// for an empty ID, an unknown role or status, a negative MaxChats or a KeyHash
	// that is not hex SHA-256; ErrConflict when another agent has the KeyHash.
	PutAgent(ctx context.Context, a Agent) (Agent, error)
	Agent(ctx context.Context, id string) (Agent, error)               // ErrNotFound
	AgentByKeyHash(ctx context.Context, keyHash string) (Agent, error) // ErrNotFound
	Agents(ctx context.Context) ([]Agent, error)                       // ordered by ID
	// SetAgentStatus sets online, busy or offline (UpdatedAt = at, or now when at is
	// zero); any other status is ErrInvalid, an unknown id ErrNotFound.
	SetAgentStatus(ctx context.Context, id, status string, at time.Time) (Agent, error)
	// CreateAgent inserts a new agent and the audit entry of its creation,
	// atomically, with PutAgent's rules; ErrConflict when the id or KeyHash is
	// taken, so creating never replaces someone (whose key would stop working).
	CreateAgent(ctx context.Context, a Agent, audit AuditEntry) (Agent, error)
	// UpdateAgent reads agent id under a row lock, lets fn change it, and saves it
	// with the audit entry fn returns, atomically (UpdateHandoff's contract). The
	// result is checked with PutAgent's rules, except that an empty KeyHash
	// means no key (a revoked one) and Disabled and AutoAssign are set as fn
	// leaves them. fn must not change ID (ErrInvalid); CreatedAt is kept and
	// UpdatedAt set. ErrNotFound when id is unknown.
	UpdateAgent(ctx context.Context, id string, fn func(a *Agent) (AuditEntry, error)) (Agent, error)
}

// Agent roles and statuses.
const (
	RoleAgent      = "agent"
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"

	AgentOnline  = "online"
	AgentBusy    = "busy"
	AgentOffline = "offline"
)

// DefaultMaxChats is how many conversations an agent takes at once unless set.
const DefaultMaxChats = 3

type Agent struct {
	ID       string
	Name     string
	Role     string   // agent, supervisor, admin
	Skills   []string // queue skills the agent takes, sorted
	Status   string   // online, busy, offline (new agents: offline)
	MaxChats int      // how many conversations at once; 0 on input means DefaultMaxChats
	KeyHash  string   // hex SHA-256 of the API key (see HashAPIKey); unique when not empty
	// Disabled agents can't sign in and get no conversations. Only UpdateAgent
	// changes it: PutAgent keeps what is stored.
	Disabled bool
	// AutoAssign is the agent's own auto-assignment setting: AutoAssignOn,
	// AutoAssignOff, or "" for the server's. PutAgent keeps the stored one when "".
	AutoAssign string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Auto-assignment settings of an agent.
const (
	AutoAssignDefault = ""    // whatever the server says
	AutoAssignOn      = "on"  // the router gives them waiting conversations
	AutoAssignOff     = "off" // they claim conversations themselves
)

// NormalizeSkills is skills as an agent's are kept: trimmed, sorted, without
// empty or duplicate ones; none is nil.
func NormalizeSkills(skills []string) []string {
	var out []string
	for _, s := range skills {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// HashAPIKey is the KeyHash of an API key: lowercase hex SHA-256.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// KnowledgeStore keeps knowledge-base chunks with their embeddings for retrieval.
type KnowledgeStore interface {
	// UpsertChunks inserts or replaces chunks by ID.
	UpsertChunks(ctx context.Context, chunks []Chunk) error
	// DeleteChunksNotIn deletes every chunk whose ID is not in keep (after a reindex)
	// and returns how many were deleted.
	DeleteChunksNotIn(ctx context.Context, keep []string) (int, error)
	// ChunkHashes returns chunk ID -> content hash for the chunks embedded by embedder,
	// so an indexer re-embeds only what changed.
	ChunkHashes(ctx context.Context, embedder string) (map[string]string, error)
	// SearchChunks returns the k chunks most similar to vec by cosine similarity, best
	// first, among chunks of the same dimension as vec: which chunks and how close,
	// not their text or vectors (the caller has the text; vectors are large).
	SearchChunks(ctx context.Context, vec []float32, k int) ([]ChunkScore, error)
}

type Chunk struct {
	ID        string
	Source    string
	Title     string
	Content   string
	Hash      string
	Embedder  string
	Embedding []float32
}

// ChunkScore is a search hit.
type ChunkScore struct {
	ID       string
	Embedder string
	Score    float64 // cosine similarity, -1..1
}

// Tx is one locked turn.
type Tx interface {
	// Conversation is the state loaded under the lock. For a new conversation it has
	// the ID set and no snapshot or events.
	Conversation() *Conversation

	// Log returns the conversation's whole event log (ignoring the snapshot),
	// read under the turn's lock and connection; empty for a new conversation.
	Log(ctx context.Context) ([]Event, error)

	// Processed returns the result of an earlier turn with this client message id,
	// so that a redelivered message returns the same replies and changes nothing.
	Processed(ctx context.Context, clientMessageID string) (result json.RawMessage, ok bool, err error)

	// Commit writes rec atomically and releases the lock.
	Commit(ctx context.Context, rec TurnRecord) error

	// Rollback releases the lock and writes nothing. It is safe after Commit.
	Rollback(ctx context.Context) error
}

// WaitingTx is implemented by a Tx that can say, under the turn's lock and
// without a query of its own in the common case, whether a handoff of its
// conversation waits in a queue. PostgreSQL reads it in Begin's round trip;
// the embedded store remembers, per conversation, that none waits until this
// process (its only writer) writes a handoff or anything else outside a turn.
// The engine then asks the desk where the customer stands only when one waits.
type WaitingTx interface {
	Waiting(ctx context.Context) (bool, error)
}

// Conversation as stored: a snapshot of the dialog state plus the events after it.
type Conversation struct {
	ID         string
	CustomerID string
	Channel    string
	Status     string // active, handed_off, closed

	// Snapshot is the serialized dialog state after event SnapshotSeq (0: no snapshot).
	Snapshot    json.RawMessage
	SnapshotSeq int64

	// Events after SnapshotSeq, in order. LastSeq is the seq of the last event in the log.
	Events  []Event
	LastSeq int64

	CreatedAt time.Time
	UpdatedAt time.Time

	// PolicyVersion and PolicyLabel are those of the policies that took the
	// conversation's first turn (see policies.Bot.Version).
	PolicyVersion string
	PolicyLabel   string
	// Contact is the fold state of its current (or last settled) contact, as
	// the engine last wrote it; nil before the first.
	Contact json.RawMessage
}

// Event is one entry of the append-only conversation log. The store treats Data as opaque.
type Event struct {
	Seq  int64 // 1, 2, 3... per conversation
	Type string
	At   time.Time
	Data json.RawMessage
}

// TurnRecord is everything one turn writes.
type TurnRecord struct {
	ConversationID  string
	ClientMessageID string // "" when the channel gives none: no idempotency
	CustomerID      string
	Channel         string
	Status          string

	Events      []Event // continuing from Conversation().LastSeq
	Snapshot    json.RawMessage
	SnapshotSeq int64

	Tickets   []Ticket
	Handoffs  []Handoff
	Approvals []Approval
	Audit     []AuditEntry

	// Unanswered questions and Satisfaction ratings seen during the turn.
	Unanswered   []UnansweredQuestion
	Satisfaction []Satisfaction

	// HandoffChanges change the status of handoffs the turn does not own (a
	// customer leaving the queue), each only from the statuses it expects.
	HandoffChanges []HandoffChange
	// SummaryChanges tell the summaries of handoffs waiting for an agent
	// again, where they still apply (see SummaryChange).
	SummaryChanges []SummaryChange

	// Result is returned by Processed when the same client message id arrives again.
	Result json.RawMessage

	// Encoded says the caller wrote Events' data, Snapshot, Result and
	// Contact with encoders that write only valid JSON (the engine's, each
	// tested against encoding/json), so the store does not check them again:
	// that was 7% of a turn's CPU in process. Without it, Commit refuses
	// a record whose JSON is not valid.
	Encoded bool

	// PolicyVersion and PolicyLabel are recorded on a conversation's first
	// commit and kept after.
	PolicyVersion string
	PolicyLabel   string
	// Contact, when not nil, replaces the conversation's contact state.
	Contact *ContactState
	// Outcomes are upserted by (ConversationID, ContactSeq); RuleEvents are
	// inserted, once per (ConversationID, Seq).
	Outcomes   []Outcome
	RuleEvents []RuleEvent
}

// HandoffChange sets a handoff's status and appends Change to its History,
// provided its status is still one of From: a customer leaving the queue must
// not undo the claim an agent made a moment before. When it is not, Commit
// fails with ErrConflict and writes nothing; ErrNotFound for an unknown handoff.
type HandoffChange struct {
	HandoffID string
	From      []string
	Change    StatusChange // Change.Status is the new status
}

// SummaryChange replaces the summary of a handoff of the turn's
// conversation that still waits for an agent, with none assigned, and has a
// summary (one shared with agents) other than Summary: a customer who writes
// while waiting moves its automatic summary on. Whether it applies is decided
// in the commit, against the handoff as it is then: a handoff an agent took
// meanwhile keeps the summary they read. A change that does not apply (that
// one, an unknown handoff, another conversation's) is skipped and the turn
// commits: the customer's message never fails for a summary.
type SummaryChange struct {
	HandoffID string
	Summary   string
}

// Tickets and Handoffs in a TurnRecord are upserted by ID: a new ID is inserted with
// its History; a known ID has its fields updated and its History entries appended.
// A handoff's empty Agent keeps the assigned agent (a turn does not unassign), and
// its UpdatedAt is set to the commit time. A known ticket keeps what only agents
// change (description, channel, assignee, language, due and breach times) and
// its UpdatedAt becomes the commit time. An empty ID gets a generated one. Audit
// entries get IDs from the store.
//
// Approvals in a TurnRecord are inserted when new (a turn asks for one); for a
// known ID (the turn that carried out a decision) only Outcome and CompletedAt
// are set, when given, and History entries appended: the decision itself is
// made with UpdateApproval. Either way the approval must belong to the turn's
// conversation (ErrConflict).

type UnansweredQuestion struct {
	Question       string
	ConversationID string
	At             time.Time
}

type Satisfaction struct {
	ConversationID string
	Score          int
	Comment        string
	At             time.Time
}

type UnansweredFilter struct {
	Since time.Time
	Limit int
}

type SatisfactionFilter struct {
	ConversationID string
	CustomerID     string // the ratings of this customer's conversations
	Since          time.Time
	Until          time.Time // zero: no end; else answers before it
	MaxScore       int       // > 0: scores up to this only (the dissatisfied: 2)
	WithComment    bool      // only answers with a comment
	Limit          int
}

// StatusChange is one entry of a ticket's, handoff's or approval's history:
// who did what, when. Status is the status after the change. A ticket's
// entries also say which field changed (Field, From, To; a note is Field
// "note" with its text in Note).
type StatusChange struct {
	Status string    `json:"status"`
	Actor  string    `json:"actor"`
	At     time.Time `json:"at"`
	Note   string    `json:"note"`
	Field  string    `json:"field,omitempty"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	// Key is the idempotency key of the ticket change that added this entry
	// ("" for none; tickets only): no two entries of a ticket share one
	// (ErrConflict), so a retried change finds its first run and adds
	// nothing. Digest fingerprints what that change asked for, to tell a
	// retry from another change that reuses the key.
	Key    string `json:"-"`
	Digest string `json:"-"`
}

// Handoff is a conversation passed to a human queue, with what the agent needs.
type Handoff struct {
	ID             string            `json:"id"`
	ConversationID string            `json:"conversation_id"`
	CustomerID     string            `json:"customer_id"`
	Queue          string            `json:"queue"`
	Skill          string            `json:"skill"`
	Priority       string            `json:"priority"`
	Reason         string            `json:"reason"`
	Summary        string            `json:"summary"`
	Slots          map[string]string `json:"slots"`
	// Unverified is what the customer said about themselves (name, email,
	// phone) that nobody verified: for the agent to read as such, never to find
	// or link customers by.
	Unverified map[string]string `json:"unverified_customer,omitempty"`
	Transcript []TranscriptLine  `json:"transcript"`
	Status     string            `json:"status"` // waiting, assigned, returned, closed
	Agent      string            `json:"agent"`  // ID of the assigned agent, "" when none
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"` // set by the store on every write
	History    []StatusChange    `json:"history"`
}

type TranscriptLine struct {
	From string    `json:"from"` // customer, bot, agent
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// AuditEntry records who did what, when. Detail is masked before it is stored.
type AuditEntry struct {
	// ID grows with each entry written (AuditFilter.AfterID pages by it).
	// Entries are never deleted: the embedded store's ids are one more than
	// the largest, so deleting the newest would let its id be given again.
	ID             int64
	At             time.Time
	Actor          string // "bot", "agent:NAME", "admin:NAME", "system"
	Action         string // connector.call, rule.decision, handoff.open, ticket.open, ...
	ConversationID string
	Detail         json.RawMessage
}

type HandoffFilter struct {
	ID             string // one handoff: the desk loads it for every agent action
	ConversationID string
	CustomerID     string
	Queue          string
	Agent          string
	Status         string
	Statuses       []string // any of these; combined with Status (both must match) when both are set
	Limit          int
}

// Filters: zero fields match everything; results are oldest first (newest last) and
// Limit > 0 keeps the newest Limit.

type AuditFilter struct {
	ConversationID string
	Action         string
	Actor          string
	Since          time.Time
	Until          time.Time // zero: no end; else entries before it
	// Forward pages from the oldest: the results are the oldest Limit entries
	// with an ID above AfterID (0: from the first), instead of the newest Limit.
	Forward bool
	AfterID int64
	Limit   int
}
