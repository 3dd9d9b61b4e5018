// Parley web chat. Talks to the customer API (/v1/conversations...) and keeps
// {conversation_id, token, last_seq} in localStorage so a reload resumes the
// conversation. Message text is only ever inserted as text, never as HTML.

import { backoff, enc, errorFrom, uuid } from "./common.js";
import { createQueueBar } from "./chatqueue.js";

const STORE_KEY = "parley.chat";

const STRINGS = {
  en: {
    title: "Customer service",
    assistant: "Assistant",
    placeholder: "Type a message…",
    label: "Your message",
    send: "Send",
    startOver: "Start over",
    typingBot: "Assistant is typing…",
    typingAgent: (n) => `${n} is typing…`,
    joined: (n) => `${n} (agent) has joined`,
    left: "You're back with the assistant",
    leftClosed: (n) => `${n} (agent) has left the chat`,
    closed: "This conversation has ended.",
    agentLabel: (n) => `${n} (agent)`,
    you: "You",
    sending: "Sending…",
    failed: "Not sent.",
    retry: "Retry",
    offline: "Connection lost. Reconnecting…",
    startFailed: "We couldn't start the chat. Retrying…",
    error: "Something went wrong. Please try again.",
    surveyAsk: "How did we do? Rate this conversation from 1 to 5.",
    surveyComment: "Anything you'd like to add? (optional)",
    surveyScore: (n) => `${n} out of 5`,
    surveyRated: (n) => `You rated this conversation ${n} out of 5.`,
    handoff: "Connecting you to our team…",
    welcome: "Hi! How can we help you today? Ask about an order, a refund or a delivery address.",
  },
  zh: {
    title: "在线客服",
    assistant: "智能助手",
    placeholder: "请输入消息…",
    label: "您的消息",
    send: "发送",
    startOver: "重新开始",
    typingBot: "助手正在输入…",
    typingAgent: (n) => `${n} 正在输入…`,
    joined: (n) => `客服 ${n} 已加入对话`,
    left: "已转回智能助手",
    leftClosed: (n) => `客服 ${n} 已离开对话`,
    closed: "本次对话已结束。",
    agentLabel: (n) => `${n}（人工客服）`,
    you: "您",
    sending: "发送中…",
    failed: "未发送。",
    retry: "重试",
    offline: "连接已断开，正在重连…",
    startFailed: "无法开始对话，正在重试…",
    error: "出了点问题，请重试。",
    surveyAsk: "请为本次服务打分（1-5 分）。",
    surveyComment: "还有什么想告诉我们的吗？（可选）",
    surveyScore: (n) => `${n} 分`,
    surveyRated: (n) => `您的评分：${n} 分。`,
    handoff: "正在为您转接人工客服…",
    welcome: "您好！请问有什么可以帮您？可以问订单、退款或收货地址。",
  },
};

const $ = (id) => document.getElementById(id);
const els = {
  messages: $("messages"),
  scroller: $("scroller"),
  typing: $("typing"),
  typingLabel: $("typing-label"),
  composer: $("composer"),
  input: $("message"),
  send: $("send"),
  who: $("who"),
  title: $("title"),
  connection: $("connection"),
  startOver: $("start-over"),
  inputLabel: $("message-label"),
};

// The chat's own labels are in the conversation's language: the browser's is
// the first guess, until the server says which the conversation is in (the
// bot's default before the first reply, when it does not speak the
// browser's; then the one the customer writes in), so a Chinese browser on an
// English-only bot, or a customer writing in the other language, reads one
// language throughout.
const browserLanguage = navigator.language || "en";
let state = loadState(); // {conversation_id, token, last_seq, language}
let lang = pickLanguage(state?.language || browserLanguage);
let t = STRINGS[lang];

let agentName = ""; // who is answering: "" means the bot
let lastBanner = ""; // suppresses a second banner for the same change (item + status frame)
let inflight = 0; // messages awaiting the bot's HTTP reply
let socket = null;
let socketAttempts = 0;
let socketTimer = 0;
let agentTypingTimer = 0;
let lastTypingSent = 0;
let stopped = false;

