// The console's tickets view: list and filter tickets, open one with its
// history, conversation and SLA, update it (status, queue, priority,
// assignee), add internal notes, and file a ticket for a customer; change
// several at once (ticketbulk.js). New tickets in the agent's queues are
// announced live.

import { enc, retryKeys, uuid } from "./common.js";
import { ticketSelection } from "./ticketbulk.js";
import { badge, call, currentView, dismissToast, el, fill, onFrame, onShow, onSignedIn, onSignedOut, option, poll, row, session, showView, span, toast, transcript, when, works } from "./desk.js";

const $ = (id) => document.getElementById(id);
const els = {
  tab: document.querySelector('#views [data-view="tickets"]'),
  count: $("tickets-count"),
  view: $("tickets-view"),
  filters: $("t-filters"),
  q: $("t-q"),
  status: $("t-status"),
  queue: $("t-queue"),
  assignee: $("t-assignee"),
  priority: $("t-priority"),
  breached: $("t-breached"),
  summary: $("t-summary"),
  list: $("t-list"),
  detail: $("t-detail"),
  empty: $("t-empty"),
  ticket: $("t-ticket"),
  title: $("t-title"),
  sub: $("t-sub"),
  back: $("t-back"),
  error: $("t-error"),
  setStatus: $("t-set-status"),
  setQueue: $("t-set-queue"),
  setPriority: $("t-set-priority"),
  setAssignee: $("t-set-assignee"),
  save: $("t-save"),
  description: $("t-description"),
  noteForm: $("t-note-form"),
  note: $("t-note"),
  history: $("t-history"),
  transcriptHead: $("t-transcript-head"),
  transcript: $("t-transcript"),
  sla: $("t-sla"),
  customer: $("t-customer"),
  facts: $("t-facts"),
  newButton: $("t-new"),
  dialog: $("t-new-dialog"),
  newForm: $("t-new-form"),
  newSubject: $("t-new-subject"),
  newDescription: $("t-new-description"),
  newEmail: $("t-new-email"),
  newPhone: $("t-new-phone"),
  newQueue: $("t-new-queue"),
  newError: $("t-new-error"),
  newCancel: $("t-new-cancel"),
  newCreate: $("t-new-create"),
};

let queues = []; // {name, skill}
let tickets = [];
let selected = null;
let unseen = 0;
let fetchedAt = Date.now();
// Changes and notes carry a client_id kept while they are retried; a new
// ticket's is made once per filling of the form.
const keys = retryKeys();
let newTicketKey = "";
let searchTimer = 0;
const bulk = ticketSelection(load);

onSignedIn(async () => {
  await loadQueues();
  await load();
});
poll(() => currentView() === "tickets" && load(), () => 20000);
onSignedOut(() => {
  tickets = [];
  selected = null;
  unseen = 0;
  renderCount();
  closeDetail();
});
onShow("tickets", () => {
  unseen = 0;
  renderCount();
  load();
});
onFrame((f) => {
  switch (f.type) {
    case "ticket_created":
      if (works(skillOf(f.queue), f.queue)) {
        if (currentView() !== "tickets") unseen++;
        renderCount();
        toast(`New ticket in ${f.queue}`, () => {
          showView("tickets");
          open(f.ticket_id);
        }, `ticket:${f.ticket_id}`);
      }
      load();
      break;
    case "ticket_changed":
      load();
      if (selected && selected.id === f.ticket_id) open(f.ticket_id, { quiet: true });
      break;
    case "reconnected":
      load();
      break;
  }
});

for (const input of [els.status, els.queue, els.assignee, els.priority, els.breached]) input.addEventListener("change", load);
els.q.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(load, 250);
});
els.filters.addEventListener("submit", (e) => {
  e.preventDefault();
  load();
});
els.back.addEventListener("click", closeDetail);
els.save.addEventListener("click", save);
els.noteForm.addEventListener("submit", (e) => {
  e.preventDefault();
  addNote();
});
document.getElementById("t-send-reply").addEventListener("click", sendReply);
els.newButton.addEventListener("click", openNew);
els.newCancel.addEventListener("click", () => els.dialog.close());
els.newForm.addEventListener("submit", (e) => {
  e.preventDefault();
  createTicket();
});

// ---- data ----

