// Parley supervisor dashboard, inside the agent console: live queues and
// agents, today's figures against yesterday's, the satisfaction trend and why
// customers were dissatisfied. Reads GET /v1/dashboard (supervisors and admins)
// every 10 seconds while it is open. The console tells it who signed in with
// "parley:signedin" and "parley:signedout" events; nothing else is shared.

import { errorFrom } from "./common.js";

const REFRESH_MS = 10000;
const $ = (id) => document.getElementById(id);
const app = $("app");
const panel = $("dashboard");
const toggle = $("dashboard-toggle");

let key = "";
let timer = 0;
let open = false;
let zone = ""; // the bot's time zone, once the dashboard has said it

// The live figures are drawn again every refresh, in board; the reports form
// below them (built at the end of this module) is built once, so what a
// manager types in it stays put.
const board = el("div", { class: "dash-board" });
panel.append(board);

document.addEventListener("parley:signedin", (e) => {
  key = e.detail.key;
  const role = (e.detail.me && e.detail.me.role) || "agent";
  toggle.hidden = role !== "supervisor" && role !== "admin";
});
document.addEventListener("parley:signedout", () => {
  key = "";
  toggle.hidden = true;
  show(false);
});
toggle.addEventListener("click", () => show(!open));
// A view's tab (Inbox, Tickets, Approvals) means that view: the dashboard makes
// way for it rather than staying on top.
for (const tab of document.querySelectorAll("#views .view-tab")) {
  tab.addEventListener("click", () => show(false));
}

function show(on) {
  open = on;
  app.classList.toggle("dash-open", on);
  panel.hidden = !on;
  toggle.setAttribute("aria-pressed", String(on));
  toggle.textContent = on ? "Conversations" : "Dashboard";
  clearTimeout(timer);
  if (on) load();
}

async function load() {
  clearTimeout(timer);
  try {
    const res = await fetch("/v1/dashboard", { headers: { Accept: "application/json", Authorization: `Bearer ${key}` } });
    if (!res.ok) throw await errorFrom(res, "GET /v1/dashboard: ");
    render(await res.json());
  } catch (err) {
    renderError(err.message);
  }
  if (open) timer = setTimeout(load, REFRESH_MS);
}

// ---- rendering (text goes in as text, never as HTML) ----

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

