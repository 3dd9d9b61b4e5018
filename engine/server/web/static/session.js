// What the console's workspace modules share: who is signed in (and an
// authenticated call), the open conversation, and small DOM helpers. The
// console (console.js) announces changes as "parley:*" events on document:
// signedin, signedout and frame (shared with tickets.js and approvals.js
// through desk.js) and handoff, each time the open conversation is shown.

import { formatDate } from "./common.js";
import { call } from "./desk.js";

export const session = {
  call, // (method, path, payload) => Promise, with the agent's key
  me: null,
  handoff: null, // the open handoff, as the console shows it
  mine: false, // the open handoff is the signed-in agent's: they can reply
};

document.addEventListener("parley:signedin", (e) => {
  session.me = e.detail.me;
});
document.addEventListener("parley:signedout", () => {
  session.me = session.handoff = null;
  session.mine = false;
});
document.addEventListener("parley:handoff", (e) => {
  session.handoff = e.detail.handoff;
  session.mine = e.detail.mine;
});

// el builds an element; children are nodes or strings (always inserted as
// text, never as HTML: much of it is what customers wrote).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

// insertIntoReply puts text in the reply box for the agent to edit and send:
// in place of `replacing` (the "/query" typed to find a quick reply), else at
// the end, after a blank line when the box has text already. gaps are the
// placeholders in text ("[slot.order_id]") that the console will not send
// unfilled (box.dataset.gaps).
export function insertIntoReply(text, replacing = null, gaps = []) {
  const box = document.getElementById("reply-text");
  if (!box || box.closest("form").hidden) return false;
  const known = JSON.parse(box.dataset.gaps || "[]").filter((g) => box.value.includes(g));
  box.dataset.gaps = JSON.stringify([...new Set([...known, ...gaps])]);
  if (replacing) {
    box.value = box.value.slice(0, replacing.start) + text + box.value.slice(replacing.end);
    const at = replacing.start + text.length;
    box.setSelectionRange(at, at);
  } else {
    const current = box.value.replace(/\s+$/, "");
    box.value = current ? `${current}\n\n${text}` : text;
    box.setSelectionRange(box.value.length, box.value.length);
  }
  box.focus();
  box.dispatchEvent(new Event("input", { bubbles: true }));
  // A placeholder such as [slot.order_id] is selected, for the agent to type over.
  const gap = box.value.indexOf("[", replacing ? replacing.start : 0);
  if (gap >= 0) {
    const end = box.value.indexOf("]", gap);
    if (end > gap) box.setSelectionRange(gap, end + 1);
  }
  return true;
}

export { formatDate };

export const channelNames = {
  web: "Web chat",
  api: "API",
  sms: "SMS",
  email: "Email",
  phone: "Phone",
};

export function channelName(ch) {
  if (!ch) return "";
  if (channelNames[ch]) return channelNames[ch];
  if (ch.startsWith("webhook:")) return ch.slice(8).replace(/^./, (c) => c.toUpperCase());
  return ch;
}
