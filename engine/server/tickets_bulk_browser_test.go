package server

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBrowserTicketsBulk drives the tickets list's bulk change in headless
// Chromium: Ann selects tickets one by one and the whole page, assigns them
// to herself and sets them pending in one go, again after a lost answer and
// with a double click; the toast counts what changed and names the ticket
// she may not change (its queue is not hers) with the reason; the list shows
// the change and the selection is gone; each ticket was changed once. A
// supervisor gives that one to Bo; more tickets than a request takes go in
// parts.
func TestBrowserTicketsBulk(t *testing.T) {
	chrome := findChromium(t)
	env := newDeskEnv(t)
	ann, tom := env.keys["ann"], env.keys["tom"]
	file := func(subject, queue string) string {
		out := env.must(201, "POST", "/v1/tickets", tom, map[string]any{"subject": subject, "description": "x", "queue": queue,
			"customer": map[string]any{"email": "cy@example.com"}})
		return field(out, "ticket", "id").(string)
	}
	r1, r2, cb := file("Refund for the blue kettle", "refund_review"), file("Refund for the red kettle", "refund_review"), file("Call me about my kettle", "callbacks")

	tab := startBrowser(t, chrome, 1280, 900)
	console := tab("console-bulk")
	t.Cleanup(func() {
		if t.Failed() {
			dir, err := os.MkdirTemp("", "parley-bulk-browser-")
			if err != nil {
				return
			}
			console.screenshot(t, filepath.Join(dir, console.name+".png"))
			t.Logf("screenshot of the failure is in %s", dir)
		}
	})
	pick := func(id string) string { return fmt.Sprintf(`#t-list input.pick[data-id=%q]`, id) }
	choose := func(sel, value string) {
		t.Helper()
		console.waitJS(t, fmt.Sprintf(`[...document.getElementById(%q).options].some(o => o.value === %q && "pick" in o.dataset)`, sel, value))
		console.eval(t, fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value })()`, sel, value))
	}
	barHidden := `document.getElementById("t-bulk-bar").hidden`
	nonePicked := `![...document.querySelectorAll("#t-list input.pick")].some(b => b.checked) && !document.getElementById("t-select-all").checked`

	console.signIn(t, env.url, ann)
	console.waitText(t, "#me", "Ann")
	console.click(t, `#views [data-view="tickets"]`)
	for _, s := range []string{"blue kettle", "red kettle", "Call me about"} {
		console.waitText(t, "#t-list .item", s)
	}
	console.waitJS(t, barHidden)

	// One by one: a box selects its ticket and opens nothing.
	console.click(t, pick(r1))
	console.waitText(t, "#t-bulk-count", "1 selected")
	console.click(t, pick(r2))
	console.waitText(t, "#t-bulk-count", "2 selected")
	console.waitJS(t, `document.getElementById("t-select-all").indeterminate && document.getElementById("t-ticket").hidden`)
	// The page's box, half ticked, takes all three; then it clears them.
	console.click(t, "#t-select-all")
	console.waitText(t, "#t-bulk-count", "3 selected")
	console.click(t, "#t-select-all")
	console.waitJS(t, barHidden+" && "+nonePicked)
	console.click(t, "#t-select-all")
	console.waitText(t, "#t-bulk-count", "3 selected")

	choose("t-bulk-assignee", "ann")
	choose("t-bulk-status", "pending")
	// The first answer is lost on the way back: the change is done, the page
	// says the request failed and keeps the selection. Apply again (twice,
	// quickly) is the same change, done once.
	console.eval(t, `(() => {
		const fetch = window.fetch;
		let lose = true;
		window.fetch = async (url, init) => {
			const res = await fetch(url, init);
			if (lose && String(url).endsWith("/v1/tickets/bulk")) {
				lose = false;
				throw new TypeError("Failed to fetch");
			}
			return res;
		};
		return true;
	})()`)
	console.click(t, "#t-bulk-apply")
	console.waitText(t, "#toasts .toast", "Failed to fetch")
	console.waitJS(t, `!document.getElementById("t-bulk-apply").disabled && document.activeElement.id === "t-bulk-apply"`)
	console.waitText(t, "#t-bulk-count", "3 selected")
	// From the keyboard: focus stays in the list when the bar goes.
	console.eval(t, `(() => { const b = document.getElementById("t-bulk-apply"); b.focus(); b.click(); b.click(); return true })()`)
	console.waitText(t, "#toasts .toast", "2 tickets updated, 1 not changed: "+cb+" (")
	console.waitText(t, "#toasts .toast", "which you don't work")
	for _, id := range []string{r1, r2} {
		console.waitJS(t, fmt.Sprintf(`[...document.querySelectorAll("#t-list .item")].some(li => li.dataset.id === %q && li.textContent.includes("with ann") && li.querySelector(".status").textContent === "pending")`, id))
	}
	console.waitJS(t, barHidden+" && "+nonePicked+` && document.activeElement.id === "t-select-all"`)

	for id, want := range map[string][]string{
		r1: {"status:open", "status:pending", "assignee:ann"},
		r2: {"status:open", "status:pending", "assignee:ann"},
		cb: {"status:open"},
	} {
		if diff := cmp.Diff(want, historyFields(env.must(200, "GET", "/v1/tickets/"+id, tom, nil))); diff != "" {
			t.Errorf("history of %s after the bulk change (-want +got):\n%s", id, diff)
		}
	}

	// The priority alone, of one ticket.
	console.click(t, pick(r2))
	console.waitText(t, "#t-bulk-count", "1 selected")
	choose("t-bulk-priority", "high")
	console.click(t, "#t-bulk-apply")
	console.waitText(t, "#toasts .toast", "1 ticket updated")
	console.waitJS(t, fmt.Sprintf(`[...document.querySelectorAll("#t-list .item")].some(li => li.dataset.id === %q && li.querySelector(".badge.high"))`, r2))
	if got := field(env.must(200, "GET", "/v1/tickets/"+r2, tom, nil), "priority"); got != "high" {
		t.Errorf("priority of %s = %v, want high", r2, got)
	}

	// A supervisor gives the one Ann could not take to Bo, who works its
	// queue: the bar offers the staff, not only themself.
	super := tab("console-bulk-supervisor")
	super.signIn(t, env.url, tom)
	super.waitText(t, "#me", "Tom")
	super.click(t, `#views [data-view="tickets"]`)
	super.click(t, pick(cb))
	super.waitJS(t, `[...document.getElementById("t-bulk-assignee").options].some(o => o.value === "bo" && o.textContent === "Bo")`)
	super.eval(t, `(() => { const s = document.getElementById("t-bulk-assignee"); s.value = "bo"; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value })()`)
	super.click(t, "#t-bulk-apply")
	super.waitText(t, "#toasts .toast", "1 ticket updated")
	super.waitJS(t, fmt.Sprintf(`[...document.querySelectorAll("#t-list .item")].some(li => li.dataset.id === %q && li.textContent.includes("with bo"))`, cb))

	// A page holds more than a request takes (100): the page sends parts.
	for i := range 100 {
		file(fmt.Sprintf("Refund %d", i), "refund_review")
	}
	console.waitText(t, "#t-summary", "103 tickets")
	console.click(t, "#t-select-all")
	console.waitText(t, "#t-bulk-count", "103 selected")
	choose("t-bulk-priority", "low")
	console.click(t, "#t-bulk-apply")
	console.waitText(t, "#toasts .toast", "102 tickets updated, 1 not changed: "+cb+" (")
	console.waitText(t, "#toasts .toast", "assigned to bo")
	if got := field(env.must(200, "GET", "/v1/tickets/"+r1, tom, nil), "priority"); got != "low" {
		t.Errorf("priority of %s = %v, want low", r1, got)
	}
}
