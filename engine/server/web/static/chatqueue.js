// While a web chat customer waits for a person: their place in the queue and
// the estimated wait, kept current, and a "Leave the queue" button. chat.js
// calls update() whenever who answers may have changed.

import { enc, errorFrom } from "./common.js";

const STRINGS = {
  en: {
    place: (n) => (n <= 1 ? "You're next in the queue" : `You're number ${n} in the queue`),
    wait: (m) => (m <= 1 ? "about a minute" : `about ${m} minutes`),
    nobody: "No one is available right now",
    leave: "Leave the queue",
    leaving: "Leaving…",
  },
  zh: {
    place: (n) => (n <= 1 ? "您是下一位" : `您前面还有 ${n} 位`),
    wait: (m) => `预计约 ${Math.max(1, m)} 分钟`,
    nobody: "目前暂无客服在线",
    leave: "退出排队",
    leaving: "正在退出…",
  },
};

// How often the place is re-read while waiting.
const REFRESH_MS = 15000;

// createQueueBar shows the bar in `bar` for the conversation of getState(),
// in the language getLang() names (the conversation's, which can change).
// api(method, path) makes an authenticated request; onLeft(body) gets the
// customer turn the server answers a leave with (the bot's reply).
export function createQueueBar({ bar, getLang, api, getState, onLeft }) {
  const t = () => STRINGS[getLang()] || STRINGS.en;
  const text = document.createElement("span");
  text.className = "queue-text";
  const leave = document.createElement("button");
  leave.type = "button";
  leave.className = "link-button queue-leave";
  leave.textContent = t().leave;
  bar.replaceChildren(text, leave);

  let timer = 0;
  let waiting = false;

  leave.addEventListener("click", async () => {
    const st = getState();
    if (!st) return;
    leave.disabled = true;
    leave.textContent = t().leaving;
    try {
      const res = await api("POST", `/v1/conversations/${enc(st.conversation_id)}/queue/leave`);
      if (!res.ok) throw await errorFrom(res);
      stop();
      onLeft(await res.json());
    } catch (err) {
      text.textContent = err.message;
    } finally {
      leave.disabled = false;
      leave.textContent = t().leave;
    }
  });

  async function read() {
    const st = getState();
    if (!st || !waiting) return;
    try {
      const res = await api("GET", `/v1/conversations/${enc(st.conversation_id)}/queue`);
      if (!res.ok) throw await errorFrom(res);
      const q = await res.json();
      if (!waiting) return;
      if (!q.waiting) {
        bar.hidden = true;
        return;
      }
      const parts = [t().place(q.position)];
      if (!q.agents_available && q.position > 1) parts.push(t().nobody);
      else if (q.estimated_wait_seconds > 0 && q.position > 1) parts.push(t().wait(Math.ceil(q.estimated_wait_seconds / 60)));
      text.textContent = parts.join(" · ");
      bar.hidden = false;
    } catch {
      // Offline: the next read tries again; the bar keeps what it knew.
    }
    clearTimeout(timer);
    timer = setTimeout(read, REFRESH_MS);
  }

  function stop() {
    waiting = false;
    clearTimeout(timer);
    bar.hidden = true;
  }

  return {
    // update follows the conversation: handed off without an agent means
    // waiting in a queue.
    update(status, agentName) {
      if (status === "handed_off" && !agentName) {
        if (!leave.disabled) leave.textContent = t().leave;
        waiting = true;
        read();
      } else {
        stop();
      }
    },
  };
}
