package dialog

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/connectortest"
	"github.com/parleyhq/parley/connectors/fixture"
	_ "github.com/parleyhq/parley/connectors/httpconn"
	"github.com/parleyhq/parley/nlu"
	"github.com/parleyhq/parley/policies"
)

// connectorTypes adapts the connector registry for the policy loader, as the
// engine does.
type connectorTypes struct{}

func (connectorTypes) Lookup(typ string) (hcldec.Spec, hcldec.Spec, bool) {
	d, ok := connectors.Default.Lookup(typ)
	if !ok {
		return nil, nil, false
	}
	s := d.Spec()
	return s.Connector, s.Operation, true
}

func (connectorTypes) Names() []string { return connectors.Default.Names() }

// Every test checks the cached evaluation scope against a fresh one.
func init() { verifyEnvCache = true }

var (
	botsMu sync.Mutex
	bots   = map[string]*policies.Bot{}
)

// loadBot loads a bot folder once per test binary.
func loadBot(t testing.TB, dir string) *policies.Bot {
	t.Helper()
	botsMu.Lock()
	defer botsMu.Unlock()
	if b := bots[dir]; b != nil {
		return b
	}
	b, diags := policies.LoadDir(dir, policies.Options{Connectors: connectorTypes{}})
	if diags.HasErrors() {
		t.Fatalf("load %s: %s", dir, diags.Error())
	}
	bots[dir] = b
	return b
}

// ---- a tiny fake NLU: results built by hand ----

type nluOpt func(*nlu.Result)

func intent(name string, conf float64) nluOpt {
	return func(r *nlu.Result) { r.Intents = append(r.Intents, nlu.IntentScore{Name: name, Confidence: conf}) }
}

func ent(typ, value string) nluOpt {
	return func(r *nlu.Result) {
		start := strings.Index(r.Text, value)
		r.Entities = append(r.Entities, nlu.Entity{Type: typ, Value: value, Text: value, Start: start, End: start + len(value)})
	}
}

func entText(typ, value, text string) nluOpt {
	return func(r *nlu.Result) {
		start := strings.Index(r.Text, text)
		e := nlu.Entity{Type: typ, Value: value, Text: text, Start: start, End: start + len(text)}
		if typ == "number" || typ == "money" {
			e.Number, _ = strconv.ParseFloat(value, 64)
		}
		r.Entities = append(r.Entities, e)
	}
}

func lang(l string) nluOpt       { return func(r *nlu.Result) { r.Language = l } }
func sentiment(s float64) nluOpt { return func(r *nlu.Result) { r.Sentiment = s } }
func cancel() nluOpt             { return func(r *nlu.Result) { r.Cancel = true } }
func correction() nluOpt         { return func(r *nlu.Result) { r.Correction = true } }

func say(text string, opts ...nluOpt) Input {
	r := nlu.Result{Text: text, Language: "en"}
	for _, o := range opts {
		o(&r)
	}
	return Input{Message: &Message{ID: "m-" + text, Text: text, NLU: r}}
}

// ---- a small engine: carries out effects with real fixture connectors ----

// monday10 is inside business hours for both test bots (UTC and Shanghai).
var monday10 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai, 02:00 UTC

type convo struct {
	t        testing.TB
	bot      *policies.Bot
	st       State
	log      []Event
	now      time.Time
	customer cty.Value
	conns    map[string]connectors.Connector
	tickets  int
	// callLog is every call the engine ran, "connector.operation".
	callLog []string
	channel string         // conversation.channel
	agents  map[string]int // agents online per queue
}

func newConvo(t testing.TB, bot *policies.Bot, id string) *convo {
	c := &convo{t: t, bot: bot, st: NewState(id), now: monday10, conns: map[string]connectors.Connector{}}
	for name := range bot.Connectors {
		c.openConnector(name, cty.NilVal)
	}
	return c
}

