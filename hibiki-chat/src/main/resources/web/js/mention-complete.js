// @handle suggestions in a text input: typed after an "@" that starts a word, the accounts whose handle or name
// match what follows, in a list under the input. ↑/↓ choose, Enter or Tab inserts "@handle ", Escape closes; the
// input keeps the focus throughout (the list is its aria-activedescendant), so typing simply goes on.

import { el } from "./dom.js";

/** An "@" at the start of a word, then what is typed of a handle, up to the caret. */
const TOKEN = /(^|[^\p{L}\p{N}_.@-])@([\p{L}\p{N}_.-]{0,32})$/u;
const SHOWN = 8;
const WAIT_MS = 150;

export class MentionComplete {
  /** lookup(query) → Promise of [{handle, displayName}]. */
  constructor(input, list, { lookup }) {
    this.input = input;
    this.list = list;
    this.lookup = lookup;
    this.options = [];
    this.active = -1;
    /** Answers to an older query than the newest are dropped. */
    this.asked = 0;
    this.timer = 0;
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.addEventListener("input", () => this.#typed());
    input.addEventListener("click", () => this.#typed());
    input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    // Capture: the list has the keys before the composer (Enter would otherwise send).
    input.addEventListener("keydown", (e) => this.#key(e), true);
    list.addEventListener("mousedown", (e) => e.preventDefault()); // the input keeps the focus
    list.addEventListener("click", (e) => {
      const option = e.target.closest("[role=option]");
      if (option) this.#insert(this.options[Number(option.dataset.index)]);
    });
  }

  get open() {
    return !this.list.hidden;
  }

  /** The handle being typed before the caret, or null. */
  #token() {
    const caret = this.input.selectionStart;
    if (caret !== this.input.selectionEnd) return null;
    const m = TOKEN.exec(this.input.value.slice(0, caret));
    return m ? { query: m[2], start: caret - m[2].length - 1, end: caret } : null;
  }

  #typed() {
    clearTimeout(this.timer);
    const token = this.#token();
    if (!token) {
      this.close();
      return;
    }
    this.timer = setTimeout(() => this.#ask(token.query), WAIT_MS);
  }

  async #ask(query) {
    const asked = ++this.asked;
    let users = [];
    try {
      users = await this.lookup(query);
    } catch {
      users = [];
    }
    if (asked !== this.asked || !this.#token()) return;
    const q = query.toLowerCase();
    // Handles that start with what was typed first, then names that do, then the rest the directory matched.
    const rank = (u) => (u.handle.toLowerCase().startsWith(q) ? 0 : (u.displayName || "").toLowerCase().startsWith(q) ? 1 : 2);
    this.options = users.filter((u) => u && typeof u.handle === "string")
      .sort((a, b) => rank(a) - rank(b) || a.handle.localeCompare(b.handle)).slice(0, SHOWN);
    this.#show(0);
  }

  #show(active) {
    if (!this.options.length) {
      this.close();
      return;
    }
    this.active = (active + this.options.length) % this.options.length;
    this.list.replaceChildren(...this.options.map((u, i) => el("li", {
      id: this.list.id + "-" + i, role: "option", ariaSelected: String(i === this.active), data: { index: i } },
    el("span", { class: "handle", text: "@" + u.handle }),
    u.displayName && u.displayName !== u.handle ? el("span", { class: "name", text: u.displayName }) : null)));
    this.list.hidden = false;
    this.input.setAttribute("aria-activedescendant", this.list.id + "-" + this.active);
  }

  close() {
    clearTimeout(this.timer);
    this.asked++;
    this.options = [];
    this.active = -1;
    this.list.hidden = true;
    this.list.replaceChildren();
    this.input.removeAttribute("aria-activedescendant");
  }

  #key(e) {
    if (!this.open || e.isComposing) return;
    const take = () => {
      e.preventDefault();
      e.stopImmediatePropagation();
    };
    if (e.key === "ArrowDown") {
      take();
      this.#show(this.active + 1);
    } else if (e.key === "ArrowUp") {
      take();
      this.#show(this.active - 1);
    } else if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
      take();
      this.#insert(this.options[this.active]);
    } else if (e.key === "Escape") {
      take();
      this.close();
    }
  }

  #insert(user) {
    const token = this.#token();
    if (!user || !token) {
      this.close();
      return;
    }
    const value = this.input.value;
    const text = "@" + user.handle + " ";
    this.input.value = value.slice(0, token.start) + text + value.slice(token.end);
    const caret = token.start + text.length;
    this.input.setSelectionRange(caret, caret);
    this.close();
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
    this.input.focus();
  }
}
