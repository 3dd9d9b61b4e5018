// The console's approvals view, for supervisors (and agents, when the
// analyst let agents decide): the calls the bot asked a person to approve (a
// refund over the limit), with why, what exactly runs, and the conversation;
// approve or reject with a note. New requests are announced live and counted
// on the tab.

import { enc } from "./common.js";
import { call, currentView, dismissToast, el, fill, onFrame, onShow, onSignedIn, onSignedOut, poll, row, session, showView, span, toast, transcript, when } from "./desk.js";

const $ = (id) => document.getElementById(id);
const els = {
  tab: document.querySelector('#views [data-view="approvals"]'),
  count: $("approvals-count"),
  view: $("approvals-view"),
  status: $("a-status"),
  summary: $("a-summary"),
  list: $("a-list"),
  detail: $("a-detail"),
  empty: $("a-empty"),
  approval: $("a-approval"),
  title: $("a-title"),
  sub: $("a-sub"),
  back: $("a-back"),
  error: $("a-error"),
  reason: $("a-reason"),
  rule: $("a-rule"),
  call: $("a-call"),
  decide: $("a-decide"),
  note: $("a-note"),
  may: $("a-may"),
  approve: $("a-approve"),
  reject: $("a-reject"),
  transcript: $("a-transcript"),
  facts: $("a-facts"),
  history: $("a-history"),
};

let approvals = [];
let pending = 0;
let selected = null;

const supervises = () => ["supervisor", "admin"].includes((session.me || {}).role);

onSignedIn(() => {
  els.tab.hidden = !supervises(); // an agent's tab shows when something waits for them
  load();
});
poll(load, () => (currentView() === "approvals" ? 15000 : 60000));
onSignedOut(() => {
  els.tab.hidden = true;
  approvals = [];
  pending = 0;
  renderCount();
  closeDetail();
});
onShow("approvals", load);
onFrame((f) => {
  switch (f.type) {
    case "approval_requested":
      load().then(() => {
        if (!approvals.some((a) => a.id === f.approval_id)) return; // not theirs to decide
        toast(`Approval needed in ${f.queue}`, () => {
          showView("approvals");
          open(f.approval_id);
        }, `approval:${f.approval_id}`);
      });
      break;
    case "approval_decided":
      load();
      if (selected && selected.id === f.approval_id) open(f.approval_id, { quiet: true });
      break;
    case "reconnected":
      load();
      break;
  }
});

els.status.addEventListener("change", load);
els.back.addEventListener("click", closeDetail);
els.approve.addEventListener("click", () => decide("approve"));
els.reject.addEventListener("click", () => decide("reject"));

async function load() {
  if (!session.key) return;
  try {
    const [list, waiting] = await Promise.all([
      call("GET", `/v1/approvals?status=${enc(els.status.value)}`),
      els.status.value === "pending" ? null : call("GET", "/v1/approvals?status=pending"),
    ]);
    approvals = list.approvals || [];
    pending = (waiting ? waiting.approvals : approvals).filter((a) => a.status === "pending").length;
    if (pending || approvals.length) els.tab.hidden = false;
    renderCount();
    renderList();
  } catch (err) {
    els.summary.textContent = err.message;
  }
}

async function open(id, { quiet = false } = {}) {
  dismissToast(`approval:${id}`);
  try {
    showApproval(await call("GET", `/v1/approvals/${enc(id)}`));
    if (!quiet) els.detail.focus({ preventScroll: true });
  } catch (err) {
    if (!quiet) els.error.textContent = err.message;
  }
}

async function decide(verb) {
  if (!selected) return;
  const id = selected.id;
  els.error.textContent = "";
  setBusy(true);
  try {
    await call("POST", `/v1/approvals/${enc(id)}/${verb}`, { note: els.note.value.trim() });
    els.note.value = "";
    await open(id, { quiet: true });
    await load();
  } catch (err) {
    els.error.textContent = err.status === 409 ? `${err.message}. The list is up to date now.` : err.message;
    await load();
    await open(id, { quiet: true });
  } finally {
    setBusy(false);
  }
}

