// Parley agent console: queues, claiming, the conversation with its context,
// replies, internal notes, transfer, hand back and close. Talks to /v1/agent/...
// with the agent's API key (kept in sessionStorage: gone when the tab closes).
// Text from customers is only ever inserted as text, never as HTML.

import { backoff, enc, errorFrom, retryKeys, setTimeZone, when } from "./common.js";

const KEY_STORE = "parley.agentKey";
const POLL_MS = 5000;

const $ = (id) => document.getElementById(id);
const els = {
  signin: $("signin"),
  signinForm: $("signin-form"),
  keyInput: $("api-key"),
  signinError: $("signin-error"),
  app: $("app"),
  me: $("me"),
  status: $("status"),
  signout: $("signout"),
  live: $("live"),
  liveText: $("live-text"),
  mine: $("mine"),
  mineCount: $("mine-count"),
  awayWarning: $("away-warning"),
  inboxTab: $("inbox-tab"),
  inboxCount: $("inbox-count"),
  queues: $("queues"),
  detail: $("detail"),
  empty: $("empty"),
  handoff: $("handoff"),
  title: $("h-title"),
  sub: $("h-sub"),
  error: $("h-error"),
  claim: $("claim"),
  transferQueue: $("transfer-queue"),
  transfer: $("transfer"),
  assignBox: $("assign-box"),
  assignAgent: $("assign-agent"),
  assign: $("assign"),
  handback: $("handback"),
  close: $("close"),
  transcript: $("transcript"),
  typing: $("customer-typing"),
  replyForm: $("reply-form"),
  replyText: $("reply-text"),
  reply: $("reply"),
  note: $("note"),
  summary: $("summary"),
  reason: $("reason"),
  slots: $("slots"),
  customer: $("customer"),
};

const PAGE_TITLE = document.title;

let key = sessionStorage.getItem(KEY_STORE) || "";
let me = null;
let queues = [];
let mine = [];
let selected = null; // the open handoff, with its transcript
let fetchedAt = Date.now();
let socket = null;
let socketAttempts = 0;
let socketTimer = 0;
let pollTimer = 0;
let typingTimer = 0;

els.signinForm.addEventListener("submit", (e) => {
  e.preventDefault();
  signIn(els.keyInput.value.trim());
});
els.signout.addEventListener("click", signOut);
els.status.addEventListener("change", setStatus);
els.claim.addEventListener("click", () => selected && claim(selected.id));
els.transfer.addEventListener("click", transfer);
els.assign.addEventListener("click", assign);
els.handback.addEventListener("click", () => act("handback"));
els.close.addEventListener("click", () => act("close"));
els.replyForm.addEventListener("submit", (e) => {
  e.preventDefault();
  sendReply();
});
els.note.addEventListener("click", addNote);
els.replyText.addEventListener("input", sendTypingSignal);
els.replyText.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.isComposing) {
    e.preventDefault();
    sendReply();
  }
});
document.addEventListener("keydown", listKeys);
setInterval(renderLists, 15000); // keeps waiting times current between updates

// A session kept from before a reload resumes once every module of the page
// has run (DOMContentLoaded comes after them): the other modules learn of it
// from "parley:signedin", which one still loading would miss.
document.addEventListener("DOMContentLoaded", () => (key ? signIn(key) : showSignIn()));

// ---- session ----

async function signIn(k) {
  if (!k) return;
  key = k;
  els.signinError.textContent = "";
  try {
    me = await call("GET", "/v1/agent/me");
  } catch (err) {
    key = "";
    sessionStorage.removeItem(KEY_STORE);
    showSignIn(err.status === 401 || err.status === 403 ? "That key was not accepted." : err.message);
    return;
  }
  sessionStorage.setItem(KEY_STORE, key);
  els.keyInput.value = "";
  els.signin.hidden = true;
  els.app.hidden = false;
  setTimeZone(me.time_zone);
  els.me.textContent = `${me.name || me.id} · ${me.role || "agent"}`;
  els.status.value = me.status || "offline";
  // The other views (tickets.js, approvals.js, dashboard.js) start with the session.
  document.dispatchEvent(new CustomEvent("parley:signedin", { detail: { me, key } }));
  await refresh();
  connectSocket();
  schedulePoll();
}

function showSignIn(message = "") {
  els.app.hidden = true;
  els.signin.hidden = false;
  els.signinError.textContent = message;
  els.keyInput.focus();
}

