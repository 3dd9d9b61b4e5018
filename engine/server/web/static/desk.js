// What the console's tickets and approvals views share: the session (started
// and ended by console.js), API calls with the agent's key, switching views,
// live frames, and small rendering helpers. Text from customers and agents is
// only ever inserted as text, never as HTML.

import { errorFrom, when } from "./common.js";

export { when };

export const session = { key: "", me: null };

const signedIn = [];
const signedOut = [];
const frames = [];
const shown = new Map(); // view -> callbacks

export function onSignedIn(fn) { signedIn.push(fn); }
export function onSignedOut(fn) { signedOut.push(fn); }
export function onFrame(fn) { frames.push(fn); }
export function onShow(view, fn) { shown.set(view, [...(shown.get(view) || []), fn]); }

document.addEventListener("parley:signedin", (e) => {
  session.key = e.detail.key;
  session.me = e.detail.me;
  for (const fn of signedIn) fn(session.me);
});
document.addEventListener("parley:signedout", () => {
  session.key = "";
  session.me = null;
  showView("inbox");
  for (const fn of signedOut) fn();
});
document.addEventListener("parley:frame", (e) => {
  for (const fn of frames) fn(e.detail);
});

// ---- views: the inbox is the sidebar and #detail; the others a section.view ----

let current = "inbox";

export function currentView() { return current; }

export function showView(name) {
  current = name;
  for (const tab of document.querySelectorAll("#views .view-tab")) {
    if (tab.dataset.view === name) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  const inbox = name === "inbox";
  for (const el of document.querySelectorAll(".app > .sidebar, .app > .detail")) el.hidden = !inbox;
  for (const el of document.querySelectorAll(".app > .view")) el.hidden = el.dataset.view !== name;
  for (const fn of shown.get(name) || []) fn();
}

for (const tab of document.querySelectorAll("#views .view-tab")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
}

// poll runs fn every ms() while signed in: the fallback when the live socket
// is down (proxies that drop WebSockets), and a safety net when it is up.
export function poll(fn, ms) {
  let timer = 0;
  const tick = async () => {
    if (session.key) await fn();
    if (session.key) timer = setTimeout(tick, ms());
  };
  onSignedIn(() => {
    clearTimeout(timer);
    timer = setTimeout(tick, ms());
  });
  onSignedOut(() => clearTimeout(timer));
}

// ---- the API ----

export async function call(method, path, payload) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${session.key}` };
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
  if (!res.ok) throw await errorFrom(res, `${method} ${path}: `);
  if (res.status === 204) return null;
  return res.json();
}

// ---- rendering ----

// el makes an element with a class and text content.
export function el(tag, cls = "", text = "") {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  if (/[\u3400-\u9fff]/.test(text)) e.lang = "zh";
  return e;
}

// row is a list item that opens id on a click or Enter.
export function row(cls, id, selectedID, open) {
  const li = el("li", `item ${cls}`);
  li.tabIndex = 0;
  li.dataset.id = id;
  if (selectedID === id) li.classList.add("selected");
  li.addEventListener("click", () => open(id));
  li.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target === li) open(id);
  });
  return li;
}

export function badge(label, cls) {
  return el("span", `badge ${cls}`, label);
}

export function option(value, label, selected = false) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  o.selected = selected;
  return o;
}

// span is a human duration: "45 min", "3 h 20 min", "2 d 4 h".
export function span(ms) {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}


// fill shows obj as a definition list; empty values are left out.
export function fill(dl, obj) {
  dl.replaceChildren();
  const entries = Object.entries(obj).filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (!entries.length) {
    dl.append(el("dd", "", "—"));
    return;
  }
  for (const [k, v] of entries) dl.append(el("dt", "", k), el("dd", "", typeof v === "object" ? JSON.stringify(v) : String(v)));
}

// transcript shows a conversation's items, as the inbox does.
export function transcript(ol, items) {
  ol.replaceChildren();
  for (const it of items || []) {
    const kind = it.kind || "message";
    const cls = kind === "note" ? "note" : kind !== "message" && kind !== "survey" ? "system" : it.from;
    const li = el("li", `t ${cls}`);
    const who = kind === "note" ? `Internal note${it.agent_name ? ` · ${it.agent_name}` : ""}` : it.from === "agent" ? it.agent_name || "Agent" : it.from === "bot" ? "Bot" : it.from === "customer" ? "Customer" : "";
    li.append(el("span", "who", [who, when(it.at)].filter(Boolean).join(" · ")));
    const text = kind === "agent_joined" ? `${it.agent_name || "An agent"} joined` : kind === "agent_left" ? `${it.agent_name || "The agent"} left` : kind === "handoff" ? `Handed off${it.text ? ` to ${it.text}` : ""}` : it.text;
    li.append(el("div", "text", text || ""));
    ol.append(li);
  }
  if (!ol.children.length) ol.append(el("li", "hint", "Nothing was said."));
}

// toast shows a short message that goes away by itself. key names what it
// announces: opening that removes it (dismissToast).
export function toast(text, onClick, key = "") {
  let box = document.getElementById("toasts");
  if (!box) {
    box = el("div", "toasts");
    box.id = "toasts";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    document.body.append(box);
  }
  const t = el("button", "toast", text);
  t.type = "button";
  t.dataset.key = key;
  t.addEventListener("click", () => {
    t.remove();
    if (onClick) onClick();
  });
  box.append(t);
  // The newest two are enough to notice; older ones would cover the work.
  while (box.children.length > 2) box.firstElementChild.remove();
  setTimeout(() => t.remove(), 6000);
}

// dismissToast removes the toasts announcing key: the agent opened it, and a
// toast left over it would cover the page's buttons (Approve, at the bottom
// right) for nothing.
export function dismissToast(key) {
  for (const t of document.querySelectorAll("#toasts .toast")) {
    if (t.dataset.key === key) t.remove();
  }
}

// works says whether the signed-in agent works a queue with skill: agents
// with no skills work every queue, admins too.
export function works(skill, queue) {
  const me = session.me;
  if (!me) return false;
  const skills = me.skills || [];
  return me.role === "admin" || !skills.length || skills.includes(skill) || skills.includes(queue);
}
