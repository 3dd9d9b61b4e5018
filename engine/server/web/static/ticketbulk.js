// The tickets list's bulk changes: a checkbox per row, one for the whole
// page, and a bar to assign, set the status or the priority of the selected
// tickets at once (POST /v1/tickets/bulk). Each ticket is changed under the
// agent's own rights; the toast names those that were not, and why.

import { retryKeys } from "./common.js";
import { call, onSignedIn, onSignedOut, option, session, toast } from "./desk.js";

// MAX_BULK is the most tickets the server changes in one request.
const MAX_BULK = 100;

const $ = (id) => document.getElementById(id);
const els = {
  all: $("t-select-all"),
  bar: $("t-bulk-bar"),
  count: $("t-bulk-count"),
  assignee: $("t-bulk-assignee"),
  status: $("t-bulk-status"),
  priority: $("t-bulk-priority"),
  apply: $("t-bulk-apply"),
  clear: $("t-bulk-clear"),
};

// ticketSelection keeps which tickets of the list are selected, across the
// list's live refreshes, and applies the bar's change to them; reload
// refreshes the list afterwards.
export function ticketSelection(reload) {
  const picked = new Set();
  let shown = []; // the ids on the page, in order
  let busy = false;
  // The same change keeps its client_id until it is done: a retry after a
  // lost answer, or a double click, is done once.
  const keys = retryKeys();

  onSignedIn(loadAssignees);
  onSignedOut(() => {
    picked.clear();
    render([]);
  });
  els.all.addEventListener("change", () => {
    for (const id of shown) {
      if (els.all.checked) picked.add(id);
      else picked.delete(id);
    }
    sync();
  });
  els.clear.addEventListener("click", () => {
    picked.clear();
    sync();
    els.all.focus();
  });
  els.apply.addEventListener("click", apply);

  // checkbox is the box that selects ticket t in its row.
  function checkbox(t) {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.className = "pick";
    box.dataset.id = t.id;
    box.checked = picked.has(t.id);
    box.setAttribute("aria-label", `Select ${t.id} ${t.subject || ""}`.trim());
    // The row opens the ticket; the box only selects it.
    box.addEventListener("click", (e) => e.stopPropagation());
    box.addEventListener("keydown", (e) => e.stopPropagation());
    box.addEventListener("change", () => {
      if (box.checked) picked.add(t.id);
      else picked.delete(t.id);
      sync();
    });
    return box;
  }

  // render follows a new page of tickets: what left it is no longer selected.
  function render(tickets) {
    shown = tickets.map((t) => t.id);
    for (const id of [...picked]) if (!shown.includes(id)) picked.delete(id);
    sync();
  }

  function sync() {
    const n = picked.size;
    for (const box of document.querySelectorAll("#t-list input.pick")) box.checked = picked.has(box.dataset.id);
    els.all.checked = n > 0 && n === shown.length;
    els.all.indeterminate = n > 0 && n < shown.length;
    els.all.disabled = !shown.length;
    els.bar.hidden = n === 0;
    els.count.textContent = n === 1 ? "1 selected" : `${n} selected`;
    els.apply.disabled = busy;
  }

  // change is what the bar's selects say to do; placeholders are no change.
  function change() {
    const out = {};
    for (const [field, sel] of [["assignee", els.assignee], ["status", els.status], ["priority", els.priority]]) {
      const o = sel.selectedOptions[0];
      if (o && "pick" in o.dataset) out[field] = o.value;
    }
    return out;
  }

  async function apply() {
    const ch = change();
    if (!Object.keys(ch).length) {
      toast("Choose an assignee, a status or a priority to apply.");
      els.assignee.focus();
      return;
    }
    const ids = shown.filter((id) => picked.has(id));
    // The server keys each ticket's change by the client_id and checks it
    // against the change, not the list: so one id serves every part (a page
    // holds up to 200 tickets, a request 100), and a retry after a failure
    // is safe even when live updates took tickets off the selection.
    const sig = JSON.stringify(ch);
    const fromBar = els.bar.contains(document.activeElement);
    busy = true;
    sync();
    try {
      const results = [];
      for (let i = 0; i < ids.length; i += MAX_BULK) {
        const out = await call("POST", "/v1/tickets/bulk", { ids: ids.slice(i, i + MAX_BULK), ...ch, client_id: keys.key(sig) });
        results.push(...(out.results || []));
      }
      keys.done(sig);
      toast(summary(results));
      picked.clear();
      for (const sel of [els.assignee, els.status, els.priority]) sel.value = "";
      await reload();
    } catch (err) {
      toast(err.message || String(err));
    } finally {
      busy = false;
      sync();
      // Disabling Apply, then hiding the bar, dropped the keyboard's focus:
      // back to Apply to retry, or to the list when it is done.
      if (fromBar && !els.bar.contains(document.activeElement)) (picked.size ? els.apply : els.all).focus();
    }
  }

  return { checkbox, render };
}

// summary says how a bulk change went: "12 tickets updated, 1 not changed:
// T-… (reason)".
function summary(results) {
  const failed = results.filter((r) => r.error);
  const done = results.length - failed.length;
  let text = done === 1 ? "1 ticket updated" : `${done} tickets updated`;
  if (failed.length) {
    const shownFailures = failed.slice(0, 3).map((r) => `${r.id} (${r.error.message})`);
    if (failed.length > 3) shownFailures.push(`${failed.length - 3} more`);
    text += `, ${failed.length} not changed: ${shownFailures.join("; ")}`;
  }
  return text;
}

// loadAssignees offers who the selected tickets can go to: the agent
// themself or nobody; a supervisor, anyone on the staff.
async function loadAssignees() {
  const me = session.me || {};
  const people = new Map();
  if (me.id) people.set(me.id, `${me.name || me.id} (me)`);
  if (me.role === "supervisor" || me.role === "admin") {
    try {
      for (const a of (await call("GET", "/v1/dashboard")).staff || []) if (!people.has(a.id)) people.set(a.id, a.name || a.id);
    } catch {
      // Only themself and nobody, then.
    }
  }
  const opts = [...people].map(([id, name]) => option(id, name));
  const nobody = option("", "Unassigned");
  for (const o of [...opts, nobody]) o.dataset.pick = "";
  els.assignee.replaceChildren(option("", "Assign to…", true), ...opts, nobody);
}