function signOut() {
  wanted = "";
  sessionStorage.removeItem(KEY_STORE);
  key = "";
  me = null;
  if (socket) socket.close();
  socket = null;
  clearTimeout(pollTimer);
  clearTimeout(socketTimer);
  document.dispatchEvent(new CustomEvent("parley:signedout"));
  renderWaiting();
  showSignIn();
}

async function setStatus() {
  const status = els.status.value;
  try {
    await call("PUT", "/v1/agent/me/status", { status });
    me.status = status;
    renderAway();
  } catch (err) {
    els.status.value = me.status;
    alertError(err);
  }
}

// ---- data ----

async function refresh() {
  try {
    const [q, m] = await Promise.all([
      call("GET", "/v1/agent/queues"),
      call("GET", "/v1/agent/handoffs?status=assigned&mine=true"),
    ]);
    queues = (q.queues || []).map((x) => ({ ...x, handoffs: x.handoffs || [] }));
    mine = m.handoffs || [];
    fetchedAt = Date.now();
    renderLists();
    renderTransferOptions();
  } catch (err) {
    if (err.status === 401) return signOut();
    alertError(err);
  }
}

// wanted is the conversation the agent last asked to see: a refresh of the one
// before it that answers late must not take the screen back.
let wanted = "";

async function open(id, { focus = true } = {}) {
  if (focus) wanted = id;
  try {
    const h = await call("GET", `/v1/agent/handoffs/${enc(id)}`);
    if (wanted && h.id !== wanted) return;
    showHandoff(h);
    if (focus) els.detail.focus({ preventScroll: true });
  } catch (err) {
    alertError(err);
  }
}

async function claim(id) {
  wanted = id;
  try {
    const h = await call("POST", `/v1/agent/handoffs/${enc(id)}/claim`);
    await open(id, { focus: false });
    els.replyText.focus();
  } catch (err) {
    alertError(err.status === 409 ? new Error("Someone else has already claimed this conversation.") : err);
  }
  await refresh();
}

async function sendReply() {
  const text = els.replyText.value.trim();
  if (!selected || !text) return;
  // A quick reply's placeholder left as it is would reach the customer as
  // "[slot.order_id]": select it for the agent to fill in instead.
  const gaps = JSON.parse(els.replyText.dataset.gaps || "[]").filter((g) => text.includes(g));
  if (gaps.length) {
    alertError(new Error(`Fill in ${gaps.join(", ")} before sending: the customer would read it as it is.`));
    const at = els.replyText.value.indexOf(gaps[0]);
    els.replyText.focus();
    els.replyText.setSelectionRange(at, at + gaps[0].length);
    return;
  }
  await post("reply", text);
}

async function addNote() {
  const text = els.replyText.value.trim();
  if (!selected || !text) return;
  await post("note", text);
}

// messageKeys keep a reply's or note's client_message_id while the agent
// retries it (the answer was lost, a double submit): the customer gets it once.
const messageKeys = retryKeys();

async function post(action, text) {
  const id = selected.id;
  const sig = `${action} ${id} ${text}`;
  setBusy(true);
  try {
    const res = await call("POST", `/v1/agent/handoffs/${enc(id)}/${action}`, { text, client_message_id: messageKeys.key(sig) });
    messageKeys.done(sig);
    els.replyText.value = "";
    delete els.replyText.dataset.gaps;
    els.error.textContent = "";
    if (res && res.item && selected && selected.id === id) appendItem(res.item);
  } catch (err) {
    alertError(err);
  } finally {
    setBusy(false);
    els.replyText.focus();
  }
}

async function transfer() {
  const queue = els.transferQueue.value;
  if (!selected) return;
  if (!queue) {
    alertError(new Error("Choose the queue to transfer the conversation to."));
    els.transferQueue.focus();
    return;
  }
  await act("transfer", { queue, note: els.replyText.value.trim() });
}

// assign gives the conversation to the agent chosen (supervisors): a
// waiting one, or one another agent holds.
async function assign() {
  const agent = els.assignAgent.value;
  if (!selected) return;
  if (!agent) {
    alertError(new Error("Choose the agent to assign the conversation to."));
    els.assignAgent.focus();
    return;
  }
  await act("assign", { agent, note: els.replyText.value.trim() });
}

