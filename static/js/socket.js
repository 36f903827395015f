// The connection to the board's WebSocket: reconnects by itself with capped, jittered
// exponential backoff, and keeps every operation until the server has answered it, so an edit
// made while the connection is down is sent once it is back (the server ignores a resent id).
// An operation refused as `rate_limited` is sent again, same id, once the server says it may.

const PING_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 15_000;
// Closes after which reconnecting is refused again: access ended, too many tabs on this board.
const FINAL_CLOSE_CODES = new Set([4403, 4429]);

export function backoffDelay(attempt) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  // Jitter, so that a roomful of boards does not come back at the same instant after a restart.
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export function socketUrl(mapId, location = window.location) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/maps/${mapId}/`;
}

export class LiveSocket {
  // onOpen() runs before queued operations are sent; onMessage(msg) gets every message;
  // onStatus({state, unsaved}) whenever the connection or the count of unsaved changes moves.
  constructor(url, { onOpen, onMessage, onStatus }) {
    this.url = url;
    this.handlers = { onOpen, onMessage, onStatus };
    this.unanswered = new Map(); // id -> operation, in the order they were made
    this.attempt = 0;
    this.ws = null;
    this.stopped = false;
  }

  get isOpen() { return this.ws?.readyState === WebSocket.OPEN; }

  connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => this.opened());
    ws.addEventListener("message", (e) => this.received(e.data));
    ws.addEventListener("close", (e) => {
      if (FINAL_CLOSE_CODES.has(e.code)) this.stopped = true;
      if (this.ws === ws) this.closed();
    });
  }

  opened() {
    this.attempt = 0;
    this.pinger = setInterval(() => this.sendRaw({ type: "ping" }), PING_MS);
    this.handlers.onOpen();
    for (const op of this.unanswered.values()) this.sendRaw(op);
    this.status();
  }

  closed() {
    clearInterval(this.pinger);
    if (this.stopped) return; // stopped for good: the page has said why (deleted, no access)
    this.status();
    const delay = backoffDelay(this.attempt++);
    this.retry = setTimeout(() => this.connect(), delay);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    this.ws?.close();
  }

  // An operation the server must answer with ack or error.
  send(op) {
    this.unanswered.set(op.id, op);
    if (this.isOpen) this.sendRaw(op);
    this.status();
  }

  // A message with no answer (sync, editing, ping): pointless to keep while offline.
  sendRaw(message) {
    if (this.isOpen) this.ws.send(JSON.stringify(message));
  }

  received(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn("Ignoring a message that is not JSON:", text);
      return;
    }
    if (message.type === "error" && message.code === "rate_limited" && message.id) {
      return this.resendLater(message.id, message.retry_after);
    }
    if ((message.type === "ack" || message.type === "error") && message.id) {
      this.unanswered.delete(message.id);
      this.status();
    }
    this.handlers.onMessage(message);
  }

  // Nothing was done; the same id cannot apply twice, so sending it again is safe.
  resendLater(id, seconds) {
    const wait = Math.max(50, (seconds || 0) * 1000) * (1 + Math.random() * 0.5);
    setTimeout(() => {
      const op = this.unanswered.get(id);
      if (op) this.sendRaw(op);
    }, wait);
  }

  status() {
    const state = this.isOpen ? "live" : "reconnecting";
    this.handlers.onStatus({ state, unsaved: this.unanswered.size });
  }
}
