// Package plantest records conversations through the real engine, for the
// tests and benchmarks of `parley plan` and of rollouts: scripted ones, the
// shop's own test cases played as conversations, and generated ones, with
// agents who join, reply, close and hand back, surveys, outages of the order
// system and customers who go quiet.
package plantest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/examples/shop/backend"
	"github.com/parleyhq/parley/policies"
)

// Clock is a clock a test moves: each reading is a second after the one
// before, and Set jumps.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Step is one thing that happens in a scripted conversation.
type Step struct {
	Say  string        // the customer writes
	Wait time.Duration // time passes first
	// Agent: join, reply, note, transfer, close (with a survey), return (hand back).
	Agent string
	Text  string // the agent's reply or note, or the queue of a transfer
	Rate  int    // the customer answers a survey with the rating buttons
	// Outage: the order system fails the calls of the next message.
	Outage bool
	// Decide: a supervisor decides the conversation's pending approval
	// (approved or rejected).
	Decide string
	// TicketStatus: an agent moves the conversation's last ticket on (pending, solved...).
	TicketStatus string
}

// Script is one conversation.
type Script struct {
	ID       string
	Start    time.Time
	Customer map[string]any
	Steps    []Step
}

// Recorder plays scripts through an engine on a store.
type Recorder struct {
	Engine  *engine.Engine
	Backend *backend.Server
	Clock   *Clock
	agent   store.Agent
}