// renderAssignOptions lists who a supervisor can give the conversation to,
// with their status and load, from the dashboard's staff.
async function renderAssignOptions(h) {
  let staff = [];
  try {
    staff = (await call("GET", "/v1/dashboard")).staff || [];
  } catch {
    return; // the box stays with what it had
  }
  if (!selected || selected.id !== h.id) return;
  const none = document.createElement("option");
  none.value = "";
  none.textContent = "Assign to…";
  els.assignAgent.replaceChildren(
    none,
    ...staff
      .filter((a) => a.id !== h.agent)
      .map((a) => {
        const o = document.createElement("option");
        o.value = a.id;
        o.textContent = `${a.name || a.id} (${a.status}, ${a.chats}/${a.max_chats})`;
        return o;
      }),
  );
}

// act runs transfer, handback or close; the typed text, if any, goes with it as the note.
async function act(action, payload) {
  if (!selected) return;
  const body = payload || { note: els.replyText.value.trim() };
  setBusy(true);
  try {
    const h = await call("POST", `/v1/agent/handoffs/${enc(selected.id)}/${action}`, body);
    selected.status = (h || {}).status || selected.status;
    els.replyText.value = "";
    if (h) await open(selected.id, { focus: false });
  } catch (err) {
    alertError(err);
  } finally {
    setBusy(false);
  }
  await refresh();
}

// ---- live updates ----

function connectSocket() {
  if (!key || (socket && socket.readyState <= WebSocket.OPEN)) return;
  clearTimeout(socketTimer);
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/v1/agent/ws?${new URLSearchParams({ key })}`);
  socket = ws;
  ws.addEventListener("open", () => {
    socketAttempts = 0;
    setLive(true);
    refresh(); // catch up on anything missed while disconnected
    document.dispatchEvent(new CustomEvent("parley:frame", { detail: { type: "reconnected" } }));
  });
  ws.addEventListener("message", (ev) => {
    let frame;
    try {
      frame = JSON.parse(ev.data);
    } catch {
      return;
    }
    onFrame(frame);
  });
  ws.addEventListener("close", () => {
    if (socket !== ws) return;
    socket = null;
    setLive(false);
    if (key) socketTimer = setTimeout(connectSocket, backoff(socketAttempts++));
  });
}

function onFrame(frame) {
  document.dispatchEvent(new CustomEvent("parley:frame", { detail: frame }));
  switch (frame.type) {
    case "queue_changed":
      refresh();
      if (selected) open(selected.id, { focus: false });
      break;
    case "item":
      if (selected && (frame.handoff_id === selected.id || frame.conversation_id === selected.conversation_id)) {
        appendItem(frame.item);
        if (frame.item && frame.item.from === "customer") hideTyping();
      }
      break;
    case "conversation_changed":
      // Something was said: re-read the open conversation if it is this one.
      if (selected && (frame.handoff_id === selected.id || frame.conversation_id === selected.conversation_id)) {
        open(selected.id, { focus: false });
        hideTyping();
      }
      break;
    case "typing":
      if (selected && frame.conversation_id === selected.conversation_id) {
        els.typing.hidden = false;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(hideTyping, 4000);
      }
      break;
  }
}

// schedulePoll is the fallback when the socket is down (proxies that drop
// WebSockets): queues and the open conversation refresh every few seconds.
function schedulePoll() {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    if (key && (!socket || socket.readyState !== WebSocket.OPEN)) {
      await refresh();
      if (selected) await open(selected.id, { focus: false });
    }
    if (key) schedulePoll();
  }, POLL_MS);
}

function setLive(on) {
  els.live.classList.toggle("on", on);
  els.liveText.textContent = on ? "Live" : "Offline, refreshing every 5 seconds";
  els.live.title = on ? "Live updates" : "Offline: refreshing every 5 seconds";
}

let lastTypingSent = 0;

// sendTypingSignal lets the customer see "Ann is typing…" (at most every 3 s).
function sendTypingSignal() {
  const now = Date.now();
  if (!selected || !socket || socket.readyState !== WebSocket.OPEN || now - lastTypingSent < 3000) return;
  lastTypingSent = now;
  socket.send(JSON.stringify({ type: "typing", conversation_id: selected.conversation_id }));
}

function hideTyping() {
  els.typing.hidden = true;
}

// ---- rendering ----

function renderLists() {
  if (!me) return;
  const elapsed = Math.floor((Date.now() - fetchedAt) / 1000);
  els.mineCount.textContent = String(mine.length);
  renderAway();
  els.mine.replaceChildren(...mine.map((h) => listItem(h, elapsed, false)));
  if (!mine.length) els.mine.append(emptyRow("Nothing assigned to you."));

  renderWaiting();
  els.queues.replaceChildren();
  for (const q of queues) {
    const box = document.createElement("section");
    box.className = "queue";
    const head = document.createElement("div");
    head.className = "queue-head";
    const name = document.createElement("h3");
    name.textContent = q.name;
    const stats = document.createElement("span");
    stats.className = "stats";
    stats.textContent = q.waiting
      ? `${q.waiting} waiting · oldest ${duration((q.oldest_wait_seconds || 0) + elapsed)}`
      : "no one waiting";
    head.append(name, stats);
    const list = document.createElement("ul");
    list.className = "list";
    const waiting = (q.handoffs || []).filter((h) => !h.status || h.status === "waiting");
    list.append(...waiting.map((h) => listItem(h, elapsed, true)));
    box.append(head, list);
    els.queues.append(box);
  }
}

// renderAway warns an agent who is offline while holding conversations:
// nobody else sees those customers, who wait for them.
function renderAway() {
  const n = me && me.status === "offline" ? mine.length : 0;
  els.awayWarning.textContent = n
    ? `You're offline, but ${n === 1 ? "a customer waits" : `${n} customers wait`} for you here. Reply, transfer or close, or go online.`
    : "";
}

