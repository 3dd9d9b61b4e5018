// Helpers the chat and the console share.

// uuid makes a client message id: a retried send carries the same one, so the
// server does it once.
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; plain-http deployments still need unique ids.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// retryKeys hands out the client ids of the changes a page sends: the same
// change (the same signature) keeps its id until it is done, so a retry after
// a lost answer, or a double submit, is done once by the server; once done,
// the same change again is a new one.
export function retryKeys() {
  const pending = new Map();
  return {
    key(sig) {
      if (!pending.has(sig)) pending.set(sig, uuid());
      return pending.get(sig);
    },
    done(sig) {
      pending.delete(sig);
    },
  };
}

// backoff is the wait before retry attempt n: exponential, capped at 30 s,
// jittered so that many clients reconnecting at once spread out.
export function backoff(attempt) {
  const base = Math.min(30000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

// errorFrom turns a failed response into an Error with the server's message
// ({"error": {"message"}}) and the status.
export async function errorFrom(res, prefix = "") {
  let message = `${prefix}${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    if (body && body.error && body.error.message) message = body.error.message;
  } catch {
    // Not JSON: keep the status line.
  }
  const err = new Error(message);
  err.status = res.status;
  return err;
}

export function enc(s) {
  return encodeURIComponent(s);
}

// ---- times: the console shows every time in the bot's time zone, as the
// dashboard and the reports count days and as the bot speaks of them to
// customers, whatever the zone of the agent's computer ----

let timeZone; // undefined: the computer's own, until sign-in says the bot's

// setTimeZone takes the bot's zone (an IANA name); an unknown one is ignored.
export function setTimeZone(zone) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone || undefined });
    timeZone = zone || undefined;
  } catch {
    timeZone = undefined;
  }
}

function dayOf(d) {
  return d.toLocaleDateString("en-CA", { timeZone });
}

// when is a time of today ("10:05 AM"), else with its day ("Nov 20, 10:05 AM").
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return dayOf(d) === dayOf(new Date())
    ? d.toLocaleTimeString([], { timeZone, hour: "2-digit", minute: "2-digit" })
    : d.toLocaleString([], { timeZone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

// formatDate is a full date and time, for records that may be years old.
export function formatDate(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString([], { timeZone, year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}
