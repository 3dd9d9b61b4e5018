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
