// Who is in the room on screen (a click opens a direct conversation) and who is typing in it.

import { $, el } from "./dom.js";

export function renderOnline(state, onDirect) {
  const users = [...state.online.users].filter((u) => u && typeof u.nickname === "string");
  users.sort((a, b) => a.nickname.localeCompare(b.nickname));
  $("online").replaceChildren(...users.map((u) => {
    const tag = u.guest ? el("span", { class: "guest-tag", text: "guest" }) : null;
    if (u.userId === state.userId) return el("li", { class: "me" }, u.nickname + " (you)", tag);
    return el("li", {},
      el("button", { type: "button", class: "person", title: "Message " + u.nickname + " directly",
        onclick: () => onDirect(u.userId, u.nickname) }, el("span", { class: "name", text: u.nickname }), tag));
  }));
}

export function renderTyping(state) {
  const now = Date.now();
  const names = [];
  for (const [id, t] of state.typers) {
    if (t.until <= now) state.typers.delete(id);
    else if (t.room === state.current) names.push(t.nickname);
  }
  $("typing").textContent = names.length ? names.join(", ") + (names.length > 1 ? " are" : " is") + " typing…" : "";
}
