package server

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPI describes the HTTP API; TestOpenAPIMatchesRoutes keeps it honest.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) routesOpenAPI() {
	s.echo.GET("/v1/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/json", openAPI)
	})
}