applyLanguage();
const queueBar = createQueueBar({
  bar: $("queue"),
  getLang: () => lang,
  api,
  getState: () => state,
  onLeft: (body) => showReplies(body, maxSeq()),
});
els.composer.addEventListener("submit", (e) => {
  e.preventDefault();
  submitInput();
});
els.input.addEventListener("keydown", (e) => {
  // isComposing: Enter also confirms an IME candidate (Chinese input) and must not send.
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    submitInput();
  }
});
els.input.addEventListener("input", () => {
  autoGrow();
  sendTypingSignal();
});
els.startOver.addEventListener("click", startOver);
window.addEventListener("online", () => connectSocket());

start();

// ---- conversation lifecycle ----

async function start() {
  if (state) {
    const ok = await resume();
    if (ok) return;
    clearState();
  }
  await create();
}

async function create() {
  for (let attempt = 0; !stopped; attempt++) {
    try {
      const res = await api("POST", "/v1/conversations", { channel: "web", language: browserLanguage });
      if (!res.ok) throw await errorFrom(res);
      const body = await res.json();
      state = { conversation_id: body.conversation_id, token: body.token, last_seq: 0 };
      saveState();
      setLanguage(body.language);
      hideNotice();
      if (!(body.replies || []).length) renderWelcome();
      for (const r of body.replies || []) renderReply(r);
      // The greeting is already in the transcript: start the socket after it.
      await syncSeq();
      connectSocket();
      return;
    } catch (err) {
      showNotice(t.startFailed);
      await sleep(backoff(attempt));
    }
  }
}

// resume re-renders the stored conversation; false means it is gone or not ours.
async function resume() {
  let res;
  for (let attempt = 0; !stopped; attempt++) {
    try {
      res = await api("GET", `/v1/conversations/${enc(state.conversation_id)}/transcript`);
      // Only "gone" or "not yours" start a new conversation; an outage is waited out.
      if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) break;
    } catch {
      // Offline: retry below.
    }
    showNotice(t.offline);
    await sleep(backoff(Math.min(attempt, 5)));
  }
  if (!res || !res.ok) return false;
  hideNotice();
  const tr = await res.json();
  setLanguage(tr.language);
  els.messages.replaceChildren();
  if ((tr.items || [])[0]?.from !== "bot") renderWelcome();
  for (const item of tr.items || []) renderItem(item, { live: false });
  state.last_seq = tr.last_seq || maxSeq();
  saveState();
  setAgent(tr.status === "handed_off" && tr.agent ? tr.agent.name : "", { banner: false });
  queueBar.update(tr.status, tr.agent ? tr.agent.name : "");
  if (tr.status === "closed") lastBanner = "closed";
  showButtonsOfLastMessage();
  scrollToEnd(false);
  connectSocket();
  return true;
}

// syncSeq learns last_seq after creation, so the socket does not replay the greeting.
async function syncSeq() {
  try {
    const res = await api("GET", `/v1/conversations/${enc(state.conversation_id)}/transcript`);
    if (!res.ok) return;
    const tr = await res.json();
    for (const item of tr.items || []) claimBubble(item);
    state.last_seq = Math.max(state.last_seq || 0, tr.last_seq || 0);
    saveState();
  } catch {
    // The socket without ?after= still works; duplicates are matched by text.
  }
}

function startOver(e) {
  if (e) e.preventDefault();
  stopped = true;
  clearState();
  if (socket) socket.close();
  location.reload();
}

// ---- sending ----

function submitInput() {
  const text = els.input.value.trim();
  if (!text) return;
  els.input.value = "";
  autoGrow();
  sendMessage(text, text);
}

