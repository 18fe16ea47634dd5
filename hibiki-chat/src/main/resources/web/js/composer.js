// The message input. Text over the server's limit is refused here, before it could be sent, with the limit in
// view: a counter that turns red, Send disabled and a sentence saying what to do. The text is never cut; the
// user decides what to remove. Files are checked against the upload limit before a byte is sent.

import { $ } from "./dom.js";
import { upload, formatBytes } from "./upload.js";

const TYPING_EVERY_MS = 1000;
/** The counter appears when the limit comes into sight, not for every short message. */
const COUNTER_FROM = 0.8;

export class Composer {
  /**
   * onSend(text, attachment, replyTo), onTyping(typing), onError(text), onEditLast() (↑ in an empty composer),
   * onSaveEdit(id, text) (resolves true when saved)
   */
  constructor({ onSend, onTyping, onError, onEditLast, onSaveEdit }) {
    this.onSend = onSend;
    this.onEditLast = onEditLast;
    this.onSaveEdit = onSaveEdit;
    /** The id of the stored message being edited, or null. */
    this.editing = null;
    /** The quote ({id, author, text}) of the message the next send answers, and its room; or null. */
    this.replying = null;
    $("reply-cancel").addEventListener("click", () => {
      this.cancelReply();
      this.input.focus();
    });
    this.onTyping = onTyping;
    this.onError = onError;
    this.limits = { maxMessageChars: 2000, uploadMaxBytes: 10 * 1024 * 1024 };
    this.lastTyping = 0;
    this.input = $("text");
    this.input.addEventListener("input", () => this.#onInput());
    this.input.addEventListener("keydown", (e) => this.#onKey(e));
    $("composer").addEventListener("submit", (e) => {
      e.preventDefault();
      this.#submit();
    });
    $("file").addEventListener("change", () => {
      const picker = $("file");
      const file = picker.files[0];
      picker.value = "";
      if (file) this.attach(file);
    });
    // A file dropped anywhere on the conversation, or pasted into the composer, is attached like a picked one.
    const zone = $("chat");
    zone.addEventListener("dragover", (e) => {
      if ([...(e.dataTransfer?.types || [])].includes("Files")) {
        e.preventDefault();
        zone.classList.add("dropping");
      }
    });
    zone.addEventListener("dragleave", (e) => {
      if (!zone.contains(e.relatedTarget)) zone.classList.remove("dropping");
    });
    zone.addEventListener("drop", (e) => {
      zone.classList.remove("dropping");
      const file = e.dataTransfer?.files?.[0];
      if (!file) return;
      e.preventDefault();
      this.attach(file);
    });
    this.input.addEventListener("paste", (e) => {
      const file = [...(e.clipboardData?.files || [])][0];
      if (!file) return; // text pastes as text
      e.preventDefault();
      this.attach(file);
    });
    $("cancel-upload").addEventListener("click", () => this.uploading?.abort());
    /** The upload in progress (an AbortController), or null. */
    this.uploading = null;
    this.check();
  }

  setLimits(limits) {
    this.limits = { ...this.limits, ...limits };
    this.check();
  }

  /** Edits a stored message in the composer: Enter saves it, Escape leaves it as it was. */
  startEdit(id, text) {
    this.cancelReply();
    this.editing = id;
    $("edit-hint").hidden = false;
    this.setText(text);
  }

  /** The next message answers this one (of this room): a bar above the input says so, Esc or × drops it. */
  startReply(quote, room) {
    this.cancelEdit();
    this.replying = { quote, room };
    $("reply-author").textContent = quote.author || "?";
    $("reply-text").textContent = quote.text || (quote.attachment ? "File: " + quote.attachment : "");
    $("reply-hint").hidden = false;
    this.input.focus();
  }

  cancelReply() {
    if (this.replying === null) return;
    this.replying = null;
    $("reply-hint").hidden = true;
  }

  cancelEdit() {
    if (this.editing === null) return;
    this.editing = null;
    $("edit-hint").hidden = true;
    this.setText("");
  }

  #onKey(e) {
    // Enter sends; Shift+Enter is a new line; while an input method is composing, Enter is the method's.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.#submit();
    } else if (e.key === "ArrowUp" && !this.input.value && this.editing === null) {
      e.preventDefault();
      this.onEditLast?.();
    } else if (e.key === "Escape" && this.editing !== null) {
      e.preventDefault();
      this.cancelEdit();
    } else if (e.key === "Escape" && this.replying !== null) {
      e.preventDefault();
      this.cancelReply();
    }
  }

  /** The input grows with its lines, up to a few, then scrolls. */
  #fit() {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight, 160) + "px";
  }

  /** Puts a message back in the input (editing a refused one). */
  setText(text) {
    this.input.value = text;
    this.#fit();
    this.check();
    this.input.focus();
  }

  /** Updates counter, hint and Send; answers whether the text may be sent. */
  check() {
    const max = this.limits.maxMessageChars;
    const length = this.input.value.trim().length;
    const over = length > max;
    const counter = $("counter");
    counter.textContent = length + " / " + max;
    counter.hidden = !over && length < max * COUNTER_FROM;
    counter.classList.toggle("over", over);
    this.input.setAttribute("aria-invalid", String(over));
    $("limit-hint").textContent = over
      ? `Too long to send: ${length} characters, the limit is ${max}. Shorten it or split it into several messages.`
      : "";
    $("send").disabled = over;
    return !over;
  }

  #onInput() {
    this.#fit();
    this.check();
    const now = Date.now();
    if (this.input.value && now - this.lastTyping > TYPING_EVERY_MS) {
      this.lastTyping = now;
      this.onTyping(true);
    }
  }

  #take() {
    const text = this.input.value.trim();
    this.input.value = "";
    this.#fit();
    this.check();
    if (this.lastTyping) this.onTyping(false);
    this.lastTyping = 0;
    return text;
  }

  #submit() {
    if (!this.check()) {
      this.input.focus();
      return;
    }
    if (!this.input.value.trim()) return;
    if (this.editing !== null) {
      const id = this.editing;
      const text = this.input.value.trim();
      this.onSaveEdit(id, text).then((saved) => {
        if (saved && this.editing === id) this.cancelEdit();
      });
      return;
    }
    this.onSend(this.#take(), null, this.#replyTarget());
  }

  /** The reply target, taken once by the send it goes with. */
  #replyTarget() {
    const target = this.replying;
    this.cancelReply();
    return target;
  }

  /** Uploads a file (checked against the limit first) and sends it with the composer's text. */
  async attach(file) {
    if (!this.check() || this.uploading) return;
    if (file.size > this.limits.uploadMaxBytes) {
      this.onError(`${file.name} is ${formatBytes(file.size)}; files are at most ${formatBytes(this.limits.uploadMaxBytes)}.`);
      return;
    }
    const progress = $("progress");
    progress.value = 0;
    progress.hidden = false;
    $("cancel-upload").hidden = false;
    this.uploading = new AbortController();
    try {
      const stored = await upload(file, (f) => {
        progress.value = 100 * f;
      }, this.uploading.signal);
      this.onSend(this.#take(), stored, this.#replyTarget());
    } catch (err) {
      if (err.name !== "AbortError") this.onError(err.message);
    } finally {
      this.uploading = null;
      progress.hidden = true;
      $("cancel-upload").hidden = true;
    }
  }
}
