package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/parleyhq/parley/connectors"
	"github.com/parleyhq/parley/connectors/fixture"
	"github.com/parleyhq/parley/dialog"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
	"github.com/parleyhq/parley/policies"
)

// hookConnector wraps the fixture connector and runs a hook on every call.
type hookDriver struct {
	fixture.Driver
	hook func()
}

func (d hookDriver) Open(cfg connectors.Config) (connectors.Connector, error) {
	c, err := d.Driver.Open(cfg)
	if err != nil {
		return nil, err
	}
	return hookConnector{c, d.hook}, nil
}

type hookConnector struct {
	connectors.Connector
	hook func()
}

func (c hookConnector) Call(ctx context.Context, req connectors.Request) (connectors.Response, error) {
	c.hook()
	return c.Connector.Call(ctx, req)
}

const loopBot = `
bot "loop" {
  languages = ["en"]
}

intent "go" {
  examples = ["go", "start", "begin", "go now", "let's go"]
}

connector "sys" {
  type = "hooked"
  operation "ping" {
    fail = "unavailable"
  }
  operation "pay" {
    respond = { ok = true }
  }
}

dialog "pay" {
  trigger = [intent.go]
  call "pay" {
    operation = connector.sys.pay
    input     = {}
  }
  outcome "done" {
    reply = "paid"
  }
}
`

func loadHookedBot(t *testing.T, src string, hook func()) (*policies.Bot, *connectors.Registry) {
	t.Helper()
	reg := connectors.Default.Clone()
	reg.Register("hooked", hookDriver{hook: hook})
	bot, diags := policies.LoadFiles(map[string][]byte{"bot.hcl": []byte(src)}, policies.Options{Connectors: ConnectorTypes{Registry: reg}})
	if diags.HasErrors() {
		t.Fatal(hcl.Diagnostics(diags).Error())
	}
	return bot, reg
}

// A client that disconnects while a connector call runs must not lose the turn:
// the payment happened, so it is recorded.
func TestTurnSurvivesClientGoingAway(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	bot, reg := loadHookedBot(t, loopBot, cancel)
	st := memstore.New()
	e, err := New(context.Background(), bot, Options{Store: st, Connectors: reg})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Handle(ctx, Message{ConversationID: "c", ClientMessageID: "m1", Text: "go"})
	if err != nil {
		t.Fatalf("Handle: %v (the turn must finish after its connector call)", err)
	}
	if len(res.Calls) != 1 {
		t.Errorf("calls = %v", res.Calls)
	}
	audit, err := st.Audit(context.Background(), store.AuditFilter{ConversationID: "c", Action: "connector.call"})
	if err != nil || len(audit) != 1 {
		t.Errorf("audit = %v, %v; want the call recorded", audit, err)
	}
}

// loopingEngine runs a bot whose dialog a, started by "go", calls a failing
// connector whose on_error runs onErrorA. When that starts dialog b, b makes
// the same call and its on_error starts a again. calls counts the
// connector's calls.
func loopingEngine(t *testing.T, onErrorA string, calls func()) (*Engine, *memstore.Store) {
	t.Helper()
	src := `
bot "loop" {
  languages = ["en"]
}

intent "go" {
  examples = ["go", "start", "begin", "go now", "let's go"]
}

connector "sys" {
  type = "hooked"
  operation "ping" {
    fail = "unavailable"
  }
}

dialog "a" {
  trigger = [intent.go]
  call "ping" {
    operation = connector.sys.ping
    input     = {}
    on_error {
` + onErrorA + `
    }
  }
  outcome "done" {
    reply = "done"
  }
}
`
	if strings.Contains(onErrorA, "dialog.b") {
		src += `
dialog "b" {
  call "ping" {
    operation = connector.sys.ping
    input     = {}
    on_error {
      start = dialog.a
    }
  }
  outcome "done" {
    reply = "done"
  }
}
`
	}
	bot, reg := loadHookedBot(t, src, calls)
	st := memstore.New()
	e, err := New(context.Background(), bot, Options{Store: st, Connectors: reg})
	if err != nil {
		t.Fatal(err)
	}
	return e, st
}

// A bot whose error handling restarts the dialog that failed would call the
// connector forever; the engine stops it, drops the dialogs, says the error
// reply, and keeps the message, the calls made and why.
func TestBotLoopIsStopped(t *testing.T) {
	calls := 0
	e, st := loopingEngine(t, "      start = dialog.b", func() { calls++ })
	res, err := e.Handle(context.Background(), Message{ConversationID: "c", Text: "go"})
	if err != nil {
		t.Fatal(err)
	}
	if calls > maxAwaitedEffects+1 {
		t.Errorf("%d connector calls, want at most %d", calls, maxAwaitedEffects+1)
	}
	if len(res.Replies) != 1 || !strings.Contains(res.Replies[0].Text, "went wrong") || res.Dialog != "" {
		t.Errorf("replies %+v, dialog %q; want the error reply and no dialog", res.Replies, res.Dialog)
	}
	audit, err := st.Audit(context.Background(), store.AuditFilter{ConversationID: "c", Action: "connector.call"})
	if err != nil || len(audit) != maxAwaitedEffects+1 {
		t.Errorf("%d calls audited (%v), want each of the turn's %d", len(audit), err, maxAwaitedEffects+1)
	}
	// The next message starts afresh, and is stopped the same way.
	if res, err = e.Handle(context.Background(), Message{ConversationID: "c", Text: "go"}); err != nil || len(res.Replies) != 1 {
		t.Errorf("second message: %+v, %v", res, err)
	}
}

// What the bot said on its way into the loop reaches the customer: the
// replies of the last handler before the engine stopped it are not dropped
// (their events are committed, so the transcript would show words the
// customer never got).
func TestBotLoopKeepsWhatWasSaid(t *testing.T) {
	e, st := loopingEngine(t, "      reply = \"Trying again.\"\n      start = dialog.a", func() {})
	res, err := e.Handle(context.Background(), Message{ConversationID: "c", Text: "go"})
	if err != nil {
		t.Fatal(err)
	}
	tries := 0
	for _, r := range res.Replies {
		if r.Text == "Trying again." {
			tries++
		}
	}
	log, err := st.Events(context.Background(), "c", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	logged := 0
	for _, se := range log {
		var ev dialog.Event
		if err := json.Unmarshal(se.Data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type == dialog.EventReplySent && ev.Effect != nil && ev.Effect.Reply.Text == "Trying again." {
			logged++
		}
	}
	if tries == 0 || tries != logged {
		t.Errorf("the log holds %d of the handler's replies, the customer got %d", logged, tries)
	}
}
