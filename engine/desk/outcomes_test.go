package desk_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/desk"
	"github.com/parleyhq/parley/engine/store"
)

// A refund that waited for a supervisor is an approval, not resolved by the
// bot, and stays one when the decision comes after the customer left; an
// expiry whose on_expire opens a ticket revises it to ticket.
func TestApprovalOutcomes(t *testing.T) {
	for _, kind := range []storeKind{memKind, sqliteKind, postgresKind} {
		t.Run(kind.name, func(t *testing.T) {
			en := newEnv(t, kind)
			ctx := context.Background()
			outcomes := func() map[string]string {
				t.Helper()
				rows, err := en.st.Outcomes(ctx, store.OutcomeFilter{})
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]string{}
				for _, o := range rows {
					out[o.ConversationID] = o.Outcome
				}
				return out
			}

			approved := en.askRefund("c1", "RS005001")
			expired := en.askRefund("c2", "EF111111")
			en.clock.Advance(31 * time.Minute)
			if n, err := en.e.SettleDue(ctx, 10); err != nil || n != 2 {
				t.Fatalf("SettleDue = %d, %v; want both contacts", n, err)
			}
			if diff := cmp.Diff(map[string]string{"c1": "approval", "c2": "approval"}, outcomes()); diff != "" {
				t.Errorf("settled waiting (-want +got):\n%s", diff)
			}

			if _, _, err := en.d.Decide(ctx, approved.ID, en.agent("sue"), desk.Approve, ""); err != nil {
				t.Fatal(err)
			}
			if applied, _ := en.refunds("RS005001"); applied != 1 {
				t.Fatalf("refunds applied %d, want 1", applied)
			}
			en.clock.Advance(48 * time.Hour)
			if out, err := en.d.Sweep(ctx); err != nil || len(out.Carried) != 1 || out.Carried[0].Approval.ID != expired.ID {
				t.Fatalf("sweep = %+v, %v; want %s expired", out, err, expired.ID)
			}
			if diff := cmp.Diff(map[string]string{"c1": "approval", "c2": "ticket"}, outcomes()); diff != "" {
				t.Errorf("after the decisions (-want +got):\n%s", diff)
			}
		})
	}
}
