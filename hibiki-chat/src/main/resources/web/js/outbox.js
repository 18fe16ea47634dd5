// The ordered outbox. Messages leave in the order they were typed, across all rooms, one at a time: the head is
// retried with the same clientId until the server answers (the server stores a retry once), and everything
// behind it waits, so no room ever shows a later message before an earlier one. A message the server refuses
// for good is kept, marked failed, for the user to retry, edit or discard; the queue moves on.

import { TRANSIENT } from "./connection.js";

const SEND_TIMEOUT_MS = 10000; // longer than the server may hold a burst under its rate limit
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 5000;

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

function clientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => ALPHABET[b % 64]).join("");
}

/** Entries written by an older page may lack fields; anything unusable is dropped rather than sent. */
function normalize(item) {
  if (!item || typeof item.room !== "string" || typeof item.clientId !== "string") return null;
  return {
    clientId: item.clientId,
    room: item.room,
    message: typeof item.message === "string" ? item.message : "",
    attachment: item.attachment || null,
    /** The quote of the message this answers ({id, author, text}), or null. */
    replyTo: item.replyTo && typeof item.replyTo.id === "number" ? item.replyTo : null,
    createdAt: item.createdAt || item.timestamp || Date.now(),
    status: item.status === "failed" ? "failed" : "pending",
    error: item.error || "",
    errorMessage: item.errorMessage || "",
  };
}

export class Outbox extends EventTarget {
  /**
   * send(item) → Promise of the server's answer; isConnected() → boolean; persist(items, done) keeps them across
   * reloads (done: clientIds this page has sent or dropped); onSent(item, answer) records the stored message; backoff: {min, max} ms between tries of the head.
   */
  constructor(saved, { send, isConnected, persist, onSent, backoff = { min: BACKOFF_MIN_MS, max: BACKOFF_MAX_MS } }) {
    super();
    this.items = saved.map(normalize).filter(Boolean);
    this.send = send;
    this.isConnected = isConnected;
    this.persist = persist;
    this.done = new Set();
    this.onSent = onSent;
    this.backoff = backoff;
    this.running = false;
    this.attempts = 0;
    this.wake = null;
    /** The clientId of a head waiting to be sent again, for the UI to say so. */
    this.retrying = "";
  }

  forRoom(room) {
    return this.items.filter((i) => i.room === room);
  }

  add(room, message, attachment, replyTo) {
    this.items.push(normalize({ clientId: clientId(), room, message, attachment, replyTo, createdAt: Date.now() }));
    this.#changed(room);
    this.pump();
  }

  /** A failed message goes to the back of the queue: the messages typed after it have already been sent. */
  retry(id) {
    const i = this.items.findIndex((x) => x.clientId === id);
    if (i < 0) return;
    const [item] = this.items.splice(i, 1);
    Object.assign(item, { status: "pending", error: "", errorMessage: "" });
    this.items.push(item);
    this.#changed(item.room);
    this.pump();
  }

  /** Only a failed message can be taken back: a pending one may already be stored. */
  discard(id) {
    const item = this.items.find((x) => x.clientId === id);
    if (!item || item.status !== "failed") return null;
    this.items.splice(this.items.indexOf(item), 1);
    this.done.add(item.clientId);
    this.#changed(item.room);
    return item;
  }

  /** Forgets refused messages to rooms this user is no longer in: there is no screen left to show them on. */
  dropFailed(isMember) {
    const before = this.items.length;
    for (const i of this.items) if (i.status === "failed" && !isMember(i.room)) this.done.add(i.clientId);
    this.items = this.items.filter((i) => i.status !== "failed" || isMember(i.room));
    if (this.items.length !== before) this.#changed("");
  }

  /** Starts sending if it is not already. resume: cut a backoff short, because the connection is new. */
  pump({ resume = false } = {}) {
    if (resume && this.wake) this.wake();
    if (this.running) return;
    this.running = true;
    this.#loop().catch((e) => {
      this.running = false;
      setTimeout(() => {
        throw e; // a bug must be seen, and the next pump must be able to start again
      });
    });
  }

  async #loop() {
    for (;;) {
      const head = this.items.find((i) => i.status === "pending");
      if (!head || !this.isConnected()) {
        // Cleared in the same step as the check: a message added right after must start a new loop.
        this.running = false;
        return;
      }
      const res = await this.send(head);
      if (res.ok) {
        this.attempts = 0;
        this.items.splice(this.items.indexOf(head), 1);
        this.done.add(head.clientId);
        this.onSent(head, res);
        this.#changed(head.room);
      } else if (TRANSIENT.has(res.error)) {
        // Unknown outcome or a busy server: the same clientId again, later. Nothing behind it may overtake it.
        const delay = Math.min(this.backoff.max, this.backoff.min * 2 ** this.attempts++);
        this.retrying = head.clientId;
        this.#changed(head.room);
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
        this.retrying = "";
      } else {
        this.attempts = 0;
        Object.assign(head, { status: "failed", error: res.error || "refused", errorMessage: res.message || "" });
        this.#changed(head.room);
        this.dispatchEvent(new CustomEvent("failed", { detail: head }));
      }
    }
  }

  #changed(room) {
    this.persist(this.items, this.done);
    this.dispatchEvent(new CustomEvent("change", { detail: room }));
  }
}
