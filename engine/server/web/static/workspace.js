// The agent's workspace beside a conversation: the context tabs (details,
// customer, knowledge answers), the agent's auto-assignment, and the parts in
// their own modules: quick replies (quickreplies.js), the customer view
// (customer.js) and agent administration (agents.js).

import { el, insertIntoReply, session } from "./session.js";
import "./quickreplies.js";
import "./customer.js";
import "./agents.js";

const $ = (id) => document.getElementById(id);

// ---- context tabs ----

const tabs = [...document.querySelectorAll("#facts-tabs [role=tab]")];

export function selectTab(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
}

for (const t of tabs) {
  t.addEventListener("click", () => selectTab(t));
  t.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(t);
    const next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
    if (next) {
      e.preventDefault();
      selectTab(next);
      next.focus();
    }
  });
}

// ---- auto-assignment, as the agent sees it ----

const chip = $("auto-assign");

function showAutoAssign(me) {
  const aa = (me && me.auto_assign) || null;
  chip.hidden = !aa || me.id === "local" || me.id === "admin";
  if (chip.hidden) return;
  chip.classList.toggle("on", aa.on);
  chip.textContent = `Auto-assign ${aa.on ? "on" : "off"}`;
  chip.title = aa.on
    ? `Waiting conversations are given to you while you are online, up to ${me.max_chats} at a time (${aa.source === "agent" ? "your own setting" : "the server's setting"}; an admin can change it).`
    : `You claim conversations yourself: going online gives you none (${aa.source === "agent" ? "your own setting" : "the server's setting"}; an admin can change it).`;
}

document.addEventListener("parley:signedin", (e) => showAutoAssign(e.detail.me));
document.addEventListener("parley:signedout", () => (chip.hidden = true));
document.addEventListener("parley:frame", async (e) => {
  if (e.detail.type !== "agent_changed" || !session.me || e.detail.agent_id !== session.me.id) return;
  try {
    session.me = await session.call("GET", "/v1/agent/me");
    showAutoAssign(session.me);
  } catch {
    // Disabled or revoked: the console's next call signs out.
  }
});

// ---- knowledge answers for what the customer just asked ----

const panel = $("panel-answers");
const count = $("answers-count");
let askedFor = ""; // handoff id + the customer's latest message: what the answers are for
let answersSeq = 0;

document.addEventListener("parley:handoff", (e) => {
  const h = e.detail.handoff;
  const lastCustomer = [...(h.transcript || [])].reverse().find((i) => i.from === "customer" && (i.kind || "message") === "message");
  const key = `${h.id}|${lastCustomer ? lastCustomer.seq : ""}`;
  if (key !== askedFor) {
    askedFor = key;
    loadAnswers(h.id);
  } else {
    // Only whether the agent may insert changed (a claim): redraw the buttons.
    for (const b of panel.querySelectorAll("button.insert")) b.disabled = !e.detail.mine;
  }
});
document.addEventListener("parley:signedout", () => {
  askedFor = "";
  panel.replaceChildren();
  count.hidden = true;
});

async function loadAnswers(handoffID) {
  const seq = ++answersSeq;
  panel.replaceChildren(el("p", { class: "hint", text: "Looking for answers…" }));
  let res;
  try {
    res = await session.call("GET", `/v1/agent/handoffs/${encodeURIComponent(handoffID)}/suggestions`);
  } catch (err) {
    if (seq === answersSeq) panel.replaceChildren(el("p", { class: "error", text: err.message }));
    return;
  }
  if (seq !== answersSeq) return; // another conversation was opened meanwhile
  renderAnswers(res);
}

function renderAnswers(res) {
  const list = res.suggestions || [];
  // The badge counts the answers good enough for the bot itself to give.
  const strong = list.filter((s) => s.confident).length;
  count.hidden = strong === 0;
  count.textContent = String(strong);
  if (!res.query) {
    panel.replaceChildren(el("p", { class: "hint", text: "Answers from the knowledge base appear here when the customer asks something." }));
    return;
  }
  const head = el("p", { class: "hint asked" }, "For what the customer said: ", el("q", { text: res.query.split("\n").join(" · ") }));
  if (!list.length) {
    panel.replaceChildren(head, el("p", { class: "hint", text: "Nothing in the knowledge base matches." }));
    return;
  }
  panel.replaceChildren(
    head,
    el("ul", { class: "answers" }, list.map((s) => answerCard(s))),
  );
}

function answerCard(s) {
  const pct = Math.max(0, Math.min(100, Math.round(s.score * 100)));
  const insert = el("button", {
    type: "button",
    class: "insert primary",
    text: "Insert",
    "aria-label": `Insert the answer "${s.title}" into the reply`,
    title: session.mine ? "Put this answer in the reply box to edit and send" : "Claim the conversation to reply",
    onclick: () => insertIntoReply(s.text),
  });
  insert.disabled = !session.mine;
  return el(
    "li",
    { class: `answer${s.confident ? " confident" : ""}` },
    el("div", { class: "answer-head" }, el("strong", { text: s.title || s.id }), el("span", { class: "score", title: "How well it matches", text: `${pct}%` })),
    el("p", { class: "answer-text", text: s.text }),
    el("div", { class: "answer-foot" }, el("span", { class: "source", text: s.source }), insert),
  );
}
