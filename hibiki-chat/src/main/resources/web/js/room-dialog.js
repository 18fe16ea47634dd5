// A room's own dialog: invite someone by handle (any member of a room), or change its title, topic and archived
// state (its owner, or an admin).

import { $ } from "./dom.js";

export class RoomDialog {
  constructor(state, connection) {
    this.state = state;
    this.connection = connection;
    this.mode = "invite";
    $("invite").addEventListener("click", () => this.open("invite"));
    $("room-settings").addEventListener("click", () => this.open("settings"));
    $("room-cancel").addEventListener("click", () => $("room-dialog").close());
    $("room-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.save();
    });
  }

  open(mode) {
    const room = this.state.currentRoom;
    if (!room) return;
    this.mode = mode;
    this.room = room.name;
    $("room-dialog-title").textContent = (mode === "invite" ? "Invite to " : "Settings of ") + room.label;
    $("room-invite-part").hidden = mode !== "invite";
    $("room-settings-part").hidden = mode !== "settings";
    $("room-save").textContent = mode === "invite" ? "Invite" : "Save";
    $("room-invite-handle").value = "";
    $("room-edit-title").value = room.title || room.name;
    $("room-edit-topic").value = room.topic || "";
    $("room-edit-archived").checked = room.archived;
    $("room-error").textContent = "";
    $("room-dialog").showModal();
    (mode === "invite" ? $("room-invite-handle") : $("room-edit-title")).focus();
  }

  async save() {
    const room = this.state.rooms.get(this.room);
    let res;
    if (this.mode === "invite") {
      res = await this.connection.request("invite", { room: this.room, handle: $("room-invite-handle").value.trim() });
    } else {
      res = await this.connection.request("update-room", { room: this.room, title: $("room-edit-title").value.trim(),
        topic: $("room-edit-topic").value.trim() });
      const archived = $("room-edit-archived").checked;
      if (res.ok && room && archived !== room.archived) {
        res = await this.connection.request("archive-room", { room: this.room, archived });
      }
      if (res.ok) this.state.updateRoomInfo(res);
    }
    if (!res.ok) {
      $("room-error").textContent = res.message || "that did not work";
      return;
    }
    $("room-dialog").close();
  }
}
