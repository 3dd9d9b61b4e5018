package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/parleyhq/parley/engine/store"
)

// ResolveIdentities resolves the first identity to a customer (creating it on
// first sight) and links the others to it. An identity that already belongs
// to someone else stays there: merging two customers is a person's decision.
func (e *Engine) ResolveIdentities(ctx context.Context, ids []store.Identity) (string, error) {
	cust, err := e.resolveIdentities(ctx, ids)
	return cust.ID, err
}

func (e *Engine) resolveIdentities(ctx context.Context, ids []store.Identity) (store.Customer, error) {
	cust, err := e.store.ResolveCustomer(ctx, ids[0].Channel, ids[0].ExternalID)
	if err != nil {
		return store.Customer{}, fmt.Errorf("resolve customer: %w", err)
	}
	for _, id := range ids[1:] {
		if err := e.store.LinkIdentity(ctx, cust.ID, id.Channel, id.ExternalID); err != nil && !errors.Is(err, store.ErrConflict) {
			return store.Customer{}, fmt.Errorf("link %s identity: %w", id.Channel, err)
		}
	}
	return cust, nil
}
