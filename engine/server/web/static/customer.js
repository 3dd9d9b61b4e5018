// The customer tab: who the customer is (name, VIP status and tier kept on
// the customer, their identities on every channel), how they rated us, their
// past conversations on every channel (each opens its transcript) and their
// tickets.

import { when } from "./common.js";
import { channelName, el, formatDate, session } from "./session.js";

const panel = document.getElementById("panel-customer");
const tab = document.getElementById("tab-customer");
let shownFor = "";
let seq = 0;

const dialog = el(
  "dialog",
  { class: "transcript-dialog", id: "history-dialog", "aria-labelledby": "history-title" },
  el("header", {}, el("h2", { id: "history-title" }), el("button", { type: "button", class: "ghost", text: "Close", onclick: () => dialog.close() })),
  el("ol", { class: "transcript", id: "history-items" }),
);
document.body.append(dialog);
dialog.addEventListener("click", (e) => e.target === dialog && dialog.close()); // a click on the backdrop

document.addEventListener("parley:handoff", (e) => {
  const h = e.detail.handoff;
  const key = `${h.customer_id || ""}|${h.id}`;
  if (key !== shownFor) {
    shownFor = key;
    load(h);
  }
});
document.addEventListener("parley:frame", (e) => {
  // What is said in the open conversation may change its history: re-read it.
  if (session.handoff && e.detail.type === "conversation_changed" && e.detail.conversation_id === session.handoff.conversation_id) {
    shownFor = "";
  }
});
document.addEventListener("parley:signedout", () => {
  shownFor = "";
  panel.replaceChildren();
  tab.textContent = "Customer";
});

async function load(h) {
  const n = ++seq;
  if (!h.customer_id) {
    tab.textContent = "Customer";
    panel.replaceChildren(el("p", { class: "hint", text: "An anonymous visitor: they gave no email or phone, so there is no profile or history to show." }));
    return;
  }
  panel.replaceChildren(el("p", { class: "hint", text: "Loading the customer…" }));
  let c;
  try {
    c = await session.call("GET", `/v1/agent/customers/${encodeURIComponent(h.customer_id)}`);
  } catch (err) {
    if (n !== seq) return;
    // Who the customer is, and their history, are for who serves them: the
    // agent who claims the conversation (or a supervisor).
    if (err.status === 404) panel.replaceChildren(el("p", { class: "hint", text: "Claim the conversation to see who the customer is: their identities and history are for whoever serves them." }));
    else panel.replaceChildren(el("p", { class: "error", text: err.message }));
    return;
  }
  if (n !== seq) return;
  render(c, h);
}

