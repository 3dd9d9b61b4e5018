package parleycmd

import (
	"net/http/httptest"
	"testing"

	"github.com/parleyhq/parley/examples/shop/backend"
)

// startShopBackend serves a freshly seeded examples/shop order system for the
// rest of the test and points the shop bot at it through SHOP_API_URL, which
// both in-process runs and started binaries read.
func startShopBackend(t *testing.T) *backend.Server {
	t.Helper()
	shop := backend.New(backend.Options{})
	srv := httptest.NewServer(shop)
	t.Cleanup(srv.Close)
	t.Setenv("SHOP_API_URL", srv.URL)
	return shop
}
