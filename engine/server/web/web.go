// Package web holds the customer web chat (/) and the agent console (/console):
// plain HTML, CSS and JavaScript modules embedded in the binary, so a single
// parley binary serves them with no build step.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var files embed.FS

// page is an HTML page whose asset links carry a content hash (?v=...), so
// assets can be cached for a year and still change with every release.
type page struct {
	body []byte
}

type asset struct {
	body        []byte
	contentType string
	version     string
}

type handler struct {
	pages  map[string]page
	assets map[string]asset
	// modTime lets browsers revalidate pages with If-Modified-Since; embedded
	// files have no time of their own, so it is when the process started.
	modTime time.Time
}

// Handler serves GET/HEAD for "/" (web chat), "/console" (agent console) and
// "/static/..." (their assets). Everything else is 404.
func Handler() http.Handler {
	h, err := newHandler()
	if err != nil {
		// The files are embedded at compile time; failing here is a build defect.
		panic(fmt.Sprintf("web: %v", err))
	}
	return h
}

func newHandler() (*handler, error) {
	h := &handler{pages: map[string]page{}, assets: map[string]asset{}, modTime: time.Now()}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".html") {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.assets["/"+p] = asset{body: body, contentType: ct, version: hex.EncodeToString(sum[:6])}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read embedded assets: %w", err)
	}
	for route, name := range map[string]string{"/": "static/index.html", "/console": "static/console.html"} {
		body, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		for url, a := range h.assets {
			body = bytes.ReplaceAll(body, []byte(`"`+url+`"`), []byte(`"`+url+"?v="+a.version+`"`))
		}
		h.pages[route] = page{body: body}
	}
	return h, nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	setSecurityHeaders(w, r)
	route := r.URL.Path
	if route == "/console/" {
		route = "/console"
	}
	if p, ok := h.pages[route]; ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// Pages are small and name the current asset versions: always revalidate.
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "", h.modTime, bytes.NewReader(p.body))
		return
	}
	a, ok := h.assets[route]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	if r.URL.Query().Get("v") == a.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// An unversioned (or stale) link may see new content at any release.
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Header().Set("ETag", `"`+a.version+`"`)
	http.ServeContent(w, r, "", h.modTime, bytes.NewReader(a.body))
}

// setSecurityHeaders allows only this origin's scripts, styles and images, and
// connections back to it over HTTP(S) and WebSocket: message text is rendered
// as text, and the policy is the second line of defence should that ever slip.
func setSecurityHeaders(w http.ResponseWriter, r *http.Request) {
	connect := "'self'"
	if host := r.Host; host != "" && !strings.ContainsAny(host, " ;'\"") {
		connect += " ws://" + host + " wss://" + host
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "+
		"connect-src "+connect+"; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}