const svgNS = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}) {
  const e = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function pct(v) { return v == null ? "–" : `${(v * 100).toFixed(1)}%`; }
function num(v, digits = 2) { return v == null ? "–" : v.toFixed(digits); }
function secs(v) {
  if (v == null) return "–";
  if (v < 90) return `${v.toFixed(1)} s`;
  if (v < 5400) return `${(v / 60).toFixed(1)} min`;
  return `${(v / 3600).toFixed(1)} h`;
}
function wait(s) {
  if (!s) return "–";
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

// figures: what "today against yesterday" shows; up says which way is better.
const figures = [
  { key: "conversations", label: "Conversations", fmt: (v) => (v == null ? "–" : String(v)), up: null },
  { key: "containment_rate", label: "Automatic resolution", fmt: pct, up: true, target: 0.8 },
  { key: "handoff_rate", label: "Handed to a person", fmt: pct, up: false },
  { key: "fcr_rate", label: "First-contact resolution", fmt: pct, up: true, target: 0.75 },
  { key: "csat_average", label: "Satisfaction (1-5)", fmt: (v) => num(v), up: true },
  { key: "bot_response_avg_seconds", label: "Bot response", fmt: secs, up: false, target: 5 },
  { key: "queue_wait_p90_seconds", label: "Queue wait, p90", fmt: secs, up: false },
];

function render(d) {
  const figuresOf = d.report;
  const queues = d.queues || [];
  const waiting = queues.reduce((n, q) => n + q.waiting, 0);
  const oldest = queues.reduce((n, q) => Math.max(n, q.oldest_wait_seconds), 0);
  const agents = d.agents || {};

  const live = el("div", { class: "dash-live" },
    tile("Waiting now", String(waiting), waiting > 0 ? `in ${queues.filter((q) => q.waiting).length} queue(s)` : "nobody waiting", waiting > 5 ? "warn" : ""),
    tile("Longest wait", wait(oldest), oldest > 120 ? "over 2 minutes" : "", oldest > 120 ? "alert" : ""),
    tile("Agents online", String(agents.online || 0), `${agents.busy || 0} busy · ${agents.offline || 0} offline`, (agents.online || 0) === 0 && waiting > 0 ? "alert" : ""),
  );

  const queueRows = queues.map((q) =>
    el("tr", { class: q.oldest_wait_seconds > 120 ? "late" : "" },
      el("td", {}, q.name), el("td", { class: "n" }, String(q.waiting)), el("td", { class: "n" }, wait(q.oldest_wait_seconds))));
  const queueTable = el("section", { class: "dash-card" }, el("h3", {}, "Queues"),
    queues.length
      ? el("table", { class: "dash-table" }, el("tr", {}, el("th", {}, "Queue"), el("th", { class: "n" }, "Waiting"), el("th", { class: "n" }, "Oldest")), ...queueRows)
      : el("p", { class: "hint" }, "No queues."));

  const staff = d.staff || [];
  // An agent who went offline holding chats leaves those customers with
  // nobody: say so, and let the supervisor put the chats back in their queues.
  const stranded = (a) => a.status === "offline" && a.chats > 0;
  const staffRows = staff.map((a) =>
    el("tr", { class: stranded(a) || (a.status === "online" && a.chats >= a.max_chats) ? "late" : "" },
      el("td", {}, a.name || a.id),
      el("td", {}, stranded(a) ? `offline with ${a.chats} open chat${a.chats === 1 ? "" : "s"}` : a.status,
        stranded(a) ? requeueButton(a) : null),
      el("td", { class: "n" }, `${a.chats} / ${a.max_chats}`)));
  const staffTable = el("section", { class: "dash-card dash-staff" }, el("h3", {}, "Agents"),
    staff.length
      ? el("table", { class: "dash-table" }, el("tr", {}, el("th", {}, "Agent"), el("th", {}, "Status"), el("th", { class: "n" }, "Chats")), ...staffRows)
      : el("p", { class: "hint" }, "No agents yet."),
    staffError.textContent ? staffError : null);

  const today = figuresOf.today || {};
  const yesterday = figuresOf.yesterday || {};
  const compare = el("section", { class: "dash-card dash-wide" }, el("h3", {}, "Today so far, against yesterday"),
    el("div", { class: "dash-kpis" }, ...figures.map((f) => kpi(f, today[f.key], yesterday[f.key]))));

  const trend = el("section", { class: "dash-card" }, el("h3", {}, "Satisfaction, last 14 days"), trendChart(figuresOf.trend || []));
  const themes = el("section", { class: "dash-card" }, el("h3", {}, "Why customers were dissatisfied (7 days)"),
    (figuresOf.dissatisfaction_themes || []).length
      ? el("ol", { class: "dash-themes" }, ...figuresOf.dissatisfaction_themes.map((t) =>
        el("li", {}, el("span", { class: "dash-count" }, String(t.count)), el("span", {}, t.example))))
      : el("p", { class: "hint" }, "No dissatisfied comments this week."));

  let when = new Date(d.now).toLocaleTimeString();
  try {
    when = new Date(d.now).toLocaleTimeString([], { timeZone: figuresOf.time_zone }); // the bot's day, as the figures
  } catch {
    // An unknown zone name: the browser's own time.
  }
  if (!zone && figuresOf.time_zone) setDefaultPeriod(figuresOf.time_zone, new Date(d.now));
  board.replaceChildren(
    el("header", { class: "dash-head" }, el("h2", {}, "Supervisor dashboard"),
      el("span", { class: "hint" }, `Updated ${when} · ${figuresOf.time_zone}`)),
    live, compare, el("div", { class: "dash-grid" }, queueTable, staffTable, trend, themes));
}

// staffError outlives a redraw, so the refresh after a failed requeue
// still says what failed.
const staffError = el("p", { class: "error", role: "alert" });

// requeueButton puts every chat agent a holds back in its queue, where the
// routing or another agent takes it; the customer is told they are waiting.
function requeueButton(a) {
  const b = el("button", { type: "button", class: "dash-requeue" }, "Return to queue");
  b.addEventListener("click", async () => {
    b.disabled = true;
    staffError.textContent = "";
    try {
      const res = await call("GET", "/v1/agent/handoffs?status=assigned");
      const held = ((await res.json()).handoffs || []).filter((h) => h.agent === a.id);
      for (const h of held) {
        // 409: closed or handed on meanwhile, so no longer theirs to return.
        await call("POST", `/v1/agent/handoffs/${encodeURIComponent(h.id)}/transfer`,
          { queue: h.queue, note: `${a.name || a.id} went offline` }, [409]);
      }
    } catch (err) {
      staffError.textContent = `Could not return ${a.name || a.id}'s chats to the queue: ${err.message}`;
    }
    load();
  });
  return b;
}

async function call(method, path, body, allowed = []) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${key}` };
  if (body) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok && !allowed.includes(res.status)) throw await errorFrom(res, `${method} ${path}: `);
  return res;
}

function tile(label, value, sub, cls) {
  return el("div", { class: `dash-tile ${cls || ""}` }, el("div", { class: "dash-label" }, label),
    el("div", { class: "dash-value" }, value), el("div", { class: "dash-sub" }, sub || "\u00a0"));
}

function kpi(f, now, before) {
  let delta = "";
  let cls = "";
  if (now != null && before != null && now !== before) {
    const better = f.up == null ? null : (now > before) === f.up;
    delta = now > before ? "▲" : "▼";
    cls = better == null ? "" : better ? "better" : "worse";
  }
  const target = f.target == null || now == null ? null : f.up ? now >= f.target : now <= f.target;
  return el("div", { class: `dash-kpi ${target === false ? "off-target" : ""}` },
    el("div", { class: "dash-label" }, f.label),
    el("div", { class: "dash-value" }, f.fmt(now), el("span", { class: `dash-delta ${cls}` }, delta ? ` ${delta}` : "")),
    el("div", { class: "dash-sub" }, `yesterday ${f.fmt(before)}`));
}

// trendChart draws the daily average score (1-5) as a line over the days.
function trendChart(days) {
  const w = 420, h = 150, left = 26, bottom = 20, top = 10;
  const chart = svg("svg", { viewBox: `0 0 ${w} ${h}`, class: "dash-chart", role: "img", "aria-label": "Average satisfaction score by day" });
  for (let s = 1; s <= 5; s++) {
    const y = top + (h - top - bottom) * (5 - s) / 4;
    chart.append(svg("line", { x1: left, x2: w, y1: y, y2: y, class: "grid" }));
    const label = svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis" });
    label.textContent = String(s);
    chart.append(label);
  }
  const step = (w - left) / Math.max(1, days.length);
  const points = [];
  days.forEach((d, i) => {
    const x = left + step * (i + 0.5);
    const last = i === days.length - 1;
    if (last || (i % 3 === 0 && days.length - 1 - i >= 2)) {
      const t = svg("text", { x, y: h - 4, "text-anchor": "middle", class: "axis" });
      t.textContent = d.day.slice(5);
      chart.append(t);
    }
    if (d.csat_average != null) points.push([x, top + (h - top - bottom) * (5 - d.csat_average) / 4, d]);
  });
  if (points.length) {
    chart.append(svg("polyline", { points: points.map((p) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(" "), class: "line" }));
    for (const [x, y, d] of points) {
      const dot = svg("circle", { cx: x, cy: y, r: 3.5, class: "dot" });
      const title = svg("title");
      title.textContent = `${d.day}: ${d.csat_average.toFixed(2)}`;
      dot.append(title);
      chart.append(dot);
    }
  } else {
    const t = svg("text", { x: w / 2, y: h / 2, "text-anchor": "middle", class: "axis" });
    t.textContent = "No scores yet";
    chart.append(t);
  }
  return chart;
}

function renderError(message) {
  board.replaceChildren(el("header", { class: "dash-head" }, el("h2", {}, "Supervisor dashboard")),
    el("p", { class: "error", role: "alert" }, message));
}

// ---- reports: the figures of any period, as a page or a file ----

// dimensions a manager breaks a report down by, most asked first.
const breakdowns = [["", "No breakdown"], ["day", "Day"], ["queue", "Queue"], ["agent", "Agent"], ["channel", "Channel"],
  ["intent", "Intent"], ["language", "Language"], ["week", "Week"]];

function reportsForm() {
  const from = el("input", { type: "date", id: "r-from", required: "" });
  const to = el("input", { type: "date", id: "r-to", required: "" });
  const by = el("select", { id: "r-by" }, ...breakdowns.map(([v, label]) => el("option", { value: v }, label)));
  const error = el("p", { class: "error", id: "r-error", role: "alert", hidden: "" });
  const button = (format, label, cls) => {
    const b = el("button", { type: "button", class: cls, "data-format": format }, label);
    b.addEventListener("click", () => download(format, b));
    return b;
  };
  const field = (label, input) => el("label", { class: "dash-field" }, el("span", { class: "dash-label" }, label), input);
  return el("section", { class: "dash-card dash-reports", id: "dash-reports", "aria-labelledby": "r-head" },
    el("h3", { id: "r-head" }, "Reports"),
    el("p", { class: "hint" }, "Automatic resolution, satisfaction, handle and wait times, handoffs and tickets for any period, in the bot's time zone: a page with charts to open in any browser, or a spreadsheet."),
    el("div", { class: "dash-report-form" }, field("From", from), field("To (included)", to), field("Broken down by", by),
      el("div", { class: "dash-report-actions" }, button("html", "Download page", "primary"), button("csv", "CSV", ""), button("xlsx", "Excel", ""))),
    error);
}

// setDefaultPeriod fills in the last 7 days up to now (the server's clock),
// today included, in the bot's zone.
function setDefaultPeriod(timeZone, now) {
  zone = timeZone;
  let today;
  try {
    today = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    today = now.toISOString().slice(0, 10);
  }
  const from = $("r-from");
  const to = $("r-to");
  if (!to.value) to.value = today;
  if (!from.value) from.value = addDays(today, -6);
}

// addDays moves a YYYY-MM-DD date by n days (calendar days: no clock involved).
function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function download(format, button) {
  const error = $("r-error");
  error.hidden = true;
  const from = $("r-from").value;
  const to = $("r-to").value;
  if (!from || !to) {
    error.textContent = "Choose the first and the last day of the report.";
    error.hidden = false;
    return;
  }
  if (from > to) {
    error.textContent = "The first day comes after the last: swap them.";
    error.hidden = false;
    return;
  }
  // The form's last day is included; the API's "to" is the day after.
  const q = new URLSearchParams({ from, to: addDays(to, 1), format });
  if ($("r-by").value) q.set("by", $("r-by").value);
  button.disabled = true;
  try {
    const res = await fetch(`/v1/reports?${q}`, { headers: { Authorization: `Bearer ${key}` } });
    if (!res.ok) throw await errorFrom(res, "GET /v1/reports: ");
    const url = URL.createObjectURL(await res.blob());
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
    const a = el("a", { href: url, download: name ? name[1] : `report.${format}` });
    a.click();
  } catch (err) {
    error.textContent = err.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

panel.append(reportsForm());