// sendMessage shows `label` as the customer's bubble and sends `text` (a quick
// reply's payload differs from its label).
async function sendMessage(text, label, existing) {
  if (!state) return;
  hideQuickReplies();
  const id = existing ? existing.dataset.clientId : uuid();
  // The server records a button press by its label too: match on what is shown.
  const li = existing || renderBubble({ from: "customer", text: label, match: label, pending: true });
  if (text !== label) li.dataset.payload = text;
  li.dataset.clientId = id;
  li.classList.add("pending");
  li.classList.remove("failed");
  li.querySelector(".retry")?.remove();
  setMeta(li, t.sending);
  scrollToEnd();

  inflight++;
  showTyping(t.typingBot);
  const sentAt = maxSeq();
  try {
    const body = await postWithRetry(`/v1/conversations/${enc(state.conversation_id)}/messages`, {
      text,
      client_message_id: id,
    });
    li.classList.remove("pending");
    setMeta(li, "");
    showReplies(body, sentAt);
    if (body.handoff && !(body.replies || []).length && lastBanner !== "handoff") {
      banner(t.handoff, "handoff");
      lastBanner = "handoff";
    }
    if (body.handed_off) queueBar.update("handed_off", agentName);
  } catch (err) {
    li.classList.remove("pending");
    li.classList.add("failed");
    setMeta(li, err.message && err.status ? err.message : t.failed);
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link-button retry";
    retry.textContent = t.retry;
    retry.addEventListener("click", () => sendMessage(text, label, li));
    li.append(retry);
  } finally {
    inflight--;
    if (inflight === 0) hideTyping();
    scrollToEnd();
  }
}

// showReplies shows the replies an HTTP answer carries, except those the
// socket has shown already (it delivered them while the request was out).
function showReplies(body, sentAt) {
  setLanguage(body.language);
  const fromSocket = unclaimedSocketBubbles(sentAt);
  for (const r of body.replies || []) {
    const twin = fromSocket.findIndex((b) => b.dataset.match === r.text && b.dataset.from === (r.from || "bot"));
    if (twin >= 0) {
      fromSocket.splice(twin, 1)[0].dataset.claimed = "1";
      continue;
    }
    renderReply(r);
  }
}

// postWithRetry retries network failures and 5xx/429 with the same body (and so
// the same client_message_id): the server answers a repeat without acting twice.
async function postWithRetry(path, payload) {
  let lastErr;
  for (let attempt = 0; attempt < 6; attempt++) {
    if (attempt > 0) await sleep(backoff(attempt - 1));
    let res;
    try {
      res = await api("POST", path, payload);
    } catch (err) {
      lastErr = err;
      continue;
    }
    if (res.ok) return res.status === 204 ? {} : res.json();
    lastErr = await errorFrom(res);
    if (res.status < 500 && res.status !== 429) throw lastErr;
  }
  throw lastErr;
}

function sendTypingSignal() {
  const now = Date.now();
  if (!socket || socket.readyState !== WebSocket.OPEN || now - lastTypingSent < 3000) return;
  lastTypingSent = now;
  socket.send(JSON.stringify({ type: "typing" }));
}

// ---- WebSocket ----

function connectSocket() {
  if (stopped || !state || (socket && socket.readyState <= WebSocket.OPEN)) return;
  clearTimeout(socketTimer);
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const q = new URLSearchParams({ token: state.token });
  if (state.last_seq) q.set("after", String(state.last_seq));
  const ws = new WebSocket(`${proto}//${location.host}/v1/conversations/${enc(state.conversation_id)}/ws?${q}`);
  socket = ws;
  ws.addEventListener("open", () => {
    socketAttempts = 0;
    hideNotice();
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
    if (socket !== ws || stopped) return;
    socket = null;
    if (socketAttempts > 1) showNotice(t.offline);
    socketTimer = setTimeout(connectSocket, backoff(socketAttempts++));
  });
}