async function loadQueues() {
  try {
    const out = await call("GET", "/v1/agent/queues");
    queues = (out.queues || []).map((q) => ({ name: q.name, skill: q.skill }));
  } catch {
    queues = [];
  }
  const names = queues.map((q) => q.name);
  els.queue.replaceChildren(option("", "All queues"), ...names.map((n) => option(n, n)));
  els.newQueue.replaceChildren(option("", "Let triage decide"), ...names.map((n) => option(n, n)));
  els.setQueue.replaceChildren(...names.map((n) => option(n, n)));
}

function skillOf(queue) {
  const q = queues.find((x) => x.name === queue);
  return q ? q.skill : "";
}

function query() {
  const p = new URLSearchParams();
  if (els.status.value) p.set("status", els.status.value);
  if (els.queue.value) p.set("queue", els.queue.value);
  if (els.assignee.value) p.set("assignee", els.assignee.value);
  if (els.priority.value) p.set("priority", els.priority.value);
  if (els.breached.checked) p.set("breached", "true");
  if (els.q.value.trim()) p.set("q", els.q.value.trim());
  return p.toString();
}

// TICKET_ID is how a ticket number looks (T-60B37157AF166D1A): customers
// quote it, and it is in no subject or description.
const TICKET_ID = /^T-[0-9A-F]{6,}$/i;

// load reads the list again. A bulk change sends a frame per ticket: while
// one read is on its way, the calls meanwhile make one more read after it,
// not one each.
let reading = null;
let rereading = null;
function load() {
  if (!reading) {
    reading = readList().finally(() => {
      reading = null;
    });
    return reading;
  }
  if (!rereading) {
    rereading = reading.then(() => {
      rereading = null;
      return load();
    });
  }
  return rereading;
}

async function readList() {
  if (!session.key) return;
  try {
    const q = els.q.value.trim();
    const byNumber = TICKET_ID.test(q) ? await findTicket(q.toUpperCase()) : null;
    // A ticket number names one ticket, whatever its status or queue.
    const out = byNumber ? { tickets: [byNumber] } : await call("GET", `/v1/tickets?${query()}`);
    tickets = out.tickets || [];
    fetchedAt = Date.now();
    renderList();
  } catch (err) {
    els.summary.textContent = err.message;
  }
}

// findTicket reads ticket id, or null when there is none.
async function findTicket(id) {
  try {
    return await call("GET", `/v1/tickets/${enc(id)}`);
  } catch (err) {
    if (err.status === 404 || err.status === 403) return null; // then search its text
    throw err;
  }
}

async function open(id, { quiet = false } = {}) {
  dismissToast(`ticket:${id}`);
  try {
    const [t, a] = await Promise.all([call("GET", `/v1/tickets/${enc(id)}`), call("GET", `/v1/tickets/${enc(id)}/assignees`)]);
    fetchedAt = Date.now();
    showTicket(t, a.agents || []);
    if (!quiet) els.detail.focus({ preventScroll: true });
  } catch (err) {
    if (!quiet) alertError(err);
  }
}

async function save() {
  if (!selected) return;
  const patch = {};
  if (els.setStatus.value !== selected.status) patch.status = els.setStatus.value;
  if (els.setQueue.value && els.setQueue.value !== selected.queue) patch.queue = els.setQueue.value;
  if (els.setPriority.value !== selected.priority) patch.priority = els.setPriority.value;
  if (els.setAssignee.value !== (selected.assignee || "")) patch.assignee = els.setAssignee.value;
  if (patch.status && els.note.value.trim()) patch.note = els.note.value.trim();
  if (!Object.keys(patch).length) {
    els.error.textContent = "Nothing changed.";
    return;
  }
  await change("PATCH", `/v1/tickets/${enc(selected.id)}`, patch, Boolean(patch.note));
}

async function addNote() {
  const text = els.note.value.trim();
  if (!selected || !text) return;
  await change("POST", `/v1/tickets/${enc(selected.id)}/notes`, { text }, true);
}

// sendReply sends the text to the customer, where the ticket is answered.
async function sendReply() {
  const text = els.note.value.trim();
  if (!selected || !text) return;
  await change("POST", `/v1/tickets/${enc(selected.id)}/replies`, { text }, true);
}

// change sends a change of the open ticket with its client_id: the same
// while the agent retries it, so a lost answer or a double submit is one.
async function change(method, path, body, clearNote) {
  const sig = `${method} ${path} ${JSON.stringify(body)}`;
  setBusy(true);
  els.error.textContent = "";
  try {
    await call(method, path, { ...body, client_id: keys.key(sig) });
    keys.done(sig);
    if (clearNote) els.note.value = "";
    await open(selected.id, { quiet: true });
    await load();
  } catch (err) {
    alertError(err);
  } finally {
    setBusy(false);
  }
}

