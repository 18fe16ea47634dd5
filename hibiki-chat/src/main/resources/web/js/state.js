// The rooms and messages this page knows, and nothing about sockets or the DOM. Changes are announced as events
// ("rooms": the list or a badge changed; "messages": a room's messages changed, detail = room name; "people":
// presence or typing) so that renderers and the network code stay independent of each other.

export const DEFAULT_LIMITS = Object.freeze({
  maxMessageChars: 2000,
  eventsPerSecond: 10,
  eventBurst: 30,
  eventQueue: 100,
  uploadMaxBytes: 10 * 1024 * 1024,
});

const isDirectName = (name) => name.startsWith("dm:");
const isGroupName = (name) => name.startsWith("group:");

/** Whether a text mentions @handle (any case; not as part of a longer handle or an e-mail address). */
export function mentions(text, handle) {
  if (!handle || typeof text !== "string") return false;
  const escaped = handle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}_.@-])@${escaped}(?![\\p{L}\\p{N}_-])`, "iu").test(text);
}

/** The most characters of a parent's text a reply quotes (the server's MessageView.QUOTE_CHARS). */
const QUOTE_CHARS = 160;

/** A reply's quote of its parent, as the server makes it. */
export function quoteOf(parent) {
  const quote = { id: parent.id, author: parent.author, userId: parent.userId };
  if (parent.deleted) return { ...quote, deleted: true, text: "" };
  const chars = [...(parent.text || "")];
  quote.text = chars.length <= QUOTE_CHARS ? chars.join("") : chars.slice(0, QUOTE_CHARS).join("") + "…";
  if (parent.attachment) quote.attachment = parent.attachment.name;
  return quote;
}

/** The replies this page holds follow their parent's edit or deletion, as the server's next answer would. */
function requote(room, parent) {
  for (const [id, m] of room.messages) {
    if (m.replyTo && m.replyTo.id === parent.id) room.messages.set(id, { ...m, replyTo: quoteOf(parent) });
  }
}

export class Room {
  constructor(name, kind) {
    this.name = name;
    this.kind = kind || (isDirectName(name) ? "direct" : isGroupName(name) ? "group" : "room");
    this.peer = null;
    /** What its owner calls it and says it is about; public rooms are listed, private ones invite-only. */
    this.title = "";
    this.topic = "";
    this.visibility = this.kind === "room" ? "public" : "private";
    this.ownerId = null;
    this.archived = false;
    this.unread = 0;
    /** Of the unread, those that mention this user (counted as they arrive). */
    this.mentions = 0;
    /** Muted by this user: it stays and counts, but calls no attention (no badge colour, not in the total). */
    this.muted = false;
    /**
     * The server's unread figure counts messages up to this id: one of them arriving live afterwards (stored before
     * the figure was taken, broadcast after) must not count again.
     */
    this.countedId = 0;
    /** id -> message; a Map so that a message seen live and again in catch-up is kept once. */
    this.messages = new Map();
    /** True once the newest page is here, so the list on screen has no hole up to the present. */
    this.loaded = false;
    this.hasMore = false;
    // seq is the highest sequence number up to which nothing is missing, cursor the id of that message: catch-up
    // asks "after cursor". ahead holds seq -> id for messages beyond a hole, until the hole is filled.
    this.seq = 0;
    this.cursor = 0;
    this.ahead = new Map();
    /** Who joined or left while this page watched: quiet lines among the messages, not stored. */
    this.notices = [];
  }

  get label() {
    if (this.kind === "direct") return "@ " + (this.peer?.nickname || "direct");
    return this.title || this.name;
  }

  get hasGap() {
    return this.ahead.size > 0;
  }

  get oldestId() {
    let min = null;
    for (const id of this.messages.keys()) if (min === null || id < min) min = id;
    return min;
  }

  get newestId() {
    let max = 0;
    for (const id of this.messages.keys()) if (id > max) max = id;
    return max;
  }

  sorted() {
    return [...this.messages.values()].sort((a, b) => a.id - b.id);
  }

  /** The server says the room is complete up to (seq, id). */
  setCursor(seq, id) {
    if (typeof seq !== "number" || seq < this.seq) return;
    this.seq = seq;
    this.cursor = Math.max(this.cursor, id || 0);
    this.#advance();
  }

  /** Records a message's position; answers whether a hole now lies before it. */
  noteSeq(seq, id) {
    if (seq > this.seq) {
      this.ahead.set(seq, id);
      this.#advance();
    }
    return this.hasGap;
  }

  #advance() {
    for (const s of this.ahead.keys()) if (s <= this.seq) this.ahead.delete(s);
    while (this.ahead.has(this.seq + 1)) {
      this.seq++;
      this.cursor = Math.max(this.cursor, this.ahead.get(this.seq));
      this.ahead.delete(this.seq);
    }
  }
}

export class ChatState extends EventTarget {
  constructor(identity) {
    super();
    this.userId = identity.userId;
    this.nickname = identity.nickname;
    this.storeId = "";
    this.defaultRoom = "general";
    this.current = "";
    this.limits = { ...DEFAULT_LIMITS };
    this.connected = false;
    /** name -> Room, for the rooms the server says this user is in. */
    this.rooms = new Map();
    this.online = { room: "", users: [] };
    /** userId -> {room, nickname, until} */
    this.typers = new Map();
  }

  changed(what, detail) {
    this.dispatchEvent(new CustomEvent(what, { detail }));
  }

  get currentRoom() {
    return this.rooms.get(this.current);
  }

  /**
   * Adds a room or completes what is known of it (snapshot entry, room-added, a join or direct answer). The
   * server's cursor and unread count only replace ours for a room whose messages are not loaded: for a loaded
   * room ours are at least as new, and catch-up brings the rest.
   */
  upsertRoom(info) {
    const name = info.room;
    let room = this.rooms.get(name);
    const added = !room;
    if (added) {
      room = new Room(name, info.kind);
      this.rooms.set(name, room);
    }
    if (info.kind) room.kind = info.kind;
    if (info.peer && info.peer.nickname) room.peer = { userId: info.peer.userId, nickname: info.peer.nickname };
    if (typeof info.muted === "boolean") room.muted = info.muted;
    this.#describe(room, info);
    if (!room.loaded) {
      if (typeof info.lastSeq === "number") room.setCursor(info.lastSeq, info.lastId);
      // Live messages may already have raised the badge: never lower it here (the snapshot sets it outright).
      if (typeof info.unread === "number") room.unread = name === this.current ? 0 : Math.max(room.unread, info.unread);
    }
    if (typeof info.unread === "number" && typeof info.lastId === "number") {
      room.countedId = Math.max(room.countedId, info.lastId);
    }
    this.changed("rooms");
    return room;
  }

  /** This user muted or unmuted a room (here or in another tab). */
  setMuted(name, muted) {
    const room = this.rooms.get(name);
    if (!room || room.muted === muted) return;
    room.muted = muted;
    this.changed("rooms");
    this.changed("messages", name);
  }

  removeRoom(name) {
    if (!this.rooms.delete(name)) return false;
    this.changed("rooms");
    return true;
  }

  /**
   * The connection's membership, taken whole. storeReplaced drops every cached message and cursor: they name
   * ids of a database that is gone.
   */
  applySnapshot(snapshot, storeReplaced) {
    if (storeReplaced) this.rooms.clear();
    this.storeId = snapshot.storeId || this.storeId;
    this.userId = snapshot.userId || this.userId;
    this.defaultRoom = snapshot.defaultRoom || this.defaultRoom;
    this.limits = { ...DEFAULT_LIMITS, ...(snapshot.limits || {}) };
    const entries = Array.isArray(snapshot.rooms) ? snapshot.rooms.filter((r) => r && typeof r.room === "string") : [];
    const names = new Set(entries.map((r) => r.room));
    for (const name of [...this.rooms.keys()]) if (!names.has(name)) this.rooms.delete(name);
    for (const info of entries) {
      const room = this.upsertRoom(info);
      // The server counted unread messages at the moment it put this connection in its rooms; catch-up does not
      // count again what this number already includes.
      if (typeof info.unread === "number") room.unread = info.room === this.current ? 0 : info.unread;
    }
    this.changed("rooms");
  }

  /** Picks the room to show: the wanted one if this user is in it, else the default room, else any. */
  chooseCurrent(wanted) {
    const pick = [wanted, this.current, this.defaultRoom].find((n) => n && this.rooms.has(n));
    return pick || this.rooms.keys().next().value || this.defaultRoom;
  }

  setCurrent(name) {
    this.current = name;
    const room = this.rooms.get(name);
    if (room) {
      // Where "new messages" begins: the unread count the room had when it was opened.
      room.unreadAtOpen = room.unread;
      room.unread = 0;
      room.mentions = 0;
    }
    this.changed("rooms");
    this.changed("messages", name);
  }

  /**
   * Merges messages by id, so each is kept once however it arrived (live, ack, catch-up, history).
   * countUnread: new messages of others in a room not on screen raise its badge (not for a catch-up run right
   * after a snapshot, whose unread counts already include them). Answers {added, gap}.
   */
  merge(name, messages, { countUnread = false } = {}) {
    const room = this.rooms.get(name) || this.upsertRoom({ room: name });
    let added = 0;
    let changed = false;
    let unread = false;
    for (const m of messages) {
      if (!m || typeof m.id !== "number") continue;
      const old = room.messages.get(m.id);
      if (!old || old.local || (m.edited && !old.edited) || (m.deleted && !old.deleted)) {
        room.messages.set(m.id, m);
        changed = true;
      }
      if (!old) {
        added++;
        if (countUnread && name !== this.current && m.userId !== this.userId && m.id > room.countedId) {
          room.unread++;
          unread = true;
        }
        if (countUnread && m.userId !== this.userId && !m.deleted) {
          const mention = mentions(m.text, this.handle);
          if (mention && name !== this.current) room.mentions++;
          this.dispatchEvent(new CustomEvent("incoming", { detail: { room, message: m, mention } }));
        }
      }
      if (typeof m.seq === "number") room.noteSeq(m.seq, m.id);
    }
    if (changed) this.changed("messages", name);
    if (unread) this.changed("rooms");
    return { added, gap: room.hasGap };
  }

  /**
   * Replaces a room's messages by its newest page (first open, or a hole too large for catch-up). Messages newer
   * than the page stay: they arrived live while the page was on its way.
   */
  replaceWithPage(name, messages, hasMore) {
    const room = this.rooms.get(name);
    if (!room) return;
    const page = messages.filter((m) => m && typeof m.id === "number");
    if (page.length) {
      const newest = page.reduce((a, b) => (b.id > a.id ? b : a));
      for (const id of [...room.messages.keys()]) if (id <= newest.id) room.messages.delete(id);
      if (typeof newest.seq === "number") room.setCursor(newest.seq, newest.id);
    }
    room.loaded = true;
    room.hasMore = hasMore;
    this.merge(name, page);
    this.changed("messages", name);
  }

  /** Older messages, above what is on screen. */
  prepend(name, messages, hasMore) {
    const room = this.rooms.get(name);
    if (!room) return;
    room.hasMore = hasMore;
    this.merge(name, messages);
    this.changed("messages", name);
  }

  updateMessage(m) {
    const room = this.rooms.get(m.room);
    if (!room || !room.messages.has(m.id)) return;
    const updated = { ...room.messages.get(m.id), ...m };
    room.messages.set(m.id, updated);
    if (typeof m.text === "string") requote(room, updated);
    this.changed("messages", m.room);
  }

  deleteMessage({ room: name, id }) {
    const room = this.rooms.get(name);
    const m = room && room.messages.get(id);
    if (!m) return;
    const deleted = { ...m, deleted: true, text: "" };
    room.messages.set(id, deleted);
    requote(room, deleted);
    this.changed("messages", name);
  }

  /**
   * A change to who is online in a room ({joined} or {left} users): applied to the list shown, if it is that room's.
   * The server sends only changes; the full list comes once, when a room is opened.
   */
  applyPresenceDelta(delta) {
    if (!delta || delta.room !== this.online.room) return;
    let users = this.online.users;
    const ids = (list) => new Set((Array.isArray(list) ? list : []).map((u) => u.userId));
    const left = ids(delta.left);
    if (left.size) users = users.filter((u) => !left.has(u.userId));
    for (const u of Array.isArray(delta.joined) ? delta.joined : []) {
      if (u && typeof u.userId === "string" && !users.some((x) => x.userId === u.userId)) users = [...users, u];
    }
    this.online = { room: delta.room, users };
    this.changed("people");
  }

  /** Someone joined or left a room: a quiet line in it (the last 50 kept). */
  addNotice(name, text) {
    const room = this.rooms.get(name);
    if (!room) return;
    room.notices = [...room.notices.slice(-49), { key: "n" + Date.now() + Math.random(), text, timestamp: Date.now() }];
    this.changed("messages", name);
  }

  /** A room's title, topic, visibility, owner or archived state changed (room-updated). */
  updateRoomInfo(info) {
    const room = this.rooms.get(info.room);
    if (!room) return;
    this.#describe(room, info);
    this.changed("rooms");
    this.changed("messages", room.name);
  }

  #describe(room, info) {
    if (typeof info.title === "string") room.title = info.title;
    if (typeof info.topic === "string") room.topic = info.topic;
    if (typeof info.visibility === "string") room.visibility = info.visibility;
    if (typeof info.ownerId === "string") room.ownerId = info.ownerId;
    if (typeof info.archived === "boolean") room.archived = info.archived;
  }

  /** An account's new display name: on its loaded messages, in the online list and on direct rooms with it. */
  renameUser(userId, nickname) {
    for (const room of this.rooms.values()) {
      let touched = false;
      for (const [id, m] of room.messages) {
        if (m.userId === userId && m.author !== nickname) {
          room.messages.set(id, { ...m, author: nickname });
          touched = true;
        }
      }
      if (room.peer && room.peer.userId === userId) {
        room.peer = { ...room.peer, nickname };
        this.changed("rooms");
      }
      if (touched) this.changed("messages", room.name);
    }
    if (this.online.users.some((u) => u.userId === userId)) {
      this.online = { ...this.online, users: this.online.users.map((u) => (u.userId === userId ? { ...u, nickname } : u)) };
      this.changed("people");
    }
    if (userId === this.userId) this.nickname = nickname;
  }

  setOnline(room, users) {
    this.online = { room, users: Array.isArray(users) ? users : [] };
    this.changed("people");
  }

  setTyping(t) {
    if (t.typing) this.typers.set(t.userId, { room: t.room, nickname: t.nickname, until: Date.now() + 3000 });
    else this.typers.delete(t.userId);
    this.changed("people");
  }
}