function onFrame(frame) {
  switch (frame.type) {
    case "item":
      if (frame.item) onLiveItem(frame.item);
      break;
    case "typing":
      if (frame.from === "agent") {
        showTyping(t.typingAgent(frame.agent_name || agentName || "Agent"));
        clearTimeout(agentTypingTimer);
        agentTypingTimer = setTimeout(() => inflight === 0 && hideTyping(), 4000);
      } else if (frame.from === "bot") {
        showTyping(t.typingBot);
        clearTimeout(agentTypingTimer);
        agentTypingTimer = setTimeout(() => inflight === 0 && hideTyping(), 4000);
      }
      break;
    case "status":
      queueBar.update(frame.status, frame.agent ? frame.agent.name : "");
      if (frame.status === "handed_off" && frame.agent && frame.agent.name) {
        setAgent(frame.agent.name, { banner: true });
      } else if (frame.status === "active") {
        setAgent("", { banner: true });
      } else if (frame.status === "closed" && lastBanner !== "closed") {
        banner(t.closed, "closed");
      }
      break;
  }
}

function onLiveItem(item) {
  if (item.seq && item.seq <= (state.last_seq || 0)) {
    // Already rendered (from the transcript or the HTTP reply): just attach the seq.
    claimBubble(item);
    return;
  }
  if (item.seq) {
    state.last_seq = item.seq;
    saveState();
  }
  if (claimBubble(item)) return;
  if (item.from === "agent" || (item.kind && item.kind !== "message")) {
    clearTimeout(agentTypingTimer);
    if (inflight === 0) hideTyping();
  }
  renderItem(item, { live: true });
  scrollToEnd();
}

// claimBubble gives an already shown bubble (sent by us or from an HTTP reply)
// the seq of its transcript item; true if there was one.
function claimBubble(item) {
  if ((item.kind || "message") !== "message") return false;
  if (item.seq && els.messages.querySelector(`[data-seq="${item.seq}"]`)) return true;
  for (const li of els.messages.querySelectorAll("li.msg:not([data-seq])")) {
    if (li.dataset.from === item.from && (li.dataset.match === item.text || (li.dataset.payload && li.dataset.payload === item.text))) {
      if (item.seq) li.dataset.seq = String(item.seq);
      return true;
    }
  }
  return false;
}

// unclaimedSocketBubbles are bot/agent bubbles the socket delivered while a
// message was in flight; its HTTP reply holds the same texts.
function unclaimedSocketBubbles(afterSeq) {
  return [...els.messages.querySelectorAll('li.msg[data-source="socket"]:not([data-claimed])')].filter(
    (li) => Number(li.dataset.seq || 0) > afterSeq && li.dataset.from !== "customer",
  );
}

// ---- rendering ----

function renderItem(item, { live }) {
  const kind = item.kind || "message";
  if (kind === "agent_joined") {
    const name = item.agent_name || "Agent";
    if (live && lastBanner === `joined:${name}`) return;
    banner(t.joined(name), "joined", item.seq);
    agentName = name;
    updateWho();
    lastBanner = `joined:${name}`;
    return;
  }
  if (kind === "agent_left") {
    if (live && lastBanner === "left") return;
    banner(t.left, "left", item.seq).dataset.agent = item.agent_name || agentName || "";
    agentName = "";
    updateWho();
    lastBanner = "left";
    return;
  }
  if (kind === "survey") {
    // A survey follows an agent closing the chat, not a hand back to the bot.
    const prev = els.messages.lastElementChild;
    if (prev && prev.classList.contains("left") && prev.dataset.agent) prev.textContent = t.leftClosed(prev.dataset.agent);
    renderBubble({ from: item.from || "bot", text: item.text, seq: item.seq, agentName: item.agent_name, source: live ? "socket" : "" });
    renderSurvey(item.seq);
    return;
  }
  if (kind === "handoff") {
    // The bot's own reply already says so; the item's text is an internal queue name.
    return;
  }
  if (item.from === "system") {
    if (item.text) banner(item.text, "system", item.seq);
    return;
  }
  renderBubble({
    from: item.from,
    text: item.text,
    seq: item.seq,
    agentName: item.agent_name,
    buttons: item.buttons,
    source: live ? "socket" : "",
  });
}

