package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser: PDF reports print the HTML report with Chromium, and none was found.
var ErrNoBrowser = errors.New("PDF reports are printed with headless Chromium, and no Chromium or Chrome was found: install it (Debian: apt-get install chromium fonts-noto-cjk) or set PARLEY_CHROME to its path")

// FindBrowser returns the Chromium or Chrome binary PDFs are printed with:
// PARLEY_CHROME, else the first of chromium, chromium-browser, google-chrome,
// google-chrome-stable on PATH.
func FindBrowser() (string, error) {
	if p := os.Getenv("PARLEY_CHROME"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("PARLEY_CHROME=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// writePDF prints the HTML report to an A4 PDF in headless Chromium.
func writePDF(ctx context.Context, w io.Writer, r *Report) error {
	var html bytes.Buffer
	if err := writeHTML(&html, r); err != nil {
		return err
	}
	pdf, err := PrintPDF(ctx, html.String())
	if err != nil {
		return err
	}
	_, err = w.Write(pdf)
	return err
}

// PrintPDF renders an HTML page to an A4 PDF with headless Chromium.
func PrintPDF(ctx context.Context, html string) ([]byte, error) {
	chrome, err := FindBrowser()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox, // as root in containers Chromium's sandbox cannot start
		chromedp.Flag("disable-dev-shm-usage", true),
	)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	var pdf []byte
	margin := 0.4 // inches
	err = chromedp.Do(bctx,
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: html})
			return err
		}),
		chromedp.WaitReady(chromedp.CSS("main")),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			printBackground := true
			res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
				PrintBackground: &printBackground, PaperWidth: 8.27, PaperHeight: 11.69, // A4
				MarginTop: &margin, MarginBottom: &margin, MarginLeft: &margin, MarginRight: &margin,
			})
			pdf = res.Data
			return err
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("print PDF with %s: %w", chrome, err)
	}
	return pdf, nil
}