// NewRecorder starts the bot (its orders connector on a fresh in-process
// shop backend) on st.
func NewRecorder(t testing.TB, bot *policies.Bot, st store.Store, label string) *Recorder {
	t.Helper()
	shop := backend.New(backend.Options{})
	srv := startBackend(t, shop)
	clock := NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	e, err := engine.New(context.Background(), bot, engine.Options{
		Store: st, Clock: clock.Now, NewID: recorderIDs(st), PolicyLabel: label,
		// Its own backend, whatever SHOP_API_URL says: refunds change orders.
		ConnectorSettings: map[string]cty.Value{"orders": cty.ObjectVal(map[string]cty.Value{
			"base_url": cty.StringVal(srv), "base_url_env": cty.StringVal("PLANTEST_UNSET_VARIABLE"),
		})},
		Sleep: func(ctx context.Context, d time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	a, err := st.PutAgent(context.Background(), store.Agent{ID: "ann", Name: "Ann", Role: store.RoleAdmin, MaxChats: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return &Recorder{Engine: e, Backend: shop, Clock: clock, agent: a}
}

// recorders counts the recorders of each store, so that the ids of a
// second one's tickets and handoffs (T-1, H-1 from the first) are 2-T-1,
// 2-H-1: sequential, and distinct on the store.
var recorders sync.Map // store.Store -> *atomic.Int64

func recorderIDs(st store.Store) func(kind string) string {
	n, _ := recorders.LoadOrStore(st, new(atomic.Int64))
	ids := engine.SequentialIDs()
	if k := n.(*atomic.Int64).Add(1); k > 1 {
		return func(kind string) string { return fmt.Sprintf("%d-%s", k, ids(kind)) }
	}
	return ids
}

// Play runs a script to its end.
func (r *Recorder) Play(t testing.TB, s Script) {
	t.Helper()
	ctx := context.Background()
	if !s.Start.IsZero() {
		r.Clock.Set(s.Start)
	}
	for i, st := range s.Steps {
		r.Clock.Add(st.Wait)
		if err := r.step(ctx, s, i, st); err != nil {
			t.Fatalf("%s, step %d (%+v): %v", s.ID, i+1, st, err)
		}
	}
}

func (r *Recorder) step(ctx context.Context, s Script, i int, st Step) error {
	d := desk.New(r.Engine)
	switch {
	case st.Say != "":
		if st.Outage {
			r.Backend.InjectFault(backend.Fault{Path: "/orders/*", Status: 503})
			defer r.Backend.ClearFaults()
		}
		_, err := r.Engine.Handle(ctx, engine.Message{ConversationID: s.ID, ClientMessageID: fmt.Sprint(i), Channel: "web", CustomerID: s.ID, Customer: s.Customer, Text: st.Say})
		return err
	case st.Rate > 0:
		err := d.RecordSatisfaction(ctx, s.ID, st.Rate, st.Text, fmt.Sprint(i))
		if err != nil && strings.Contains(err.Error(), "no survey") {
			return nil // nobody asked: the buttons were not there
		}
		return err
	case st.Decide != "":
		as, err := r.Engine.Store().Approvals(ctx, store.ApprovalFilter{ConversationID: s.ID, Status: store.ApprovalPending})
		if err != nil || len(as) == 0 {
			return err // nothing waits for a decision
		}
		_, _, err = d.Decide(ctx, as[len(as)-1].ID, r.agent, st.Decide, "decided in the test")
		return err
	case st.TicketStatus != "":
		ts, err := r.Engine.Store().Tickets(ctx, store.TicketFilter{ConversationID: s.ID})
		if err != nil || len(ts) == 0 {
			return err // no ticket to move on
		}
		status := st.TicketStatus
		_, _, err = d.UpdateTicket(ctx, ts[len(ts)-1].ID, r.agent, desk.TicketChange{Status: &status})
		if err != nil && strings.Contains(err.Error(), "from") {
			return nil // a move the ticket's status does not allow
		}
		return err
	case st.Agent != "":
		h, ok, err := r.openHandoff(ctx, s.ID)
		if err != nil || !ok {
			return err // no handoff: nobody to act
		}
		switch st.Agent {
		case "join":
			_, err = d.Claim(ctx, h.ID, r.agent, "agent:"+r.agent.ID)
		case "reply":
			if h.Status != desk.HandoffAssigned {
				return nil
			}
			_, err = d.AgentReply(ctx, h.ID, r.agent, or(st.Text, "Let me check that for you."), fmt.Sprint(i))
		case "note":
			_, err = d.AgentNote(ctx, h.ID, r.agent, or(st.Text, "called the warehouse"), fmt.Sprint(i))
		case "transfer":
			_, err = d.Transfer(ctx, h.ID, r.agent, or(st.Text, "general"), "over to you")
		case "close":
			_, _, err = d.CloseHandoff(ctx, h.ID, r.agent, "solved")
		case "return":
			_, err = d.Return(ctx, h.ID, r.agent, "the bot can finish this")
		default:
			return fmt.Errorf("unknown agent step %q", st.Agent)
		}
		return err
	}
	return nil
}

// openHandoff is the conversation's handoff still waiting or assigned.
func (r *Recorder) openHandoff(ctx context.Context, id string) (store.Handoff, bool, error) {
	hs, err := r.Engine.Store().Handoffs(ctx, store.HandoffFilter{ConversationID: id})
	if err != nil {
		return store.Handoff{}, false, err
	}
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].Status == desk.HandoffWaiting || hs[i].Status == desk.HandoffAssigned {
			return hs[i], true, nil
		}
	}
	return store.Handoff{}, false, nil
}

// Settle runs the outcome sweeper a day after the clock, so every quiet
// contact gets its outcome row.
func (r *Recorder) Settle(t testing.TB) {
	t.Helper()
	r.Clock.Add(24 * time.Hour)
	for {
		n, err := r.Engine.SettleDue(context.Background(), 500)
		if err != nil {
			t.Fatal(err)
		}
		if n < 500 {
			return
		}
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Monday10 is inside the shop's business hours.
var Monday10 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// Scripted are conversations written out: refunds at each of the refund
// rules' boundaries, handoffs with agents who reply, close and hand back,
// surveys answered in words and with buttons, an outage, a customer who goes
// quiet and comes back, after-hours messages.
func Scripted() []Script {
	vip := map[string]any{"name": "Bo", "vip": true}
	return []Script{
		{ID: "s-refund-499", Start: Monday10, Steps: says("I want a refund for order PQ000499", "I changed my mind", "yes")},
		{ID: "s-refund-500", Start: Monday10, Steps: append(says("refund GH500000, it's the wrong item", "yes please"), Step{TicketStatus: "solved"})},
		{ID: "s-refund-5001-approved", Start: Monday10, Steps: append(says("refund RS005001, it's the wrong item", "yes"), Step{Decide: "approved"}, Step{Say: "thanks, bye"})},
		{ID: "s-refund-5001-rejected", Start: Monday10, Steps: append(says("refund RS005001, it's broken", "yes"), Step{Decide: "rejected"})},
		{ID: "s-refund-5000", Start: Monday10, Steps: says("refund JK500000, it's the wrong item", "yes")},
		{ID: "s-refund-5001", Start: Monday10, Steps: append(says("refund RS005001, it's the wrong item", "yes"),
			Step{Agent: "join"}, Step{Agent: "reply", Text: "I approved it."}, Step{Agent: "close"}, Step{Say: "5 great"})},
		{ID: "s-refund-320", Start: Monday10, Steps: says("I'd like my money back for AB123456", "it arrived broken", "yes")},
		{ID: "s-track", Start: Monday10, Customer: map[string]any{"name": "Ann"}, Steps: says("hi", "where is my order AB123456?", "thanks, bye")},
		{ID: "s-vip", Start: Monday10, Customer: vip, Steps: append(says("connect me to an agent"),
			Step{Agent: "join"}, Step{Agent: "note"}, Step{Agent: "reply"}, Step{Say: "ok thanks"}, Step{Agent: "close"}, Step{Rate: 4})},
		{ID: "s-handback", Start: Monday10, Steps: append(says("I want to speak to a person"),
			Step{Agent: "join"}, Step{Agent: "return"}, Step{Say: "where is my order CD654321"})},
		{ID: "s-transfer", Start: Monday10, Steps: append(says("This is ridiculous! Worst service ever, I'm furious"),
			Step{Agent: "join"}, Step{Agent: "transfer", Text: "general"}, Step{Wait: time.Minute, Agent: "join"}, Step{Agent: "close"}, Step{Say: "2 slow"})},
		{ID: "s-abandoned-queue", Start: Monday10, Steps: says("talk to a human", "hello?")},
		{ID: "s-stuck", Start: Monday10, Steps: says("blorp zzyzx", "qwerty asdf", "flibbertigibbet")},
		{ID: "s-after-hours", Start: time.Date(2026, 11, 22, 21, 0, 0, 0, time.FixedZone("CST", 8*3600)), Steps: says("talk to a human", "please call me back about order CD654321")},
		{ID: "s-outage", Start: Monday10, Steps: []Step{{Say: "where is my order EF111111", Outage: true}, {Say: "is it working now? order EF111111"}}},
		{ID: "s-quiet", Start: Monday10, Steps: []Step{{Say: "I want a refund for order CD654321"}, {Wait: 45 * time.Minute, Say: "where is my order CD654321"}}},
		{ID: "s-knowledge", Start: Monday10, Steps: says("how long do I have to return something?", "什么商品不能退货？", "do you sell bicycles")},
		{ID: "s-zh", Start: Monday10, Steps: says("我要退款，订单 ZH880299", "不想要了", "是的")},
		{ID: "s-cancel", Start: Monday10, Steps: says("I want a refund", "never mind", "change the address of order GH500000", "12 Nanjing Road, Shanghai", "yes")},
		{ID: "s-correction", Start: Monday10, Steps: says("refund order AB123456", "actually it's CD654321", "damaged", "no")},
	}
}

func says(texts ...string) []Step {
	out := make([]Step, len(texts))
	for i, t := range texts {
		out[i] = Step{Say: t}
	}
	return out
}

// FromTests plays each of the bot's tests (for_each cases included) as a
// conversation: its customer, its clock, its messages.
func FromTests(bot *policies.Bot) []Script {
	var out []Script
	for i, t := range bot.Tests {
		if len(t.Turns) == 0 {
			continue // a test of tickets: no conversation to record
		}
		s := Script{ID: fmt.Sprintf("t-%03d", i), Start: t.Now}
		if s.Start.IsZero() {
			s.Start = Monday10
		}
		if t.Customer != cty.NilVal && !t.Customer.IsNull() {
			if v, err := connectors.FromCty(t.Customer); err == nil {
				s.Customer, _ = v.(map[string]any)
			}
		}
		for _, turn := range t.Turns {
			s.Steps = append(s.Steps, Step{Say: turn.User})
		}
		out = append(out, s)
	}
	return out
}

// Generate makes n conversations from seed: messages drawn from the bot's own
// intent examples and from what customers say in the middle of a dialog
// (order numbers, reasons, yes and no, corrections, gibberish, survey
// scores), with agents, outages and pauses mixed in.
func Generate(bot *policies.Bot, seed uint64, n int) []Script {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var examples []string
	for _, in := range bot.Intents {
		for _, ex := range in.Examples {
			examples = append(examples, ex.Text)
		}
	}
	orders := []string{"AB123456", "CD654321", "EF111111", "GH500000", "JK500000", "PQ000499", "RS005001", "ZH880299", "LM222222", "ZZ999999"}
	answers := []string{"yes", "no", "yes please", "never mind", "cancel", "it's broken", "wrong item", "I changed my mind", "damaged",
		"actually it's %s", "%s", "order %s", "refund %s, it's the wrong item", "where is my order %s", "是的", "不想要了", "算了",
		"12 Nanjing Road, Shanghai", "blorp zzyzx", "?", "5", "4 good", "1 terrible", "talk to a human", "how do I return an item?", "退货运费谁出？", ""}
	profiles := []map[string]any{nil, {"name": "Ann"}, {"name": "Bo", "vip": true}, {}}
	out := make([]Script, n)
	for i := range out {
		s := Script{
			ID:       fmt.Sprintf("g-%d-%04d", seed, i),
			Start:    Monday10.Add(time.Duration(rng.IntN(7*24)) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second),
			Customer: profiles[rng.IntN(len(profiles))],
		}
		for range 1 + rng.IntN(7) {
			st := Step{Wait: time.Duration(1+rng.IntN(90)) * time.Second}
			if rng.IntN(12) == 0 {
				st.Wait = 45 * time.Minute
			}
			switch k := rng.IntN(10); {
			case k < 4:
				st.Say = examples[rng.IntN(len(examples))]
			default:
				a := answers[rng.IntN(len(answers))]
				if strings.Contains(a, "%s") {
					a = fmt.Sprintf(a, orders[rng.IntN(len(orders))])
				}
				st.Say = a
			}
			st.Outage = rng.IntN(25) == 0
			if st.Say == "" {
				st.Say = " "
			}
			s.Steps = append(s.Steps, st)
			// A supervisor may decide an approval the bot asked for, an agent
			// move a ticket on.
			switch rng.IntN(8) {
			case 0:
				s.Steps = append(s.Steps, Step{Decide: []string{"approved", "rejected"}[rng.IntN(2)]})
			case 1:
				s.Steps = append(s.Steps, Step{TicketStatus: []string{"pending", "solved", "closed"}[rng.IntN(3)]})
			}
			// A person may pick up a handoff: join, reply, then close or hand back.
			if rng.IntN(3) == 0 {
				s.Steps = append(s.Steps, Step{Agent: "join"}, Step{Agent: "reply"})
				switch rng.IntN(3) {
				case 0:
					s.Steps = append(s.Steps, Step{Agent: "close"}, Step{Rate: 1 + rng.IntN(5)})
				case 1:
					s.Steps = append(s.Steps, Step{Agent: "return"})
				}
			}
		}
		out[i] = s
	}
	return out
}

func startBackend(t testing.TB, shop *backend.Server) string {
	t.Helper()
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	return srv.URL
}

// FiveTurns makes n conversations of exactly five customer messages, the
// shape of the replay benchmark: refunds, tracking, knowledge questions,
// handoffs, small talk and mistakes, drawn from seed.
func FiveTurns(bot *policies.Bot, seed uint64, n int) []Script {
	rng := rand.New(rand.NewPCG(seed, seed^0x51ed2701))
	orders := []string{"AB123456", "CD654321", "EF111111", "GH500000", "JK500000", "PQ000499", "RS005001", "ZH880299"}
	flows := [][]string{
		{"hi", "I want a refund for order %s", "it arrived broken", "yes", "thanks, bye"},
		{"where is my order %s?", "when will it arrive", "can I change the address", "12 Nanjing Road, Shanghai", "yes"},
		{"how long do I have to return something?", "what about opened earphones", "refund %s", "I changed my mind", "no"},
		{"我要退款，订单 %s", "不想要了", "是的", "谢谢", "再见"},
		{"blorp zzyzx", "track my order", "%s", "thanks", "bye"},
		{"I want to speak to a person", "hello?", "anyone there", "ok", "bye"},
		{"change the address of order %s", "never mind", "where is my order %s", "great", "that's all, thanks"},
		{"refund order %s", "actually it's %s", "damaged", "yes", "thank you, goodbye"},
	}
	profiles := []map[string]any{nil, {"name": "Ann"}, {"name": "Bo", "vip": true}}
	out := make([]Script, n)
	for i := range out {
		flow := flows[rng.IntN(len(flows))]
		s := Script{
			ID:       fmt.Sprintf("f-%d-%05d", seed, i),
			Start:    Monday10.Add(time.Duration(rng.IntN(5*24)) * time.Hour),
			Customer: profiles[rng.IntN(len(profiles))],
		}
		for _, text := range flow {
			for strings.Contains(text, "%s") {
				text = strings.Replace(text, "%s", orders[rng.IntN(len(orders))], 1)
			}
			s.Steps = append(s.Steps, Step{Say: text, Wait: time.Duration(5+rng.IntN(60)) * time.Second})
		}
		out[i] = s
	}
	return out
}

// Copy writes every conversation of src into dst as it is (its events,
// policy version and outcome rows), for benchmarks on stores where the
// engine would take long to record them.
func Copy(t testing.TB, dst, src store.Store) {
	t.Helper()
	ctx := context.Background()
	rows, err := src.Outcomes(ctx, store.OutcomeFilter{Limit: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string][]store.Outcome{}
	for _, o := range rows {
		outcomes[o.ConversationID] = append(outcomes[o.ConversationID], o)
	}
	convs, err := src.Conversations(ctx, store.ConversationFilter{Limit: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		events, err := src.Events(ctx, c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := dst.Begin(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		rec := store.TurnRecord{ConversationID: c.ID, CustomerID: c.CustomerID, Channel: c.Channel, Status: c.Status,
			Events: events, PolicyVersion: c.PolicyVersion, PolicyLabel: c.PolicyLabel, Outcomes: outcomes[c.ID]}
		if err := tx.Commit(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
}
