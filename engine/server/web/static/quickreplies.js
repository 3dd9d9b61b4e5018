// Quick replies: the bot's canned answers (quick_reply blocks), filled in for
// the open conversation by the server. Typing "/" at the start of the reply
// box or of a word opens the list, filtered by what follows; arrows move,
// Enter or Tab inserts, Escape closes. The "Quick replies" button opens it too.
// What the conversation does not know shows as [slot.order_id], selected for
// the agent to type over.

import { el, insertIntoReply, session } from "./session.js";

const box = document.getElementById("reply-text");
const button = document.getElementById("quick-replies-button");
const list = el("ul", { class: "qr-list", id: "qr-list", role: "listbox", "aria-label": "Quick replies", hidden: true });
box.closest("form").prepend(list);
box.setAttribute("aria-controls", "qr-list");
box.setAttribute("aria-autocomplete", "list");

let replies = []; // filled in for loadedFor
let loadedFor = "";
let loading = null;
let shown = []; // the filtered replies on screen
let active = 0;
let trigger = null; // {start, end} of the "/query" typed, or null when opened by the button

document.addEventListener("parley:handoff", (e) => {
  if (e.detail.handoff.id !== loadedFor) {
    loadedFor = e.detail.handoff.id;
    replies = [];
    loading = null;
    close();
  }
});
document.addEventListener("parley:signedout", () => {
  loadedFor = "";
  replies = [];
  close();
});

async function load() {
  if (!session.handoff) return [];
  const id = session.handoff.id;
  if (id === loadedFor && replies.length) return replies;
  if (!loading) {
    loading = session
      .call("GET", `/v1/agent/handoffs/${encodeURIComponent(id)}/quick-replies`)
      .then((res) => {
        if (loadedFor === id) replies = res.quick_replies || [];
        return replies;
      })
      .catch(() => [])
      .finally(() => (loading = null));
  }
  return loading;
}

// slashQuery finds "/words" just before the cursor: at the start of the box
// or after a space or newline, so a URL's slashes never open the list.
function slashQuery() {
  const upto = box.value.slice(0, box.selectionStart);
  const m = /(^|\s)\/([^\s/]*(?: [^\s/]*)?)$/.exec(upto);
  if (!m) return null;
  const start = upto.length - m[2].length - 1;
  return { start, end: box.selectionStart, query: m[2] };
}

box.addEventListener("input", async () => {
  const q = slashQuery();
  if (!q) {
    if (trigger) close();
    return;
  }
  trigger = q;
  await load();
  if (trigger) open(q.query);
});

box.addEventListener("keydown", (e) => {
  if (list.hidden) return;
  switch (e.key) {
    case "ArrowDown":
    case "ArrowUp":
      e.preventDefault();
      move(e.key === "ArrowDown" ? 1 : -1);
      break;
    case "Enter":
    case "Tab":
      if (e.ctrlKey || e.metaKey || !shown.length) return;
      e.preventDefault();
      choose(shown[active]);
      break;
    case "Escape":
      e.preventDefault();
      close();
      break;
  }
});
// Leaving the box closes the list; switching windows does not (the list is
// still there on coming back).
box.addEventListener("blur", () =>
  setTimeout(() => {
    if (document.hasFocus() && document.activeElement !== box && !list.contains(document.activeElement)) close();
  }, 150),
);

button.addEventListener("click", async () => {
  if (!list.hidden) return close();
  trigger = null;
  await load();
  open("");
  box.focus();
});

function open(query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  shown = replies.filter((r) => {
    const hay = `${r.name} ${r.title} ${r.text}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  active = 0;
  list.replaceChildren(
    ...(shown.length
      ? shown.map((r, i) =>
          el(
            "li",
            {
              id: `qr-${i}`,
              role: "option",
              class: "qr",
              "aria-selected": String(i === active),
              onmousedown: (e) => e.preventDefault(), // keep the focus in the box
              onclick: () => choose(r),
            },
            el("span", { class: "qr-title", text: r.title }),
            el("span", { class: "qr-name", text: `/${r.name}` }),
            el("span", { class: "qr-text", text: r.text }),
          ),
        )
      : [el("li", { class: "qr-empty", text: replies.length ? "No quick reply matches." : "This bot has no quick replies." })]),
  );
  list.hidden = false;
  box.setAttribute("aria-expanded", "true");
  box.setAttribute("aria-activedescendant", shown.length ? "qr-0" : "");
}

function move(by) {
  if (!shown.length) return;
  active = (active + by + shown.length) % shown.length;
  for (const [i, li] of [...list.children].entries()) li.setAttribute("aria-selected", String(i === active));
  box.setAttribute("aria-activedescendant", `qr-${active}`);
  list.children[active].scrollIntoView({ block: "nearest" });
}

function choose(r) {
  if (!r) return;
  const replacing = trigger && { start: trigger.start, end: trigger.end };
  close();
  insertIntoReply(r.text, replacing, (r.missing || []).map((name) => `[${name}]`));
}

function close() {
  trigger = null;
  list.hidden = true;
  box.setAttribute("aria-expanded", "false");
  box.removeAttribute("aria-activedescendant");
}
