// The room list: rooms first (the default room at the top), then direct conversations, each with its unread
// badge (grey for a muted room). On a narrow screen the list folds away behind a toggle that carries the total of
// unread messages in rooms that are not muted.

import { $, el } from "./dom.js";

function order(state) {
  const rooms = [...state.rooms.values()];
  const key = (r) => [r.kind === "direct" ? 2 : r.name === state.defaultRoom ? 0 : 1, r.label.toLowerCase()];
  return rooms.sort((a, b) => {
    const [ka, la] = key(a);
    const [kb, lb] = key(b);
    return ka - kb || la.localeCompare(lb);
  });
}

export function renderRooms(state, onSelect) {
  let total = 0;
  const items = order(state).map((room) => {
    if (room.name !== state.current && !room.muted) total += room.unread;
    const badge = room.unread > 0 && room.name !== state.current
      ? el("span", { class: room.muted ? "badge quiet" : "badge", text: room.unread > 99 ? "99+" : room.unread,
        title: room.unread + " unread" + (room.muted ? " (muted)" : "") })
      : null;
    const mention = room.mentions > 0 && room.name !== state.current
      ? el("span", { class: "badge mention", text: "@" + (room.mentions > 99 ? "99+" : room.mentions),
        title: room.mentions + " mentioning you" })
      : null;
    const classes = [room.name === state.current ? "active" : "", room.muted ? "muted" : ""].filter(Boolean);
    return el("li", { class: classes.join(" "), data: { room: room.name } },
      el("button", { type: "button", class: "room", onclick: () => onSelect(room.name),
        ariaCurrent: room.name === state.current ? "page" : null },
      el("span", { class: "name " + room.kind, text: room.label }), mention, badge));
  });
  $("rooms").replaceChildren(...items);
  const toggle = $("nav-toggle-count");
  toggle.textContent = total > 99 ? "99+" : String(total);
  toggle.hidden = total === 0;
  // The tab says there is something to read while the page is elsewhere.
  document.title = total > 0 ? `(${total > 99 ? "99+" : total}) Hibiki chat` : "Hibiki chat";
}
