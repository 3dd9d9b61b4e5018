package server

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/store"
)

// reportFormats are the formats the server renders; a PDF needs Chromium on
// the server, which `parley report -format pdf` runs where one is installed.
var reportFormats = map[string]string{
	"json": "application/json",
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"html": "text/html; charset=utf-8",
}

// getReport renders the report `parley report` prints, for the period from
// ?from= up to ?to= (what -from and -to take: report.ParsePeriod; to is
// excluded, by default now, and from is 7 days before it), broken down
// ?by= dimensions, as ?format= json, csv, xlsx
// or html. The files come as attachments named after the bot and the
// period: the HTML page is self-contained (its styles and charts inline),
// which the console's own content policy would block if shown in place.
func (s *Server) getReport(c echo.Context) error {
	e := s.Engine()
	bot := e.Bot()
	loc := bot.Location()
	now := e.Now()
	format := c.QueryParam("format")
	if format == "" {
		format = "json"
	}
	contentType, ok := reportFormats[format]
	if !ok {
		return fmt.Errorf("%w: format must be json, csv, xlsx or html", engine.ErrInvalidInput)
	}
	from, to, err := report.ParsePeriod(c.QueryParam("from"), c.QueryParam("to"), loc, now)
	if err != nil {
		return err
	}
	var by []string
	for _, dim := range strings.Split(c.QueryParam("by"), ",") {
		if dim = strings.TrimSpace(dim); dim == "" {
			continue
		}
		if !slices.Contains(store.OutcomeDimensions, dim) {
			return fmt.Errorf("%w: by %q: use one of %s", engine.ErrInvalidInput, dim, strings.Join(store.OutcomeDimensions, ", "))
		}
		by = append(by, dim)
	}
	ctx := c.Request().Context()
	r, err := report.Build(ctx, s.store, bot, report.Options{From: from, To: to, By: by, Themes: true, Now: now})
	if err != nil {
		return err
	}
	// Rendered whole before sending, so that a failure is an error status
	// rather than half a file under 200.
	var out bytes.Buffer
	if err := report.Write(ctx, &out, r, format); err != nil {
		return fmt.Errorf("report as %s: %w", format, err)
	}
	if format != "json" {
		// Named after the first and the last day it covers: to is excluded.
		last := to.Add(-time.Nanosecond)
		name := fmt.Sprintf("%s-report-%s-%s.%s", bot.Name, from.In(loc).Format(time.DateOnly), last.In(loc).Format(time.DateOnly), format)
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	}
	return c.Blob(http.StatusOK, contentType, out.Bytes())
}
