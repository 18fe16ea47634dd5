// The socket: identity on the handshake, requests with acks that always settle, connection status, and the
// server's events turned into state changes. What to do about membership and missed messages (catch-up, the
// outbox) is decided by the hooks main.js passes in, so this file only knows the wire.

/** Errors after which the same request may succeed later; anything else is the server's final word. */
export const TRANSIENT = new Set(["timeout", "disconnected", "rate_limited", "server_error", "store_unavailable"]);

export class Connection {
  /**
   * hooks: onSession(session), onSnapshot(snapshot), onResync(reason), onGap(room), onRoomAdded(room),
   * onRoomRemoved(room), onStatus(status), onError(text), onSignedOut(code)
   */
  constructor(state, identity, hooks) {
    this.state = state;
    this.identity = identity;
    this.hooks = hooks;
    // The global from /socket.io/socket.io.min.js (a classic script: the server's copy of the official client).
    this.socket = globalThis.io({
      // A signed-in page is known by its session cookie; only a guest presents the id and token it was given.
      auth: (cb) => cb(identity.account ? {} : { userId: identity.userId, userToken: identity.userToken,
        nickname: identity.nickname }),
      transports: ["websocket", "polling"],
    });
    this.#listen();
  }

  get connected() {
    return this.socket.connected;
  }

  /** Emits with an ack; resolves with the answer, or with {ok: false, error} when none came in time. */
  request(event, payload, timeoutMs = 8000) {
    return new Promise((resolve) => {
      if (!this.socket.connected) {
        resolve({ ok: false, error: "disconnected", message: "not connected" });
        return;
      }
      this.socket.timeout(timeoutMs).emit(event, payload, (err, res) => {
        if (err) resolve({ ok: false, error: "timeout", message: "no answer from the server" });
        else resolve(res && typeof res === "object" ? res : { ok: false, error: "server_error", message: "bad answer" });
      });
    });
  }

  /** Fire-and-forget events (typing, read markers) are not worth queueing while disconnected. */
  notify(event, payload) {
    if (this.socket.connected) this.socket.emit(event, payload);
  }

  /** A new nickname is part of the handshake, so it takes a fresh connection. */
  reconnect() {
    this.socket.disconnect().connect();
  }

  #status() {
    return navigator.onLine ? "reconnecting" : "offline";
  }

  #listen() {
    const { socket, state, hooks } = this;
    socket.on("connect", () => hooks.onStatus("connected"));
    socket.on("disconnect", () => hooks.onStatus(this.#status()));
    socket.on("connect_error", (err) => {
      // Refused at the door for who it is (its session ended, or the server has no guests): trying again as the
      // same identity cannot help, so the page asks the person instead.
      const code = err && err.data && err.data.error;
      if (code === "signed_out" || code === "auth_required") hooks.onSignedOut(code);
      else hooks.onStatus(this.#status());
    });
    socket.io.on("reconnect_attempt", () => hooks.onStatus(this.#status()));
    // With no network, reconnect attempts only fail (each one an error in the console, and battery on a phone);
    // wait for the browser to say the network is back, then connect at once instead of after a backoff.
    window.addEventListener("offline", () => {
      socket.disconnect();
      hooks.onStatus("offline");
    });
    window.addEventListener("online", () => {
      if (!socket.connected) socket.connect();
    });

    socket.on("disconnect", (reason) => {
      // The server closed this connection on purpose: with an account, that is a sign-out elsewhere.
      if (reason === "io server disconnect" && this.identity.account) hooks.onSignedOut("signed_out");
    });
    socket.on("member-joined", (j) => {
      if (j && typeof j.room === "string" && j.userId !== state.userId) {
        state.addNotice(j.room, (j.nickname || "someone") + " joined");
      }
    });
    socket.on("user-left", (l) => {
      if (l && typeof l.room === "string" && l.userId !== state.userId) {
        state.addNotice(l.room, (l.nickname || "someone") + " left");
      }
    });
    socket.on("session-token", (t) => {
      if (t && typeof t.userToken === "string") this.identity.userToken = t.userToken;
    });
    socket.on("user-updated", (u) => {
      if (u && typeof u.userId === "string" && typeof u.nickname === "string") state.renameUser(u.userId, u.nickname);
    });
    socket.on("session", (s) => {
      if (!s || typeof s.userId !== "string") return;
      Object.assign(this.identity, { userId: s.userId, userToken: s.userToken, nickname: s.nickname ?? "" });
      state.userId = s.userId;
      state.nickname = s.nickname ?? state.nickname;
      hooks.onSession(this.identity);
    });
    // Sent after each connect, and again while connected ("reason": "resync") when the server has re-applied
    // this connection's rooms after a cluster outage; both mean the same to the client.
    socket.on("snapshot", (snapshot) => {
      if (snapshot && typeof snapshot === "object") hooks.onSnapshot(snapshot);
    });
    // The first servers of this protocol announced a cluster outage with this event instead of a new snapshot.
    socket.on("resync", (r) => hooks.onResync(r && r.reason));
    socket.on("room-added", (info) => {
      if (!info || typeof info.room !== "string") return;
      state.upsertRoom(info);
      hooks.onRoomAdded(info.room);
    });
    socket.on("room-updated", (r) => {
      if (!r || typeof r.room !== "string") return;
      if (typeof r.muted === "boolean") state.setMuted(r.room, r.muted);
      else state.updateRoomInfo(r);
    });
    socket.on("room-removed", (r) => {
      if (r && typeof r.room === "string") hooks.onRoomRemoved(r.room);
    });
    socket.on("receive-message", (m) => {
      if (!m || typeof m.id !== "number") return;
      const room = m.room || state.defaultRoom;
      const { gap } = state.merge(room, [m], { countUnread: true });
      if (gap) hooks.onGap(room);
    });
    socket.on("message-updated", (m) => {
      if (m && typeof m.id === "number") state.updateMessage(m);
    });
    socket.on("reactions-updated", (r) => {
      if (r && typeof r.id === "number" && typeof r.room === "string" && Array.isArray(r.reactions)) {
        state.updateMessage({ id: r.id, room: r.room, reactions: r.reactions });
      }
    });
    socket.on("message-deleted", (d) => {
      if (d && typeof d.id === "number") state.deleteMessage(d);
    });
    socket.on("presence-delta", (d) => state.applyPresenceDelta(d));
    socket.on("typing", (t) => {
      if (t && t.userId) state.setTyping(t);
    });
    socket.on("chat-error", (e) => hooks.onError(e && e.message ? e.message : "the server refused a request"));
  }
}
