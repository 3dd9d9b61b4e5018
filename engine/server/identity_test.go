package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/engine/store/memstore"
)

// TestClaimedIdentityLinksNobody: a visitor who types someone's email at the
// start of a chat is not that customer. Before, the agent console then showed
// the visitor as the victim, with the victim's phone and other channel ids.
func TestClaimedIdentityLinksNobody(t *testing.T) {
	env := newInbox(t)
	ctx := context.Background()
	victim, err := env.store.ResolveCustomer(ctx, "email", "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.store.LinkIdentity(ctx, victim.ID, "phone", "+8613800138000"); err != nil {
		t.Fatal(err)
	}
	agent := env.agent("li", "Li")

	out := env.must(201, "POST", "/v1/conversations", "", map[string]any{"customer": map[string]any{"email": "Ann@Example.com", "name": "Ann"}})
	id, token := out["conversation_id"].(string), out["token"].(string)
	env.say(id, token, "human please")
	conv, err := env.store.Conversation(ctx, id)
	if err != nil || conv.CustomerID == victim.ID {
		t.Fatalf("the visitor became the customer whose email they typed: %+v, %v", conv, err)
	}
	hid := env.handoffID(id)
	env.must(200, "POST", "/v1/agent/handoffs/"+hid+"/claim", agent, nil)
	view := env.must(200, "GET", "/v1/agent/handoffs/"+hid, agent, nil)
	if ids := view["customer"].(map[string]any)["identities"].([]any); len(ids) != 0 {
		t.Errorf("the agent sees identities %v of a customer the visitor only claimed to be", ids)
	}
	want := map[string]any{"email": "ann@example.com", "name": "Ann"}
	if diff := cmp.Diff(want, view["unverified_customer"]); diff != "" {
		t.Errorf("the claim is not shown as unverified (-want +got):\n%s", diff)
	}
	after, _ := env.store.Customer(ctx, victim.ID)
	if len(after.Identities) != 2 {
		t.Errorf("the victim's identities changed: %v", after.Identities)
	}
}

func TestSignedIdentityIsChecked(t *testing.T) {
	env := newInbox(t)
	now := time.Now()
	sign := func(email string, exp int64) map[string]any {
		return map[string]any{"email": email, "expires": exp, "signature": SignIdentity(inboxIdentitySecret, email, "", exp)}
	}
	future, past := now.Add(time.Hour).Unix(), now.Add(-time.Minute).Unix()
	forged := sign("ann@example.com", future)
	forged["email"] = "bo@example.com"
	tests := []struct {
		name     string
		identity map[string]any
		want     int
	}{
		{"signed", sign("ann@example.com", future), http.StatusCreated},
		{"another email than signed", forged, http.StatusUnauthorized},
		{"expired", sign("ann@example.com", past), http.StatusUnauthorized},
		{"no signature", map[string]any{"email": "ann@example.com", "expires": future}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, out := env.call("POST", "/v1/conversations", "", map[string]any{"identity": tt.identity}); code != tt.want {
				t.Errorf("= %d %v, want %d", code, out, tt.want)
			}
		})
	}
	// A signed identity links: both conversations are one customer.
	var customers []string
	for range 2 {
		out := env.must(201, "POST", "/v1/conversations", "", map[string]any{"identity": sign("cy@example.com", future)})
		id, token := out["conversation_id"].(string), out["token"].(string)
		env.say(id, token, "hello")
		conv, err := env.store.Conversation(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		customers = append(customers, conv.CustomerID)
	}
	cust, err := env.store.Customer(context.Background(), customers[0])
	if customers[0] == "" || customers[0] != customers[1] || err != nil || len(cust.Identities) != 1 || cust.Identities[0] != (store.Identity{Channel: "email", ExternalID: "cy@example.com"}) {
		t.Errorf("signed conversations' customers = %q, %+v, %v; want one customer with the email", customers, cust, err)
	}
}

func TestSignedIdentityNeedsASecret(t *testing.T) {
	e := newShopEngine(t, memstore.New(), monday10)
	s := NewServer(e, ServerConfig{RouteEvery: -1})
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	exp := time.Now().Add(time.Hour).Unix()
	body := `{"identity":{"email":"ann@example.com","expires":` + strconv.FormatInt(exp, 10) + `,"signature":"` + SignIdentity("whatever", "ann@example.com", "", exp) + `"}}`
	req := httptest.NewRequest(http.MethodPost, "/v1/conversations", strings.NewReader(body))
	req.Host = "127.0.0.1"
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "set PARLEY_IDENTITY_SECRET") {
		t.Errorf("= %d %s, want 400 naming PARLEY_IDENTITY_SECRET", rec.Code, rec.Body)
	}
}