function render(c, h) {
  const p = c.profile || {};
  tab.replaceChildren("Customer", p.vip ? el("span", { class: "badge vip", text: "VIP" }) : null);
  const header = el(
    "div",
    { class: "cust-head" },
    el("h4", { class: "cust-name" }, p.vip ? el("span", { class: "badge vip", text: "VIP" }) : null, p.name || "Name unknown"),
    el(
      "p",
      { class: "hint" },
      [p.tier ? `${p.tier} tier` : "", p.language ? `speaks ${p.language}` : "", `customer since ${formatDate(c.created_at).split(",")[0]}`]
        .filter(Boolean)
        .join(" · "),
    ),
    p.source && (p.vip || p.tier) ? el("p", { class: "hint", text: `VIP status and tier from ${p.source === "api" ? "the company's systems (API)" : channelName(p.source)}` }) : null,
  );

  const ids = el(
    "ul",
    { class: "identities" },
    (c.identities || []).map((i) => el("li", {}, el("span", { class: "chip", text: channelName(i.channel) }), el("span", { class: "ext", text: i.external_id }))),
  );

  const ratings = c.satisfaction || [];
  const satisfaction = ratings.length
    ? el(
        "div",
        { class: "satisfaction" },
        el("p", {}, el("span", { class: "stars", "aria-hidden": "true", text: stars(c.average_score) }), ` ${c.average_score.toFixed(1)} average from ${ratings.length} rating${ratings.length > 1 ? "s" : ""}`),
        el(
          "ul",
          { class: "ratings" },
          [...ratings].reverse().map((r) =>
            el("li", {}, el("span", { class: "stars", "aria-label": `${r.score} out of 5`, text: stars(r.score) }), r.comment ? ` “${r.comment}”` : "", el("span", { class: "hint", text: ` ${formatDate(r.at)}` })),
          ),
        ),
      )
    : el("p", { class: "hint", text: "No ratings yet." });

  const convs = el(
    "ul",
    { class: "history" },
    (c.conversations || []).map((conv) => {
      const current = conv.id === h.conversation_id;
      const agents = [...new Set((conv.handoffs || []).map((x) => x.agent).filter(Boolean))];
      const queues = [...new Set((conv.handoffs || []).map((x) => x.queue))];
      return el(
        "li",
        { class: current ? "current" : "" },
        el(
          "button",
          { type: "button", class: "history-item", onclick: () => openTranscript(conv), "aria-label": `Open the ${channelName(conv.channel)} conversation of ${formatDate(conv.created_at)}` },
          el("span", { class: "chip", text: channelName(conv.channel) }),
          el("span", { class: "when", text: formatDate(conv.created_at) }),
          current ? el("span", { class: "badge normal", text: "this one" }) : null,
          conv.score ? el("span", { class: "stars small", text: stars(conv.score) }) : null,
          el("span", { class: "what", text: [queues.length ? `queue ${queues.join(", ")}` : "bot only", agents.length ? `served by ${agents.join(", ")}` : "", statusNames[conv.status] || conv.status].filter(Boolean).join(" · ") }),
        ),
      );
    }),
  );

  const tickets = (c.tickets || []).length
    ? el(
        "ul",
        { class: "tickets-mini" },
        [...c.tickets].reverse().map((t) => el("li", {}, el("span", { class: `badge ${t.priority || "normal"}`, text: t.status }), el("span", { text: t.subject }), el("span", { class: "hint", text: ` ${t.queue} · ${formatDate(t.created_at)}` }))),
      )
    : el("p", { class: "hint", text: "No tickets." });

  panel.replaceChildren(
    header,
    el("h3", { text: "Identities" }),
    ids,
    el("h3", { text: "Satisfaction" }),
    satisfaction,
    el("h3", { text: `Conversations (${(c.conversations || []).length})` }),
    convs,
    el("h3", { text: "Tickets" }),
    tickets,
  );
}

const statusNames = { active: "with the bot", handed_off: "with a person", closed: "ended" };

function stars(n) {
  const k = Math.round(n);
  return "★".repeat(k) + "☆".repeat(5 - k);
}

async function openTranscript(conv) {
  const title = document.getElementById("history-title");
  const items = document.getElementById("history-items");
  title.textContent = `${channelName(conv.channel)} · ${formatDate(conv.created_at)}`;
  items.replaceChildren(el("li", { class: "hint", text: "Loading…" }));
  dialog.showModal();
  try {
    const tr = await session.call("GET", `/v1/agent/conversations/${encodeURIComponent(conv.id)}/transcript`);
    items.replaceChildren(...(tr.items || []).map(item));
    if (!(tr.items || []).length) items.append(el("li", { class: "hint", text: "Nothing was said." }));
  } catch (err) {
    items.replaceChildren(el("li", { class: "error", text: err.message }));
  }
}

function item(it) {
  const kind = it.kind || "message";
  const cls = kind === "note" ? "note" : kind !== "message" && kind !== "survey" ? "system" : it.from === "system" ? "system" : kind === "survey" ? "bot" : it.from;
  const who = kind === "note" ? `Internal note · ${it.agent_name || ""}` : it.from === "agent" ? it.agent_name || "Agent" : it.from === "bot" ? "Bot" : it.from === "customer" ? "Customer" : "";
  const text =
    kind === "message" || kind === "note" || kind === "survey"
      ? it.text
      : kind === "agent_joined"
        ? `${it.agent_name || "An agent"} joined`
        : kind === "agent_left"
          ? `${it.agent_name || "The agent"} left`
          : kind === "handoff"
            ? `Handed off${it.text ? ` to queue ${it.text}` : ""}`
            : it.text;
  return el(
    "li",
    { class: `t ${cls}` },
    el("span", { class: "who", text: [who, when(it.at)].filter(Boolean).join(" · ") }),
    el("div", { class: "text", text }),
  );
}