function openNew() {
  els.newForm.reset();
  newTicketKey = uuid();
  els.newError.textContent = "";
  els.dialog.showModal();
  els.newSubject.focus();
}

async function createTicket() {
  const body = {
    subject: els.newSubject.value.trim(),
    description: els.newDescription.value.trim(),
    customer: { email: els.newEmail.value.trim(), phone: els.newPhone.value.trim() },
    queue: els.newQueue.value,
    // One per filling of the form: a double submit, or Create again after
    // a lost answer, is the same ticket.
    client_id: newTicketKey,
  };
  els.newError.textContent = "";
  els.newCreate.disabled = true;
  try {
    const out = await call("POST", "/v1/tickets", body);
    els.dialog.close();
    await load();
    await open(out.ticket.id);
  } catch (err) {
    els.newError.textContent = err.message;
  } finally {
    els.newCreate.disabled = false;
  }
}

// ---- rendering ----

function renderCount() {
  els.count.hidden = unseen === 0;
  els.count.textContent = String(unseen);
  els.tab.setAttribute("aria-label", unseen ? `Tickets, ${unseen} new` : "Tickets");
}

function renderList() {
  els.summary.textContent = tickets.length === 1 ? "1 ticket" : `${tickets.length} tickets`;
  els.list.replaceChildren(...tickets.map(listItem));
  if (!tickets.length) els.list.append(el("li", "hint", "No ticket matches."));
  bulk.render(tickets);
}

function listItem(t) {
  const li = row("ticket-item", t.id, selected && selected.id, open);
  li.append(bulk.checkbox(t));
  const title = el("span", "title");
  for (const b of ticketBadges(t)) title.append(b);
  title.append(document.createTextNode(t.subject || "(no subject)"));
  if (/[\u3400-\u9fff]/.test(t.subject)) title.lang = "zh";
  li.append(title, el("span", `status ${t.status}`, t.status));
  li.append(el("span", "sub", [t.id, t.queue, t.assignee ? `with ${t.assignee}` : "unassigned", dueText(t)].filter(Boolean).join(" · ")));
  return li;
}

function ticketBadges(t) {
  const out = [];
  if (t.priority && t.priority !== "normal") out.push(badge(t.priority, t.priority));
  if (t.breached_at) out.push(badge("SLA breached", "breached"));
  else if (t.overdue) out.push(badge("overdue", "breached"));
  return out;
}

// left is the time to the due time, by the server's clock when it answered.
function left(t) {
  return t.due_in_seconds == null ? null : t.due_in_seconds * 1000 - (Date.now() - fetchedAt);
}

function dueText(t) {
  const ms = left(t);
  if (ms == null || t.status === "solved" || t.status === "closed") return "";
  return ms >= 0 ? `due in ${span(ms)}` : `overdue ${span(ms)}`;
}

