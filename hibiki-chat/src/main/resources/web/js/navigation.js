// Moving between rooms and changing membership: open a room (its newest page the first time), load older
// messages, join, leave, start a direct conversation, and tell the server what has been read.

import * as storage from "./storage.js";

export const PAGE = 50;
const MARK_READ_EVERY_MS = 1000; // a busy room must not spend the connection's event budget on read markers

export class Navigation {
  constructor(state, connection, { onError }) {
    this.state = state;
    this.connection = connection;
    this.onError = onError;
    this.markTimer = null;
    this.lastMarked = new Map();
    this.toMark = new Set();
    /** Bumped on each open, so the answer for a room the user has already left the screen of is not shown. */
    this.openSeq = 0;
  }

  async open(name) {
    const seq = ++this.openSeq;
    this.state.setCurrent(name);
    storage.saveCurrentRoom(name);
    const room = this.state.rooms.get(name);
    if (room && !room.loaded) await this.loadLatest(name);
    if (seq !== this.openSeq) return;
    this.markRead();
    const p = await this.connection.request("presence", name);
    if (seq === this.openSeq && p.ok) this.state.setOnline(name, p.users);
  }

  /** The newest page of a room, replacing whatever is known of it. */
  async loadLatest(name) {
    const res = await this.connection.request("history", { room: name, limit: PAGE });
    if (!res.ok) {
      if (res.error !== "disconnected") this.onError(res.message || "could not load the room");
      return false;
    }
    this.state.replaceWithPage(name, Array.isArray(res.messages) ? res.messages : [], !!res.hasMore);
    return true;
  }

  async loadOlder() {
    const name = this.state.current;
    const room = this.state.rooms.get(name);
    if (!room || room.oldestId === null) return;
    const res = await this.connection.request("history", { room: name, before: room.oldestId, limit: PAGE });
    if (res.ok) this.state.prepend(name, Array.isArray(res.messages) ? res.messages : [], !!res.hasMore);
    else this.onError(res.message || "could not load older messages");
  }

  async join(name) {
    const res = await this.connection.request("join-room", name);
    if (!res.ok) {
      this.onError(res.message || "could not join " + name);
      return false;
    }
    this.#adopt({ room: res.room, kind: "room", lastId: res.lastId, lastSeq: res.lastSeq }, res.messages);
    await this.open(res.room);
    return true;
  }

  /** nickname: as shown in the online list, in case the answer does not name the peer. */
  async direct(userId, nickname) {
    const res = await this.connection.request("direct", { userId });
    if (!res.ok) {
      this.onError(res.message || "could not open the conversation");
      return;
    }
    this.#adopt({ room: res.room, kind: "direct", peer: res.peer || { userId, nickname } }, res.messages);
    await this.open(res.room);
  }

  /**
   * Opens a room at one of its messages: older pages load until it is there (at most 20 pages back), then it is
   * scrolled to and marked for a moment.
   */
  async jumpTo(name, id) {
    if (!this.state.rooms.has(name)) {
      this.onError("that message is in a room you are no longer in");
      return;
    }
    if (name !== this.state.current) await this.open(name);
    for (let page = 0; page < 20; page++) {
      const room = this.state.rooms.get(name);
      if (!room || room.messages.has(id) || !room.hasMore || name !== this.state.current) break;
      await this.loadOlder();
    }
    // The list is drawn once per frame: wait (a few frames at most) for the loaded pages to be on screen.
    let li = null;
    for (let frame = 0; frame < 30 && !li; frame++) {
      li = document.querySelector(`#messages li[data-id="${Number(id)}"]`);
      if (!li) await new Promise((r) => setTimeout(r, 20));
    }
    if (!li) {
      this.onError("that message is too far back to show here");
      return;
    }
    li.scrollIntoView({ block: "center" });
    li.classList.add("found");
    setTimeout(() => li.classList.remove("found"), 4000);
  }

  /** A conversation with the account of this handle (from the directory: online or not). */
  async directByHandle(handle) {
    const res = await this.connection.request("direct", { handle });
    if (!res.ok) {
      this.onError(res.message || "could not open the conversation");
      return;
    }
    this.#adopt({ room: res.room, kind: "direct", peer: res.peer }, res.messages);
    await this.open(res.room);
  }

  /** A room this user just made: it is theirs and empty. */
  async created(info) {
    this.#adopt(info, []);
    await this.open(info.room);
  }

  /** Deletes a stored message (own, or any for an admin); every client hears message-deleted. */
  async deleteMessage(id) {
    const res = await this.connection.request("delete-message", { id });
    if (!res.ok) this.onError(res.message || "could not delete the message");
  }

  /** Mutes or unmutes the room on screen; other tabs hear of it with room-updated. */
  async toggleMute() {
    const room = this.state.currentRoom;
    if (!room) return;
    const res = await this.connection.request("mute-room", { room: room.name, muted: !room.muted });
    if (!res.ok) {
      this.onError(res.message || "could not change the room's mute");
      return;
    }
    this.state.setMuted(res.room, res.muted);
  }

  /** Leaves the room on screen; the server confirms to every tab with room-removed. */
  async leave() {
    const name = this.state.current;
    const res = await this.connection.request("leave-room", name);
    if (!res.ok && res.error !== "not_in_room") {
      this.onError(res.message || "could not leave the room");
      return;
    }
    this.removed(name);
  }

  /** The room is gone from this user's membership (left here, in another tab, or refused as not_in_room). */
  removed(name) {
    const wasCurrent = name === this.state.current;
    if (!this.state.removeRoom(name) || !wasCurrent) return;
    this.open(this.state.chooseCurrent(this.state.defaultRoom));
  }

  /** Join and direct answer with the room's newest page: that makes it loaded without another request. */
  #adopt(info, messages) {
    this.state.upsertRoom(info);
    this.state.replaceWithPage(info.room, Array.isArray(messages) ? messages : [], (messages || []).length >= PAGE);
  }

  /**
   * Marks the room on screen read up to its newest message, within a second. The room is noted now: the user may
   * have moved on by the time the marker goes, and what they saw is still read.
   */
  markRead() {
    const name = this.state.current;
    if (!name || document.visibilityState === "hidden") return;
    this.toMark.add(name);
    if (this.markTimer) return;
    this.markTimer = setTimeout(() => {
      this.markTimer = null;
      if (!this.connection.connected) return; // the next connect opens the room and marks it again
      for (const room of this.toMark) {
        const newest = this.state.rooms.get(room)?.newestId || 0;
        if (newest > (this.lastMarked.get(room) || 0)) {
          this.lastMarked.set(room, newest);
          this.connection.notify("mark-read", { room, lastId: newest });
        }
      }
      this.toMark.clear();
    }, MARK_READ_EVERY_MS);
  }
}
