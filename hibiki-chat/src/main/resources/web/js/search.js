// Searching messages: the server searches the rooms this user may read; results show where they were said, with
// the words found marked (as text nodes: nothing a user wrote becomes markup), and a click opens the room at the
// message.

import { $, el } from "./dom.js";

/** The text with each occurrence of the words wrapped in <mark>, built from text nodes only. */
export function highlighted(text, words) {
  const parts = [];
  const lower = text.toLowerCase();
  let at = 0;
  while (at < text.length) {
    let best = -1;
    let length = 0;
    for (const w of words) {
      const i = lower.indexOf(w, at);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
        length = w.length;
      }
    }
    if (best < 0) break;
    if (best > at) parts.push(text.slice(at, best));
    parts.push(el("mark", { text: text.slice(best, best + length) }));
    at = best + length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

export class SearchPanel {
  /** labelOf(room): how the room is called here; onJump(room, id): show the message in its room. */
  constructor(connection, { labelOf, onJump }) {
    this.connection = connection;
    this.labelOf = labelOf;
    this.onJump = onJump;
    this.query = "";
    this.words = [];
    this.last = null;
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.run($("search-query").value.trim());
    });
    $("search-more").addEventListener("click", () => this.run(this.query, this.last));
    $("search-close").addEventListener("click", () => $("search-dialog").close());
  }

  async run(query, before) {
    if (!query) return;
    this.query = query;
    const res = await this.connection.request("search", before ? { query, before } : { query });
    if (!$("search-dialog").open) $("search-dialog").showModal();
    $("search-title").textContent = "Results for “" + query + "”";
    if (!res.ok) {
      $("search-error").textContent = res.message || "search is unavailable";
      return;
    }
    $("search-error").textContent = "";
    this.words = Array.isArray(res.words) ? res.words : [];
    const results = Array.isArray(res.results) ? res.results : [];
    const items = results.map((m) => el("li", {},
      el("button", { type: "button", class: "result", onclick: () => {
        $("search-dialog").close();
        this.onJump(m.room, m.id);
      } },
      el("span", { class: "where", text: this.labelOf(m.room) }),
      el("span", { class: "author", text: m.author || "?" }),
      el("time", { text: new Date(m.timestamp).toLocaleString() }),
      el("span", { class: "text" }, ...highlighted(m.text || "", this.words)))));
    if (before) $("search-results").append(...items);
    else $("search-results").replaceChildren(...(items.length ? items
      : [el("li", { class: "empty", text: "Nothing found in the rooms you are in." })]));
    this.last = results.length ? results[results.length - 1].id : null;
    $("search-more").hidden = !res.hasMore;
  }
}
