// Agent administration, for admins: the agents, their skills, roles, chat
// limits and auto-assignment; disable or enable them; rotate or revoke their
// API keys (a new key is shown once). Every change is audited by the server.

import { onShow, showView } from "./desk.js";
import { el, session } from "./session.js";

// The view: a tab in the console's views (console.html), for admins only.
const tab = document.getElementById("agents-tab");
const list = el("ul", { class: "agent-cards", id: "agent-cards" });
const error = el("p", { class: "error", role: "alert" });
const view = el(
  "section",
  { class: "view agents-view", id: "agents-view", "data-view": "agents", hidden: true, "aria-labelledby": "agents-title" },
  el(
    "header",
    { class: "agents-head" },
    el("h2", { id: "agents-title", text: "Agents", tabindex: "-1" }),
    el("span", { class: "spacer" }),
    el("button", { type: "button", class: "primary", id: "new-agent", text: "New agent", onclick: () => openForm(null) }),
    el("button", { type: "button", id: "close-agents", text: "Back to the inbox", onclick: () => showView("inbox") }),
  ),
  error,
  list,
);
document.getElementById("app").append(view);
onShow("agents", () => {
  refresh();
  document.getElementById("agents-title").focus();
});

// The edit form, also used to create.
const form = el(
  "form",
  { method: "dialog", class: "agent-form", id: "agent-form" },
  el("h2", { id: "agent-form-title" }),
  field("ID", el("input", { name: "id", required: true, pattern: "[A-Za-z0-9._-]{1,64}", autocomplete: "off", spellcheck: "false" }), "Letters, digits, '.', '_' or '-'; it can't change later."),
  field("Name", el("input", { name: "name", required: true, autocomplete: "off" }), "What customers see."),
  field("Role", el("select", { name: "role" }, ["agent", "supervisor", "admin"].map((r) => el("option", { value: r, text: r })))),
  field("Skills", el("input", { name: "skills", autocomplete: "off", spellcheck: "false" }), "Comma-separated queue skills, such as customer_service, vip_care; none takes every queue."),
  field("Max chats", el("input", { name: "max_chats", type: "number", min: "1", max: "50", step: "1" }), "Conversations at once, manual claims included."),
  field(
    "Auto-assign",
    el("select", { name: "auto_assign" }, [
      el("option", { value: "default", text: "Server default" }),
      el("option", { value: "on", text: "On: give them waiting conversations" }),
      el("option", { value: "off", text: "Off: they claim conversations" }),
    ]),
  ),
  el("p", { class: "error", id: "agent-form-error", role: "alert" }),
  el("div", { class: "form-actions" }, el("button", { type: "button", value: "cancel", text: "Cancel", onclick: () => formDialog.close() }), el("button", { type: "submit", class: "primary", id: "agent-save", text: "Save" })),
);
const formDialog = el("dialog", { class: "agent-dialog", "aria-labelledby": "agent-form-title" }, form);
const keyDialog = el(
  "dialog",
  { class: "agent-dialog", "aria-labelledby": "key-title" },
  el("h2", { id: "key-title", text: "New API key" }),
  el("p", { id: "key-for" }),
  el("input", { id: "key-value", readonly: true, spellcheck: "false", "aria-label": "The new API key" }),
  el("p", { class: "hint", text: "Shown once: copy it now and give it to the agent. The previous key no longer works." }),
  el("div", { class: "form-actions" }, el("button", { type: "button", class: "primary", text: "Done", onclick: () => keyDialog.close() })),
);
document.body.append(formDialog, keyDialog);

let editing = null; // the agent being edited; null: creating

function field(label, input, hint) {
  const id = `agent-${input.name}`;
  input.id = id;
  return el("div", { class: "field" }, el("label", { for: id, text: label }), input, hint ? el("p", { class: "hint", text: hint }) : null);
}

document.addEventListener("parley:signedin", (e) => {
  tab.hidden = e.detail.me.role !== "admin";
});
document.addEventListener("parley:signedout", () => {
  tab.hidden = true;
});
document.addEventListener("parley:frame", (e) => {
  if (!view.hidden && e.detail.type === "agent_changed") refresh();
});

async function refresh() {
  try {
    const res = await session.call("GET", "/v1/admin/agents");
    error.textContent = "";
    list.replaceChildren(...(res.agents || []).map(card));
    if (!(res.agents || []).length) list.append(el("li", { class: "hint", text: "No agents yet." }));
  } catch (err) {
    error.textContent = err.message;
  }
}