// standIns are fixture connectors that replace a bot's connectors of a type that
// needs a live system (examples/shop's "http" orders), keeping these tests pure
// and letting them set the data per conversation. Keyed by connector type, then
// name. examples/shop/shop_test.go runs the real thing against the backend.
var standIns = map[string]map[string]string{
	"http": {"orders": "testdata/shop_orders_fixture.hcl"},
}

// withData replaces a fixture connector's data, as a conversation test does.
func (c *convo) withData(connector string, data cty.Value) *convo {
	c.openConnector(connector, cty.ObjectVal(map[string]cty.Value{"data": data}))
	return c
}

// openConnector opens the bot's connector name; settings, when not cty.NilVal,
// replace the declared ones.
func (c *convo) openConnector(name string, settings cty.Value) {
	cn := c.bot.Connectors[name]
	if file, ok := standIns[cn.Type][name]; ok {
		src, err := os.ReadFile(file)
		if err != nil {
			c.t.Fatalf("stand-in for connector %s: %v", name, err)
		}
		cfg := connectortest.ConfigFromHCL(c.t, fixture.Driver{}, string(src))
		if settings != cty.NilVal {
			cfg.Settings = settings
		}
		conn, err := fixture.Driver{}.Open(cfg)
		if err != nil {
			c.t.Fatalf("open stand-in for connector %s: %v", name, err)
		}
		c.conns[name] = conn
		return
	}
	if settings == cty.NilVal {
		settings = cn.Settings
	}
	drv, ok := connectors.Default.Lookup(cn.Type)
	if !ok {
		c.t.Fatalf("no connector type %q", cn.Type)
	}
	ops := map[string]connectors.OperationConfig{}
	for on, op := range cn.Operations {
		var params []connectors.Param
		for _, p := range op.Inputs {
			params = append(params, connectors.Param{Name: p.Name, Type: p.Type, Optional: p.Optional})
		}
		ops[on] = connectors.OperationConfig{Inputs: params, Output: op.Output, Settings: op.Settings}
	}
	conn, err := drv.Open(connectors.Config{Name: name, Settings: settings, Operations: ops, Timeout: cn.Timeout})
	if err != nil {
		c.t.Fatalf("open connector %s: %v", name, err)
	}
	c.conns[name] = conn
}

// turn is what one input made the bot do.
type turn struct {
	Replies   []string
	Responses []string
	Calls     []string
	Handoff   *HandoffRequest
	Ticket    *TicketRequest
	Ended     bool
	Effects   []Effect
	Events    []Event
}

func (tn turn) eventTypes() []string {
	var out []string
	for _, e := range tn.Events {
		out = append(out, e.Type)
	}
	return out
}

func (tn turn) errors() []string {
	var out []string
	for _, e := range tn.Events {
		if e.Type == EventError {
			out = append(out, e.Error)
		}
	}
	return out
}

