// The thread view: a message and every reply to it, over the conversation, with its own reply box. The server's
// answer is merged with what this page holds of the room, so replies that arrive, change or go while it is open
// show at once; a reply typed here goes through the same ordered outbox as any message.

import { $, el } from "./dom.js";
import { formatMessage } from "./format.js";
import { quoteOf } from "./state.js";

function entry(m) {
  const d = new Date(m.timestamp || Date.now());
  const text = m.deleted ? el("span", { class: "text" }, "(deleted)")
    : el("span", { class: "text" }, ...formatMessage(m.text || ""),
      m.attachment ? el("span", { class: "file", text: " File: " + (m.attachment.name || "file") }) : null,
      m.edited ? el("span", { class: "edited", text: " (edited)" }) : null);
  return el("li", { data: { id: m.id } },
    el("time", { dateTime: d.toISOString(), title: d.toLocaleString(),
      text: d.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }) }),
    el("span", { class: "author", text: m.author || "?" }), text);
}

export class ThreadView {
  /** send(room, text, replyTo): queue a reply; labelOf(room); onError(text). */
  constructor(state, connection, { send, labelOf, onError }) {
    this.state = state;
    this.connection = connection;
    this.send = send;
    this.labelOf = labelOf;
    this.onError = onError;
    this.parentId = null;
    this.room = null;
    /** id -> message as the server answered; the room's own copies win (they are kept current). */
    this.fetched = new Map();
    this.complete = true;
    const dialog = $("thread-dialog");
    $("thread-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      this.parentId = null;
    });
    $("thread-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.#reply();
    });
    $("thread-text").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.#reply();
      }
    });
    state.addEventListener("messages", (e) => {
      if (this.parentId !== null && e.detail === this.room) this.render();
    });
  }

  async open(id) {
    const res = await this.connection.request("thread", { id });
    if (!res.ok || !res.parent || !Array.isArray(res.replies)) {
      this.onError(res.message || "that thread is not available");
      return;
    }
    this.parentId = res.parent.id;
    this.room = res.room;
    this.fetched = new Map([res.parent, ...res.replies].map((m) => [m.id, m]));
    this.complete = res.complete !== false;
    $("thread-text").value = "";
    $("thread-text").maxLength = this.state.limits.maxMessageChars;
    this.render();
    const dialog = $("thread-dialog");
    if (!dialog.open) dialog.showModal();
    $("thread-text").focus();
  }

  #messages() {
    const all = new Map(this.fetched);
    const room = this.state.rooms.get(this.room);
    if (room) {
      for (const m of room.messages.values()) {
        if (m.id === this.parentId || (m.replyTo && m.replyTo.id === this.parentId)) all.set(m.id, m);
      }
    }
    return all;
  }

  render() {
    const all = this.#messages();
    const parent = all.get(this.parentId);
    const replies = [...all.values()].filter((m) => m.id !== this.parentId).sort((a, b) => a.id - b.id);
    $("thread-title").textContent = "Thread in " + this.labelOf(this.room);
    $("thread-parent").replaceChildren(...(parent ? [entry(parent)] : []));
    $("thread-count").textContent = replies.length === 1 ? "1 reply" : replies.length + " replies";
    $("thread-replies").replaceChildren(...(replies.length ? replies.map(entry)
      : [el("li", { class: "empty", text: "No replies yet. Write the first one below." })]));
    $("thread-partial").hidden = this.complete;
    const open = parent && !parent.deleted && !this.state.rooms.get(this.room)?.archived;
    $("thread-form").hidden = !open;
  }

  #reply() {
    const text = $("thread-text").value.trim();
    const parent = this.#messages().get(this.parentId);
    if (!text || !parent) return;
    this.send(this.room, text, quoteOf(parent));
    $("thread-text").value = "";
    $("thread-text").focus();
  }
}
