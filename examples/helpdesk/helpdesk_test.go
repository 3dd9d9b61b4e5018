// Package helpdesk_test runs the helpdesk bot's conversation tests, as
// `parley test examples/helpdesk` does: on their mocks, and with -live
// against the ServiceNow stand-in (package backend).
package helpdesk_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"

	_ "github.com/parleyhq/parley/connectors/httpconn"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/examples/helpdesk/backend"
)

func TestConversations(t *testing.T) {
	for _, live := range []bool{false, true} {
		name := map[bool]string{false: "mocks", true: "live"}[live]
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(backend.New())
			defer srv.Close()
			t.Setenv("HELPDESK_API_URL", srv.URL)
			bot, diags := engine.Load(".", nil)
			if diags.HasErrors() {
				t.Fatalf("load the helpdesk bot: %s", diags.Error())
			}
			if len(bot.Tests) < 40 {
				t.Errorf("%d tests, want at least 40", len(bot.Tests))
			}
			var out bytes.Buffer
			sum, err := engine.RunTests(context.Background(), bot, engine.TestOptions{Live: live}, &out)
			if err != nil {
				t.Fatalf("RunTests: %v\n%s", err, out.String())
			}
			if sum.Failed > 0 || sum.Passed == 0 {
				t.Errorf("%d passed, %d failed:\n%s", sum.Passed, sum.Failed, out.String())
			}
		})
	}
}
