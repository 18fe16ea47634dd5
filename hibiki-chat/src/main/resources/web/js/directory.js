// Finding rooms and people: the public room directory (title, topic, member count; private rooms are never
// listed), accounts to message directly whether or not they are online, and making a new room.

import { $, el } from "./dom.js";

export class DirectoryDialog {
  /** actions: join(room), directByHandle(handle), created(answer) */
  constructor(connection, actions) {
    this.connection = connection;
    this.actions = actions;
    this.timer = null;
    this.asked = 0;
    $("browse").addEventListener("click", () => this.open());
    $("directory-close").addEventListener("click", () => $("directory-dialog").close());
    $("directory-query").addEventListener("input", () => {
      clearTimeout(this.timer);
      // One search per pause in typing, not one per key: the connection's event budget is shared.
      this.timer = setTimeout(() => this.search(), 300);
    });
    $("create-room-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.create();
    });
  }

  open() {
    $("directory-error").textContent = "";
    if (!$("directory-dialog").open) $("directory-dialog").showModal();
    $("directory-query").focus();
    this.search();
  }

  async search() {
    const query = $("directory-query").value.trim();
    const ask = ++this.asked;
    const [rooms, people] = await Promise.all([
      this.connection.request("room-directory", { query }),
      this.connection.request("user-directory", { query }),
    ]);
    if (ask !== this.asked) return; // a newer search is on its way
    if (!rooms.ok) {
      $("directory-error").textContent = rooms.message || "the directory is unavailable";
      return;
    }
    const roomItems = (rooms.rooms || []).map((r) => el("li", {},
      el("div", { class: "entry" },
        el("span", { class: "name", text: "# " + (r.title || r.room) }),
        el("span", { class: "members", text: r.members + (r.members === 1 ? " member" : " members") }),
        r.topic ? el("span", { class: "topic", text: r.topic }) : null),
      el("button", { type: "button", text: "Join", ariaLabel: "Join " + (r.title || r.room), onclick: async () => {
        $("directory-dialog").close();
        await this.actions.join(r.room);
      } })));
    $("directory-rooms").replaceChildren(...(roomItems.length ? roomItems
      : [el("li", { class: "empty", text: "No public room matches. Make one below." })]));
    const users = people.ok ? people.users || [] : [];
    $("directory-people").replaceChildren(...(users.length ? users.map((u) => el("li", {},
      el("div", { class: "entry" },
        el("span", { class: "name", text: u.displayName }),
        el("span", { class: "members", text: "@" + u.handle })),
      el("button", { type: "button", text: "Message", ariaLabel: "Message " + u.displayName, onclick: async () => {
        $("directory-dialog").close();
        await this.actions.directByHandle(u.handle);
      } }))) : [el("li", { class: "empty", text: "Nobody with an account matches." })]));
  }

  async create() {
    const res = await this.connection.request("create-room", {
      room: $("create-room-name").value.trim(),
      topic: $("create-room-topic").value.trim(),
      visibility: $("create-room-private").checked ? "private" : "public",
    });
    if (!res.ok) {
      $("directory-error").textContent = res.message || "the room could not be made";
      return;
    }
    $("create-room-name").value = "";
    $("create-room-topic").value = "";
    $("create-room-private").checked = false;
    $("directory-dialog").close();
    await this.actions.created(res);
  }
}