// renderWaiting shows how many customers wait in the agent's queues on the
// Inbox tab and in the page's title, so that an agent working a ticket, or in
// another browser tab, sees a chat arrive.
function renderWaiting() {
  const n = me ? queues.reduce((sum, q) => sum + (q.waiting || 0), 0) : 0;
  els.inboxCount.hidden = n === 0;
  els.inboxCount.textContent = String(n);
  els.inboxTab.setAttribute("aria-label", n ? `Inbox, ${n} waiting` : "Inbox");
  document.title = n ? `(${n}) ${PAGE_TITLE}` : PAGE_TITLE;
}

function listItem(h, elapsed, claimable) {
  const li = document.createElement("li");
  li.className = "item";
  li.tabIndex = 0;
  li.dataset.id = h.id;
  if (selected && selected.id === h.id) li.classList.add("selected");
  const title = document.createElement("span");
  title.className = "title";
  for (const b of badges(h)) title.append(b);
  title.append(document.createTextNode(customerName(h)));
  li.append(title);
  if (claimable) {
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "claim";
    btn.textContent = "Claim";
    btn.setAttribute("aria-label", `Claim conversation with ${customerName(h)}`);
    btn.addEventListener("click", (e) => {
      e.stopPropagation();
      claim(h.id);
    });
    li.append(btn);
  } else {
    li.append(document.createElement("span"));
  }
  const sub = document.createElement("span");
  sub.className = "sub";
  const waited = h.waiting_seconds != null && (!h.status || h.status === "waiting") ? `waiting ${duration(h.waiting_seconds + (claimable ? elapsed : 0))}` : "";
  sub.textContent = [h.queue, waited, h.summary || h.reason].filter(Boolean).join(" · ");
  sub.title = h.summary || ""; // the line is cut short; the whole summary on hover
  li.append(sub);
  li.addEventListener("click", () => open(h.id));
  li.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target === li) open(h.id);
  });
  return li;
}

function emptyRow(text) {
  const li = document.createElement("li");
  li.className = "hint";
  li.textContent = text;
  return li;
}

function badges(h) {
  const out = [];
  const add = (label, cls) => {
    const b = document.createElement("span");
    b.className = `badge ${cls}`;
    b.textContent = label;
    out.push(b);
  };
  const profile = (h.customer && h.customer.profile) || {};
  const reason = String(h.reason || "").toLowerCase();
  if (profile.vip === true || h.queue === "vip") add("VIP", "vip");
  if (reason.includes("angry") || reason.includes("sentiment")) add("angry", "angry");
  if (h.priority && h.priority !== "normal") add(h.priority, h.priority);
  return out;
}