// send runs one input and then every awaited effect, like the engine loop, and
// checks after each Step that the log rebuilds the state and that state and events
// survive JSON.
func (c *convo) send(in Input) turn {
	c.t.Helper()
	in.Now = c.now
	in.Customer = c.customer
	in.Channel = c.channel
	in.AgentsOnline = c.agents
	var tn turn
	step := func(in Input) {
		// A step never changes the state it was given (a step copies the
		// session log once, then changes its own copy in place).
		before := c.st
		beforeJSON, err := before.AppendJSON(nil)
		if err != nil {
			c.t.Fatalf("encode state: %v", err)
		}
		st, effs, evs := Step(c.bot, c.st, in)
		if after, _ := before.AppendJSON(nil); string(after) != string(beforeJSON) {
			c.t.Fatalf("the step changed the state it was given:\nbefore %s\nafter  %s", beforeJSON, after)
		}
		c.st = st
		c.log = append(c.log, evs...)
		tn.Effects = append(tn.Effects, effs...)
		tn.Events = append(tn.Events, evs...)
		for _, ev := range evs {
			if ev.Type == EventError && strings.HasPrefix(ev.Error, "internal error") {
				c.t.Fatalf("%s", ev.Error)
			}
		}
		c.checkReplay()
		for _, e := range effs {
			switch e.Kind {
			case EffectReply:
				tn.Replies = append(tn.Replies, e.Reply.Text)
				if e.Reply.Response != "" {
					tn.Responses = append(tn.Responses, e.Reply.Response)
				}
			case EffectHandoff:
				tn.Handoff = e.Handoff
			case EffectTicket:
				tn.Ticket = e.Ticket
			case EffectEnd:
				tn.Ended = true
			}
		}
	}
	step(in)
	for i := 0; c.st.Awaiting() != nil; i++ {
		if i > 20 {
			c.t.Fatalf("the dialog keeps awaiting effects")
		}
		eff := c.st.Awaiting()
		res := c.execute(*eff)
		if eff.Kind == EffectCall {
			tn.Calls = append(tn.Calls, eff.Call.Connector+"."+eff.Call.Operation)
		}
		step(Input{Now: c.now, Customer: c.customer, Channel: c.channel, AgentsOnline: c.agents, Result: &res})
	}
	return tn
}

func (c *convo) execute(eff Effect) Result {
	switch eff.Kind {
	case EffectCall:
		c.callLog = append(c.callLog, eff.Call.Connector+"."+eff.Call.Operation)
		conn := c.conns[eff.Call.Connector]
		if conn == nil {
			return Result{EffectID: eff.ID, Error: "unavailable"}
		}
		resp, err := conn.Call(context.Background(), connectors.Request{Operation: eff.Call.Operation, Input: eff.Call.Input, IdempotencyKey: eff.Call.IdempotencyKey})
		if err != nil {
			return Result{EffectID: eff.ID, Error: connectors.ErrorCode(err)}
		}
		return Result{EffectID: eff.ID, Data: resp.Data}
	case EffectTicket:
		c.tickets++
		return Result{EffectID: eff.ID, TicketID: fmt.Sprintf("T-%d", c.tickets)}
	}
	c.t.Fatalf("effect %s is not awaited", eff.Kind)
	return Result{}
}

var stateOpts = cmp.Options{cmpopts.EquateEmpty()}

func (c *convo) checkReplay() {
	c.t.Helper()
	if diff := cmp.Diff(c.st, Replay(c.bot, NewState(c.st.ConversationID), c.log), stateOpts); diff != "" {
		c.t.Fatalf("Replay(log) differs from the state Step returned (-step +replay):\n%s", diff)
	}
	// The log and the state go through JSON in the store.
	raw, err := json.Marshal(c.log)
	if err != nil {
		c.t.Fatalf("marshal events: %v", err)
	}
	var events []Event
	if err := json.Unmarshal(raw, &events); err != nil {
		c.t.Fatalf("unmarshal events: %v", err)
	}
	if diff := cmp.Diff(c.st, Replay(c.bot, NewState(c.st.ConversationID), events), stateOpts); diff != "" {
		c.t.Fatalf("Replay(JSON log) differs (-step +replay):\n%s", diff)
	}
	raw, err = json.Marshal(c.st)
	if err != nil {
		c.t.Fatalf("marshal state: %v", err)
	}
	var st State
	if err := json.Unmarshal(raw, &st); err != nil {
		c.t.Fatalf("unmarshal state: %v", err)
	}
	if diff := cmp.Diff(c.st, st, stateOpts); diff != "" {
		c.t.Fatalf("state changes through JSON (-before +after):\n%s", diff)
	}
}

func (c *convo) slots() map[string]string {
	if len(c.st.Stack) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range c.st.Stack[len(c.st.Stack)-1].Slots {
		out[k] = v.Value
	}
	return out
}

func (c *convo) stack() []string {
	var out []string
	for _, f := range c.st.Stack {
		out = append(out, f.Dialog)
	}
	return out
}