// ---- rendering ----

function renderCount() {
  els.count.hidden = pending === 0;
  els.count.textContent = String(pending);
  els.tab.setAttribute("aria-label", pending ? `Approvals, ${pending} waiting` : "Approvals");
}

function renderList() {
  const n = approvals.length;
  els.summary.textContent = els.status.value === "pending" ? (n ? `${n} waiting for a decision` : "Nothing waits for a decision.") : `${n} requests`;
  els.list.replaceChildren(...approvals.map(listItem));
}

function amount(a) {
  const input = (a.call && a.call.input) || {};
  return input.amount !== undefined ? String(input.amount) : "";
}

function listItem(a) {
  const li = row("approval-item", a.id, selected && selected.id, open);
  const title = el("span", "title", a.reason);
  li.append(title, el("span", `status ${a.status}`, a.status));
  const parts = [`${a.call.connector}.${a.call.operation}`, a.queue];
  if (a.status === "pending" && a.expires_in_seconds != null) parts.push(`expires in ${span(a.expires_in_seconds * 1000)}`);
  else if (a.decided_by) parts.push(`${a.status} by ${a.decided_by.replace(/^agent:/, "")}`);
  parts.push(`asked ${when(a.created_at)}`);
  li.append(el("span", "sub", parts.join(" · ")));
  return li;
}

function showApproval(a) {
  selected = a;
  els.view.classList.add("has-detail");
  els.empty.hidden = true;
  els.approval.hidden = false;
  els.error.textContent = "";
  els.title.textContent = `${a.call.connector}.${a.call.operation}${amount(a) ? ` · ${amount(a)}` : ""}`;
  els.sub.textContent = [a.id, a.status, `queue ${a.queue}`, `asked ${when(a.created_at)}`].join(" · ");
  els.reason.textContent = a.reason;
  // The rule that asked, in the analyst's words: the policy being applied.
  els.rule.hidden = !a.rule;
  els.rule.textContent = a.rule ? `Rule ${a.rule}${a.rule_text ? `: ${a.rule_text}` : ""}` : "";
  const callFacts = { ...(a.call.input || {}) };
  callFacts["idempotency key"] = a.call.idempotency_key;
  fill(els.call, callFacts);
  const waiting = a.status === "pending";
  els.decide.hidden = !waiting;
  els.approve.disabled = els.reject.disabled = !a.may_decide;
  els.may.textContent = a.may_decide
    ? `Approving runs it once, exactly as shown; the customer is told either way. Expires in ${span((a.expires_in_seconds || 0) * 1000)}.`
    : `It needs a ${a.role} who works queue ${a.queue}.`;
  fill(els.facts, {
    status: a.status,
    "decided by": (a.decided_by || "").replace(/^agent:/, ""),
    decided: when(a.decided_at),
    note: a.note,
    outcome: outcomeText(a),
    expires: waiting ? when(a.expires_at) : "",
  });
  els.history.replaceChildren(
    ...(a.history || []).map((h) => {
      const li = el("li");
      li.append(el("span", "who", `${(h.actor || "").replace(/^agent:/, "")} · ${when(h.at)}`), el("span", "what", h.status));
      if (h.note) li.append(el("q", "", h.note));
      return li;
    }),
  );
  transcript(els.transcript, a.transcript);
  for (const li of els.list.querySelectorAll(".item")) li.classList.toggle("selected", li.dataset.id === a.id);
}

function outcomeText(a) {
  switch (a.outcome) {
    case "":
      return a.status === "pending" ? "" : "being carried out";
    case "ok":
      return "done: the call succeeded";
    case "done":
      return "the customer was told";
    default:
      return `the call failed: ${a.outcome}`;
  }
}

function closeDetail() {
  selected = null;
  els.view.classList.remove("has-detail");
  els.approval.hidden = true;
  els.empty.hidden = false;
  for (const li of els.list.querySelectorAll(".item")) li.classList.remove("selected");
}

function setBusy(busy) {
  els.approve.disabled = els.reject.disabled = busy || !(selected && selected.may_decide);
}