function card(a) {
  const aa = a.auto_assign || {};
  const act = (label, fn, cls = "") => el("button", { type: "button", class: cls, text: label, "aria-label": `${label}: ${a.name}`, onclick: fn });
  return el(
    "li",
    { class: `agent-card${a.disabled ? " disabled" : ""}`, "data-id": a.id },
    el(
      "div",
      { class: "agent-title" },
      el("strong", { text: a.name }),
      el("span", { class: "hint", text: a.id }),
      el("span", { class: `badge ${a.role === "agent" ? "normal" : "high"}`, text: a.role }),
      a.disabled ? el("span", { class: "badge angry", text: "disabled" }) : null,
      a.has_key ? null : el("span", { class: "badge normal", text: "no key" }),
    ),
    el("p", { class: "agent-line", text: `Skills: ${(a.skills || []).join(", ") || "any queue"}` }),
    el(
      "p",
      { class: "agent-line" },
      `${a.status} · up to ${a.max_chats} chats · auto-assign ${aa.on ? "on" : "off"}`,
      el("span", { class: "hint", text: ` (${aa.setting === "default" ? "server default" : "own setting"})` }),
    ),
    el(
      "div",
      { class: "agent-actions" },
      act("Edit", () => openForm(a)),
      a.disabled ? act("Enable", () => change(a, "POST", "enable")) : act("Disable", () => confirmThen(`Disable ${a.name}? Their key stops working and their conversations go back to waiting.`, () => change(a, "POST", "disable")), "danger"),
      act("Rotate key", () => confirmThen(`Give ${a.name} a new key? The current one stops working at once.`, () => rotate(a))),
      a.has_key ? act("Revoke key", () => confirmThen(`Revoke ${a.name}'s key? They can't sign in until you rotate it.`, () => change(a, "DELETE", "key")), "danger") : null,
    ),
  );
}

// confirmThen asks in a dialog of the page's own (window.confirm blocks the
// page and can't be styled), then runs fn on "Yes".
const confirmText = el("p", { id: "confirm-text" });
const confirmYes = el("button", { type: "button", class: "primary danger-fill", id: "confirm-yes", text: "Yes" });
const confirmDialog = el(
  "dialog",
  { class: "agent-dialog", "aria-labelledby": "confirm-text" },
  confirmText,
  el("div", { class: "form-actions" }, el("button", { type: "button", text: "Cancel", onclick: () => confirmDialog.close() }), confirmYes),
);
document.body.append(confirmDialog);
let confirmed = null;
confirmYes.addEventListener("click", () => {
  confirmDialog.close();
  const fn = confirmed;
  confirmed = null;
  if (fn) fn();
});

function confirmThen(question, fn) {
  confirmText.textContent = question;
  confirmed = fn;
  confirmDialog.showModal();
  confirmYes.focus();
}

async function change(a, method, what) {
  try {
    await session.call(method, `/v1/admin/agents/${encodeURIComponent(a.id)}/${what}`);
    error.textContent = "";
  } catch (err) {
    error.textContent = err.message;
  }
  refresh();
}

async function rotate(a) {
  try {
    const res = await session.call("POST", `/v1/admin/agents/${encodeURIComponent(a.id)}/key`);
    showKey(res.agent, res.key);
  } catch (err) {
    error.textContent = err.message;
  }
  refresh();
}

function showKey(a, key) {
  document.getElementById("key-for").textContent = `For ${a.name} (${a.id}).`;
  const input = document.getElementById("key-value");
  input.value = key;
  keyDialog.showModal();
  input.select();
}

function openForm(a) {
  editing = a;
  const f = form.elements;
  document.getElementById("agent-form-title").textContent = a ? `Edit ${a.name}` : "New agent";
  document.getElementById("agent-form-error").textContent = "";
  f.id.value = a ? a.id : "";
  f.id.disabled = Boolean(a);
  f.name.value = a ? a.name : "";
  f.role.value = a ? a.role : "agent";
  f.skills.value = a ? (a.skills || []).join(", ") : "";
  f.max_chats.value = a ? a.max_chats : 3;
  f.auto_assign.value = a ? (a.auto_assign || {}).setting || "default" : "default";
  formDialog.showModal();
  (a ? f.name : f.id).focus();
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = form.elements;
  const body = {
    name: f.name.value.trim(),
    role: f.role.value,
    skills: f.skills.value.split(",").map((s) => s.trim()).filter(Boolean),
    max_chats: Number(f.max_chats.value) || 0,
    auto_assign: f.auto_assign.value,
  };
  try {
    if (editing) {
      await session.call("PATCH", `/v1/admin/agents/${encodeURIComponent(editing.id)}`, body);
      formDialog.close();
    } else {
      const res = await session.call("POST", "/v1/admin/agents", { id: f.id.value.trim(), ...body });
      formDialog.close();
      showKey(res.agent, res.key);
    }
  } catch (err) {
    document.getElementById("agent-form-error").textContent = err.message;
    return;
  }
  refresh();
});