function showHandoff(h) {
  const sameConversation = selected && selected.id === h.id;
  selected = h;
  els.empty.hidden = true;
  els.handoff.hidden = false;
  els.error.textContent = "";
  els.title.replaceChildren(...badges(h), document.createTextNode(customerName(h)));
  const agent = agentOf(h);
  els.sub.textContent = [
    `Queue ${h.queue}`,
    h.status,
    agent ? `with ${agent.name || agent.id}` : "",
    h.waiting_seconds != null && h.status === "waiting" ? `waiting ${duration(h.waiting_seconds)}` : "",
  ]
    .filter(Boolean)
    .join(" · ");

  const mineNow = h.status === "assigned" && agent && me && (agent.id === me.id || agent.name === me.name);
  els.claim.hidden = h.status !== "waiting";
  for (const el of [els.transfer, els.transferQueue, els.handback, els.close]) el.hidden = !mineNow;
  els.transfer.parentElement.hidden = !mineNow;
  const supervises = me && (me.role === "supervisor" || me.role === "admin");
  els.assignBox.hidden = !(supervises && (h.status === "waiting" || h.status === "assigned"));
  // Listed again when the conversation or its holder changes, not on every update.
  if (!els.assignBox.hidden && els.assignBox.dataset.for !== `${h.id}:${h.agent}`) {
    els.assignBox.dataset.for = `${h.id}:${h.agent}`;
    renderAssignOptions(h);
  }
  els.replyForm.hidden = !mineNow;
  renderTransferOptions();

  els.summary.textContent = h.summary || "—";
  els.reason.textContent = h.reason_text ? `${h.reason_text} (${h.reason})` : h.reason || "—";
  fillList(els.slots, h.slots);
  const c = h.customer || {};
  const profile = { ...(c.profile || {}) };
  if (c.id) profile.id = c.id;
  for (const [i, ident] of (c.identities || []).entries()) {
    profile[`identity ${i + 1}`] = typeof ident === "string" ? ident : [ident.channel, ident.external_id].filter(Boolean).join(": ");
  }
  // What the customer typed about themselves and nobody verified.
  for (const [k, v] of Object.entries(h.unverified_customer || {})) profile[`${k} (unverified)`] = v;
  fillList(els.customer, profile);

  const atBottom = els.transcript.scrollHeight - els.transcript.scrollTop - els.transcript.clientHeight < 40;
  els.transcript.replaceChildren();
  for (const item of h.transcript || []) appendItem(item, false);
  if (!h.transcript && agent && !mineNow) {
    // The server shows a conversation's words only to the agent who holds it
    // (and supervisors): say so, rather than show it as if nobody wrote.
    const li = document.createElement("li");
    li.className = "t system";
    const text = document.createElement("div");
    text.className = "text";
    text.textContent = `${agent.name || agent.id} has this conversation now: only they and supervisors can read it.`;
    li.append(text);
    els.transcript.append(li);
  }
  for (const m of h.undelivered || []) appendUndelivered(m);
  if (!sameConversation || atBottom) els.transcript.scrollTop = els.transcript.scrollHeight;
  for (const li of document.querySelectorAll(".item")) li.classList.toggle("selected", li.dataset.id === h.id);
  // The workspace (workspace.js) shows its parts beside the conversation.
  document.dispatchEvent(new CustomEvent("parley:handoff", { detail: { handoff: h, mine: Boolean(mineNow) } }));
}

function appendItem(item, scroll = true) {
  if (!item) return;
  if (item.seq && els.transcript.querySelector(`[data-seq="${item.seq}"]`)) return;
  if (selected) {
    selected.transcript = selected.transcript || [];
    if (scroll && !selected.transcript.some((x) => x.seq && x.seq === item.seq)) selected.transcript.push(item);
  }
  const kind = item.kind || "message";
  const li = document.createElement("li");
  const cls = kind === "note" ? "note" : kind === "survey" ? "bot" : kind !== "message" || item.from === "system" ? "system" : item.from;
  li.className = `t ${cls}`;
  if (item.seq) li.dataset.seq = String(item.seq);
  const who = document.createElement("span");
  who.className = "who";
  const at = when(item.at);
  const label =
    kind === "note"
      ? `Internal note${item.agent_name ? ` · ${item.agent_name}` : ""}`
      : item.from === "agent"
        ? item.agent_name || "Agent"
        : item.from === "bot"
          ? kind === "survey"
            ? "Bot · survey"
            : "Bot"
          : item.from === "customer"
            ? "Customer"
            : "";
  who.textContent = [label, at].filter(Boolean).join(" · ");
  const text = document.createElement("div");
  text.className = "text";
  if (/[\u3400-\u9fff]/.test(item.text || "")) text.lang = "zh";
  text.textContent = kind === "message" || kind === "note" || kind === "survey" ? item.text : kindLabel(item);
  li.append(who, text);
  els.transcript.append(li);
  if (scroll) els.transcript.scrollTop = els.transcript.scrollHeight;
}

