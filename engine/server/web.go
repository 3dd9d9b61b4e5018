package server

import (
	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine/server/web"
)

// routesWeb serves the customer web chat (/) and the agent console (/console),
// both embedded in the binary. They call the JSON API like any other client.
func (s *Server) routesWeb() {
	h := echo.WrapHandler(web.Handler())
	for _, path := range []string{"/", "/console", "/console/", "/static/*"} {
		s.echo.GET(path, h)
		s.echo.HEAD(path, h)
	}
}