function showTicket(t, agents) {
  selected = t;
  els.view.classList.add("has-detail");
  els.empty.hidden = true;
  els.ticket.hidden = false;
  els.error.textContent = "";
  els.title.replaceChildren(...ticketBadges(t), document.createTextNode(t.subject || "(no subject)"));
  els.sub.textContent = [t.id, `${t.status}`, `from ${t.channel || "chat"}`, `opened ${when(t.created_at)}`].join(" · ");

  els.setStatus.replaceChildren(option(t.status, `${t.status} (now)`, true), ...(t.next_statuses || []).map((s) => option(s, s === "open" && t.status === "solved" ? "reopen" : s)));
  if (![...els.setQueue.options].some((o) => o.value === t.queue)) els.setQueue.append(option(t.queue, t.queue));
  els.setQueue.value = t.queue;
  els.setPriority.value = t.priority;
  const me = session.me || {};
  const people = new Map([["", "Unassigned"]]);
  if (t.assignee) people.set(t.assignee, t.assignee);
  if (me.id) people.set(me.id, `${me.name || me.id} (me)`);
  for (const a of agents) if (!people.has(a.id) || a.id === t.assignee) people.set(a.id, a.id === me.id ? `${a.name} (me)` : a.name);
  els.setAssignee.replaceChildren(...[...people].map(([id, name]) => option(id, name, id === (t.assignee || ""))));
  lock(t, false);

  els.description.textContent = t.restricted
    ? `This ticket is in the ${t.queue} queue, which you don't work: its customer, description and notes are for that queue's agents, its assignee and supervisors.`
    : t.description || "No description.";
  els.description.classList.toggle("restricted", !!t.restricted);
  els.description.lang = /[\u3400-\u9fff]/.test(t.description || "") ? "zh" : "";
  renderHistory(t.history || []);
  els.transcriptHead.hidden = els.transcript.hidden = !t.conversation_id;
  if (t.conversation_id) transcript(els.transcript, t.transcript);

  els.sla.replaceChildren();
  if (!t.due_at) els.sla.textContent = "No SLA for this queue and priority.";
  else {
    const due = el("span", "", `Due ${when(t.due_at)}`);
    const ms = left(t);
    const state =
      t.status === "solved" || t.status === "closed"
        ? el("span", "ok", ` · ${t.status}`)
        : ms >= 0
          ? el("span", "ok", ` · ${span(ms)} left`)
          : el("span", "late", ` · overdue by ${span(ms)}${t.breached_at ? " (breach flagged)" : ""}`);
    els.sla.append(due, state);
  }
  const c = t.customer || {};
  const who = {};
  for (const [i, ident] of (c.identities || []).entries()) who[i ? `identity ${i + 1}` : "contact"] = `${ident.channel}: ${ident.external_id}`;
  if (c.id) who.id = c.id;
  // A form's sender: answered there, but nobody vouched for it.
  for (const [k, v] of Object.entries(t.unverified_contact || {})) who[`${k} (unverified)`] = v;
  fill(els.customer, who);
  fill(els.facts, { queue: t.queue, priority: t.priority, assignee: t.assignee || "nobody", language: t.language });
  for (const li of els.list.querySelectorAll(".item")) li.classList.toggle("selected", li.dataset.id === t.id);
}

// renderHistory says who changed what, newest last.
function renderHistory(history) {
  els.history.replaceChildren();
  for (const h of history) {
    const li = el("li", h.field === "note" ? "note" : h.field === "reply" || h.field === "message" ? "reply" : h.field === "sla" ? "late" : "");
    const who = (h.actor || "").replace(/^agent:/, "");
    let what;
    switch (h.field) {
      case "status":
        what = h.from ? `changed the status from ${h.from} to ${h.to}` : h.note ? `opened it (${h.note})` : "opened it";
        break;
      case "assignee":
        what = h.to ? `assigned it to ${h.to}` : `unassigned ${h.from}`;
        break;
      case "queue":
        what = `moved it from ${h.from} to ${h.to}`;
        break;
      case "priority":
        what = `changed the priority from ${h.from} to ${h.to}`;
        break;
      case "subject":
        what = "renamed it";
        break;
      case "description":
        what = "edited the description";
        break;
      case "note":
        what = "noted";
        break;
      case "reply":
        what = "replied to the customer";
        break;
      case "message":
        what = "wrote (by email)";
        break;
      case "sla":
        what = `flagged the SLA breach (${h.note})`;
        break;
      default:
        what = `set it ${h.status}`;
    }
    li.append(el("span", "who", `${who} · ${when(h.at)}`), el("span", "what", what));
    if (h.note && h.field !== "sla" && !(h.field === "status" && !h.from)) li.append(el("q", "", h.note));
    els.history.append(li);
  }
}

function closeDetail() {
  selected = null;
  els.view.classList.remove("has-detail");
  els.ticket.hidden = true;
  els.empty.hidden = false;
  for (const li of els.list.querySelectorAll(".item")) li.classList.remove("selected");
}

function setBusy(busy) {
  if (selected) lock(selected, busy);
}

// lock disables what the agent can't do to t now: anything while a change
// is on its way; a closed ticket takes notes only. Restricted: the agent
// does not work its queue; the server left out the customer, description
// and notes, and they may not change it either.
function lock(t, busy) {
  const locked = busy || t.status === "closed" || !!t.restricted;
  for (const c of [els.setStatus, els.setQueue, els.setPriority, els.setAssignee, els.save, document.getElementById("t-send-reply")]) c.disabled = locked;
  els.note.disabled = !!t.restricted;
  document.getElementById("t-add-note").disabled = busy || !!t.restricted;
}

function alertError(err) {
  els.error.textContent = err.message || String(err);
}