// renderWelcome greets when the bot has no greeting of its own; it is not part
// of the transcript, so it is never matched with a socket item.
function renderWelcome() {
  const li = renderBubble({ from: "bot", text: t.welcome });
  li.classList.add("welcome");
  li.dataset.seq = "0";
  li.dataset.match = "";
}

function renderReply(r) {
  renderBubble({ from: r.from || "bot", text: r.text, agentName: r.agent_name, buttons: r.buttons });
}

function renderBubble({ from, text, match, seq, agentName: name, buttons, pending, source }) {
  const li = document.createElement("li");
  li.className = `msg ${from === "customer" ? "customer" : from === "agent" ? "agent" : "bot"}`;
  li.dataset.from = from;
  li.dataset.match = match ?? text ?? "";
  if (seq) li.dataset.seq = String(seq);
  if (source) li.dataset.source = source;
  if (pending) li.classList.add("pending");

  const who = document.createElement("span");
  who.className = "visually-hidden";
  who.textContent = from === "customer" ? `${t.you}: ` : from === "agent" ? `${t.agentLabel(name || "Agent")}: ` : `${t.assistant}: `;

  const bubble = document.createElement("div");
  bubble.className = "bubble";
  bubble.lang = /[\u3400-\u9fff\uf900-\ufaff]/.test(text || "") ? "zh" : lang;
  bubble.append(who, document.createTextNode(text || ""));
  li.append(bubble);

  const meta = document.createElement("span");
  meta.className = "meta";
  if (from === "agent") meta.textContent = t.agentLabel(name || "Agent");
  li.append(meta);

  if (buttons && buttons.length) {
    hideQuickReplies();
    const group = document.createElement("div");
    group.className = "quick-replies";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Quick replies");
    for (const b of buttons) {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.label;
      btn.dataset.payload = b.payload ?? b.label;
      btn.addEventListener("click", () => sendMessage(btn.dataset.payload, b.label));
      group.append(btn);
    }
    li.append(group);
  }
  els.messages.append(li);
  return li;
}

function setMeta(li, text) {
  const meta = li.querySelector(".meta");
  if (meta) meta.textContent = text;
}

// Only the latest message's quick replies make sense; older ones are removed.
function hideQuickReplies() {
  for (const g of els.messages.querySelectorAll(".quick-replies")) g.remove();
}

function showButtonsOfLastMessage() {
  const all = els.messages.querySelectorAll(".quick-replies");
  all.forEach((g, i) => {
    if (i < all.length - 1 || g.closest("li") !== els.messages.lastElementChild) g.remove();
  });
}

function banner(text, kind, seq) {
  const li = document.createElement("li");
  li.className = `banner ${kind}`;
  li.setAttribute("role", "status");
  if (seq) li.dataset.seq = String(seq);
  li.textContent = text;
  els.messages.append(li);
  scrollToEnd();
  return li;
}

// renderSurvey offers the 1-5 score the bot just asked for, with an optional
// comment; the bot thanks the customer in the conversation itself.
function renderSurvey(seq) {
  const li = document.createElement("li");
  li.className = "survey";
  const key = seq || Date.now();
  const ratingID = uuid();
  const label = document.createElement("label");
  const comment = document.createElement("textarea");
  comment.rows = 2;
  comment.maxLength = 2000;
  comment.id = `survey-comment-${key}`;
  label.htmlFor = comment.id;
  label.textContent = t.surveyComment;
  const scores = document.createElement("div");
  scores.className = "scores";
  scores.setAttribute("role", "group");
  scores.setAttribute("aria-label", t.surveyAsk);
  for (let n = 1; n <= 5; n++) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "score";
    b.textContent = String(n);
    b.dataset.score = String(n);
    b.setAttribute("aria-label", t.surveyScore(n));
    b.addEventListener("click", async () => {
      for (const x of scores.querySelectorAll("button")) x.disabled = true;
      try {
        await postWithRetry(`/v1/conversations/${enc(state.conversation_id)}/satisfaction`, {
          score: n,
          comment: comment.value.trim(),
          client_message_id: ratingID, // a retried post is the same rating
        });
        const done = document.createElement("p");
        done.className = "rated";
        done.setAttribute("role", "status");
        const stars = document.createElement("span");
        stars.className = "stars";
        stars.setAttribute("aria-hidden", "true");
        stars.textContent = "★".repeat(n) + "☆".repeat(5 - n);
        done.append(stars, document.createTextNode(` ${t.surveyRated(n)}`));
        li.replaceChildren(done);
      } catch (err) {
        for (const x of scores.querySelectorAll("button")) x.disabled = false;
        showNotice(err.message || t.error);
      }
    });
    scores.append(b);
  }
  li.append(scores, label, comment);
  els.messages.append(li);
  scrollToEnd();
}