// appendUndelivered shows a message the outbox gave up on: the customer did
// not get it, and an admin can have it tried once more.
function appendUndelivered(m) {
  const li = document.createElement("li");
  li.className = "t undelivered";
  li.dataset.outbox = m.id;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = [`Not delivered by ${m.channel}`, when(m.at)].filter(Boolean).join(" · ");
  const text = document.createElement("div");
  text.className = "text";
  if (/[\u3400-\u9fff]/.test(m.text || "")) text.lang = "zh";
  text.textContent = m.text;
  const reason = document.createElement("div");
  reason.className = "reason";
  reason.textContent = `not delivered: ${m.error || "unknown error"} (${m.attempts} attempts)`;
  li.append(who, text, reason);
  if (m.may_retry) {
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "retry";
    retry.textContent = "Retry";
    retry.addEventListener("click", async () => {
      retry.disabled = true;
      try {
        await call("POST", `/v1/admin/outbox/${enc(m.id)}/retry`);
        reason.textContent = "sending again…";
        retry.remove();
      } catch (err) {
        retry.disabled = false;
        alertError(err);
      }
    });
    li.append(retry);
  }
  els.transcript.append(li);
}

function kindLabel(item) {
  switch (item.kind) {
    case "agent_joined":
      return `${item.agent_name || "An agent"} joined`;
    case "agent_left":
      return `${item.agent_name || "The agent"} left the conversation`;
    case "handoff":
      return item.text ? `Handed off to queue ${item.text}` : "Handed off to a person";
    default:
      return "";
  }
}

function fillList(dl, obj) {
  dl.replaceChildren();
  const entries = Object.entries(obj || {}).filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (!entries.length) {
    const dd = document.createElement("dd");
    dd.textContent = "—";
    dl.append(dd);
    return;
  }
  for (const [k, v] of entries) {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    dd.textContent = typeof v === "object" ? JSON.stringify(v) : String(v);
    dl.append(dt, dd);
  }
}

function renderTransferOptions() {
  const current = selected ? selected.queue : "";
  const keep = els.transferQueue.value;
  // No queue is chosen until the agent chooses one: a Transfer clicked
  // without looking must not send the customer to whichever queue sorts first.
  const none = document.createElement("option");
  none.value = "";
  none.textContent = "Transfer to…";
  els.transferQueue.replaceChildren(
    none,
    ...queues
      .filter((q) => q.name !== current)
      .map((q) => {
        const o = document.createElement("option");
        o.value = q.name;
        o.textContent = q.name;
        return o;
      }),
  );
  if (keep) els.transferQueue.value = keep;
}

function setBusy(busy) {
  for (const el of [els.reply, els.note, els.transfer, els.assign, els.handback, els.close, els.claim]) el.disabled = busy;
}

function alertError(err) {
  els.error.textContent = err.message || String(err);
  if (els.handoff.hidden) {
    els.empty.hidden = false;
    els.empty.querySelector("p").textContent = err.message || String(err);
  }
}

// listKeys: j/k move between conversations, "/" jumps to the reply box.
function listKeys(e) {
  const tag = e.target.tagName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || e.ctrlKey || e.metaKey || e.altKey) return;
  const items = [...document.querySelectorAll(".sidebar .item")];
  if (!items.length) return;
  const at = items.indexOf(document.activeElement);
  if (e.key === "j" || e.key === "k") {
    e.preventDefault();
    const next = e.key === "j" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
    items[next].focus();
  } else if (e.key === "/" && !els.replyForm.hidden) {
    e.preventDefault();
    els.replyText.focus();
  }
}

// ---- helpers ----

function agentOf(h) {
  if (!h.agent) return null;
  return typeof h.agent === "string" ? { id: h.agent, name: h.agent } : h.agent;
}

function customerName(h) {
  const c = h.customer || {};
  const p = c.profile || {};
  return p.name || h.customer_name || `Conversation ${h.conversation_id || h.id}`;
}

async function call(method, path, payload) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${key}` };
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
  if (!res.ok) throw await errorFrom(res, `${method} ${path}: `);
  if (res.status === 204) return null;
  return res.json();
}

function duration(s) {
  s = Math.max(0, Math.round(s));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}