function setAgent(name, { banner: announce }) {
  if (name === agentName) return;
  agentName = name;
  updateWho();
  if (!announce) return;
  if (name) {
    if (lastBanner !== `joined:${name}`) banner(t.joined(name), "joined");
    lastBanner = `joined:${name}`;
  } else {
    if (lastBanner !== "left") banner(t.left, "left");
    lastBanner = "left";
  }
}

function updateWho() {
  els.who.textContent = agentName ? t.agentLabel(agentName) : t.assistant;
  els.who.classList.toggle("agent", Boolean(agentName));
}

function showTyping(label) {
  els.typingLabel.textContent = label;
  els.typing.hidden = false;
  scrollToEnd();
}

function hideTyping() {
  els.typing.hidden = true;
}

function showNotice(text) {
  els.connection.textContent = text;
  els.connection.hidden = false;
}

function hideNotice() {
  els.connection.hidden = true;
}

// Smooth scrolling, unless the customer asked their system for less motion.
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

function scrollToEnd(smooth = true) {
  requestAnimationFrame(() => {
    const behavior = smooth && !reducedMotion.matches ? "smooth" : "auto";
    els.scroller.scrollTo({ top: els.scroller.scrollHeight, behavior });
  });
}

function autoGrow() {
  els.input.style.height = "auto";
  els.input.style.height = `${Math.min(els.input.scrollHeight, 160)}px`;
}

// setLanguage follows the conversation's language (nothing when the server
// did not say), and remembers it for a reload.
function setLanguage(tag) {
  if (!tag) return;
  const next = pickLanguage(tag);
  if (state && state.language !== next) {
    state.language = next;
    saveState();
  }
  if (next === lang) return;
  lang = next;
  t = STRINGS[lang];
  applyLanguage();
}

function applyLanguage() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t.title;
  els.title.textContent = t.title;
  els.who.textContent = t.assistant;
  els.input.placeholder = t.placeholder;
  els.inputLabel.textContent = t.label;
  els.send.setAttribute("aria-label", t.send);
  els.startOver.textContent = t.startOver;
}

// ---- helpers ----

function pickLanguage(tag) {
  return tag.toLowerCase().startsWith("zh") ? "zh" : "en";
}

function api(method, path, payload) {
  const headers = { Accept: "application/json" };
  if (state && state.token) headers.Authorization = `Bearer ${state.token}`;
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  return fetch(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
}


function maxSeq() {
  let max = state?.last_seq || 0;
  for (const el of els.messages.querySelectorAll("[data-seq]")) max = Math.max(max, Number(el.dataset.seq));
  return max;
}

function loadState() {
  try {
    const s = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    return s && s.conversation_id && s.token ? s : null;
  } catch {
    return null;
  }
}

function saveState() {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(state));
  } catch {
    // Private mode or full storage: the chat works, a reload starts over.
  }
}

function clearState() {
  state = null;
  try {
    localStorage.removeItem(STORE_KEY);
  } catch {
    // Nothing stored.
  }
}



function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

