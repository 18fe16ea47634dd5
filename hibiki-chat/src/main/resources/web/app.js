// Hibiki chat client. All user text is rendered with textContent, never as HTML.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const DEFAULT_ROOM = "general";
  const PAGE = 50; // messages per history page
  const SYNC_PAGE = 200; // the most one "sync" answers

  // The server issues the user id and a token proving it (event "session"); until then this tab is a guest.
  let userId = localStorage.getItem("hibiki.userId") || "";
  let userToken = localStorage.getItem("hibiki.userToken") || "";
  let nickname = localStorage.getItem("hibiki.nickname") || "";
  $("nickname").value = nickname;

  /** room -> { messages: Map(id -> message), oldest, newest, hasMore, unread } */
  const rooms = new Map();
  const joined = new Set(JSON.parse(localStorage.getItem("hibiki.rooms") || "[]"));
  joined.add(DEFAULT_ROOM);
  let current = DEFAULT_ROOM;
  /** Messages not yet acknowledged, kept across reloads; retried with the same clientId until acked. */
  const outbox = JSON.parse(localStorage.getItem("hibiki.outbox") || "[]");
  const typers = new Map();
  /** Direct-conversation room -> the other person's nickname, for the room list. */
  const directNames = new Map(Object.entries(JSON.parse(localStorage.getItem("hibiki.directNames") || "{}")));
  let lastTyping = 0;

  const socket = io({ auth: (cb) => cb({ userId, userToken, nickname }), transports: ["websocket", "polling"] });
  socket.on("session", (s) => {
    userId = s.userId;
    userToken = s.userToken;
    localStorage.setItem("hibiki.userId", userId);
    localStorage.setItem("hibiki.userToken", userToken);
  });

  function randomId(n) {
    const a = new Uint8Array(n);
    crypto.getRandomValues(a);
    return Array.from(a, (b) => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"[b % 64]).join("");
  }
  function save() {
    localStorage.setItem("hibiki.outbox", JSON.stringify(outbox));
    localStorage.setItem("hibiki.rooms", JSON.stringify([...joined]));
    localStorage.setItem("hibiki.directNames", JSON.stringify(Object.fromEntries(directNames)));
  }
  const isDirect = (name) => name.startsWith("dm:");
  /** The other user of a direct room "dm:<a>:<b>". */
  const otherUser = (name) => name.split(":").slice(1).find((id) => id !== userId) || userId;
  function roomLabel(name) {
    return isDirect(name) ? "@ " + (directNames.get(name) || "direct") : name;
  }
  function room(name) {
    if (!rooms.has(name)) rooms.set(name, { messages: new Map(), oldest: null, newest: 0, hasMore: true, unread: 0 });
    return rooms.get(name);
  }
  function setStatus(s) {
    $("status").textContent = s;
    $("status").className = "status " + s;
  }
  function showError(text) {
    $("error").textContent = text || "";
  }
  function request(event, payload) {
    return new Promise((resolve) => {
      socket.timeout(8000).emit(event, payload, (err, res) => resolve(err ? { ok: false, error: "timeout" } : res));
    });
  }

  // ---- rendering ----
  function merge(name, list) {
    const r = room(name);
    for (const m of list) {
      r.messages.set(m.id, m);
      r.newest = Math.max(r.newest, m.id);
      r.oldest = r.oldest === null ? m.id : Math.min(r.oldest, m.id);
    }
  }
  function renderRooms(list) {
    const ul = $("rooms");
    ul.replaceChildren();
    const names = new Set([...joined, ...(list || []).map((r) => r.room)]);
    for (const name of [...names].sort()) {
      const li = document.createElement("li");
      li.dataset.room = name;
      if (name === current) li.className = "active";
      const label = document.createElement("span");
      label.textContent = (joined.has(name) ? "" : "+ ") + roomLabel(name);
      li.append(label);
      const info = (list || []).find((r) => r.room === name);
      const unread = rooms.get(name)?.unread || 0;
      const tag = document.createElement("span");
      if (unread > 0) { tag.className = "badge"; tag.textContent = unread; }
      else if (info) {
        tag.className = "count";
        tag.textContent = info.members;
        tag.title = "connections in the room";
      }
      li.append(tag);
      li.addEventListener("click", () => switchRoom(name));
      ul.append(li);
    }
  }
  let lastRoomList = [];
  async function refreshRooms() {
    const res = await request("list-rooms", {});
    if (res && res.ok) lastRoomList = res.rooms;
    renderRooms(lastRoomList);
  }
  function renderMessages() {
    const r = room(current);
    $("room-title").textContent = isDirect(current) ? roomLabel(current) : "# " + current;
    $("leave").hidden = current === DEFAULT_ROOM || isDirect(current);
    $("older").hidden = !r.hasMore;
    const ol = $("messages");
    ol.replaceChildren();
    const list = [...r.messages.values()].sort((a, b) => a.id - b.id);
    for (const m of list) ol.append(messageItem(m, false));
    for (const p of outbox.filter((o) => o.room === current)) ol.append(messageItem(p, true));
    keepAtBottom();
  }
  /** The list follows new messages (and images that finish loading) unless the user scrolled up to read. */
  let stickToBottom = true;
  function keepAtBottom() {
    const ol = $("messages");
    if (stickToBottom) ol.scrollTop = ol.scrollHeight;
  }
  $("messages").addEventListener("scroll", () => {
    const ol = $("messages");
    stickToBottom = ol.scrollHeight - ol.scrollTop - ol.clientHeight < 40;
  });
  function messageItem(m, pending) {
    const li = document.createElement("li");
    li.dataset.id = pending ? "" : m.id;
    if (pending) li.className = "pending";
    const time = document.createElement("time");
    time.textContent = new Date(m.timestamp || Date.now()).toLocaleTimeString();
    const author = document.createElement("span");
    author.className = "author";
    author.textContent = pending ? nickname || "me" : m.author;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = m.deleted ? "(deleted)" : (m.text || m.message || "") + (m.edited ? " (edited)" : "");
    li.append(time, author, text);
    if (m.attachment && !m.deleted) {
      if (m.attachment.type && m.attachment.type.startsWith("image/")) {
        const img = document.createElement("img");
        img.src = m.attachment.url;
        img.alt = m.attachment.name || "image";
        img.addEventListener("load", keepAtBottom);
        li.append(img);
      } else {
        const a = document.createElement("a");
        a.className = "file";
        a.href = m.attachment.url;
        a.textContent = "File: " + (m.attachment.name || "file");
        a.rel = "noopener";
        a.download = m.attachment.name || "";
        li.append(a);
      }
    }
    return li;
  }
  function renderOnline(users) {
    const ul = $("online");
    ul.replaceChildren();
    for (const u of [...users].sort((x, y) => x.nickname.localeCompare(y.nickname))) {
      const li = document.createElement("li");
      li.textContent = u.nickname + (u.userId === userId ? " (you)" : "");
      if (u.userId !== userId) {
        li.title = "Message " + u.nickname + " directly";
        li.addEventListener("click", () => openDirect(u.userId, u.nickname));
      }
      ul.append(li);
    }
  }
  function renderTyping() {
    const now = Date.now();
    const names = [...typers.entries()].filter(([, t]) => t.room === current && t.until > now).map(([, t]) => t.nickname);
    $("typing").textContent = names.length ? names.join(", ") + (names.length > 1 ? " are" : " is") + " typing…" : "";
  }
  setInterval(renderTyping, 1000);

  // ---- rooms ----
  /** Joins a room; a direct room is (re)joined through "direct", since only its two users may be in it. */
  async function joinRoom(name) {
    const res = isDirect(name)
      ? await request("direct", { userId: otherUser(name) })
      : await request("join-room", name);
    if (!res || !res.ok) { showError(res ? res.message : "could not join"); return false; }
    joined.add(res.room);
    save();
    merge(res.room, res.messages);
    room(res.room).hasMore = res.messages.length >= PAGE;
    return true;
  }
  /** Leaves the current room (not the default one) and goes back to the default room. */
  $("leave").addEventListener("click", async () => {
    const name = current;
    const res = await request("leave-room", name);
    if (!res || !res.ok) { showError(res ? res.message : "could not leave the room"); return; }
    joined.delete(name);
    rooms.delete(name);
    save();
    await switchRoom(DEFAULT_ROOM);
    await refreshRooms();
  });
  async function openDirect(otherId, otherNickname) {
    const res = await request("direct", { userId: otherId });
    if (!res || !res.ok) { showError(res ? res.message : "could not open the conversation"); return; }
    directNames.set(res.room, otherNickname);
    joined.add(res.room);
    save();
    merge(res.room, res.messages);
    room(res.room).hasMore = res.messages.length >= PAGE;
    switchRoom(res.room);
  }
  async function switchRoom(name) {
    if (!joined.has(name) && !(await joinRoom(name))) return;
    current = name;
    room(name).unread = 0;
    renderMessages();
    renderRooms(lastRoomList);
    const p = await request("presence", name);
    if (p && p.ok) renderOnline(p.users);
    markRead();
  }
  // Read markers go at most once a second (a busy room must not spend the connection's event budget).
  let markTimer = null;
  const lastMarked = new Map();
  function markRead() {
    if (markTimer) return;
    markTimer = setTimeout(() => {
      markTimer = null;
      const r = room(current);
      if (r.newest > (lastMarked.get(current) || 0) && socket.connected) {
        lastMarked.set(current, r.newest);
        socket.emit("mark-read", { room: current, lastId: r.newest });
      }
    }, 1000);
  }
  /** Replaces what is known of a room by its newest page of messages. */
  async function loadLatest(name) {
    const res = await request("history", { room: name, limit: PAGE });
    if (!res || !res.ok) return;
    const r = room(name);
    r.messages.clear();
    r.oldest = null;
    r.newest = 0;
    merge(name, res.messages);
    r.hasMore = res.hasMore;
  }
  /**
   * After (re)connecting: rejoin the rooms and fetch what was missed. A room seen before gets the messages after
   * the newest one known, when they fit in one sync page; otherwise (and for a room never loaded, such as the
   * default room on first load) it starts again from its newest page, so the screen shows the latest messages.
   */
  async function catchUp() {
    for (const name of joined) {
      const known = room(name).newest;
      // Joining answers with the room's newest page (the default room is joined by connecting).
      if (name !== DEFAULT_ROOM && !(await joinRoom(name))) continue;
      if (known === 0) {
        if (name === DEFAULT_ROOM) await loadLatest(name);
        continue;
      }
      const res = await request("sync", { room: name, after: known });
      if (res && res.ok && res.messages.length < SYNC_PAGE) merge(name, res.messages);
      else await loadLatest(name);
    }
    const unread = await request("unread-counts", {});
    if (unread && unread.ok) for (const [name, n] of Object.entries(unread.counts)) if (name !== current) room(name).unread = n;
    renderMessages();
    refreshRooms();
  }

  // ---- sending, with an outbox ----
  function removeFromOutbox(item) {
    const i = outbox.indexOf(item);
    if (i >= 0) outbox.splice(i, 1);
    save();
  }
  // One flush at a time: two concurrent ones would send the same item twice (harmless: the server answers the
  // retry as a duplicate) and, worse, each would then remove "its" item, the second one a different message.
  let flushing = null;
  function flushOutbox() {
    if (!flushing) flushing = doFlush().finally(() => { flushing = null; });
    return flushing;
  }
  async function doFlush() {
    for (const item of [...outbox]) {
      if (!socket.connected) break;
      const res = await request("send-message-to-room", item);
      if (res && res.ok) {
        removeFromOutbox(item);
      } else if (res && res.error && res.error !== "timeout" && res.error !== "rate_limited") {
        removeFromOutbox(item);
        showError(res.message);
      }
    }
    renderMessages();
  }
  function send(text, attachment) {
    outbox.push({ room: current, message: text, clientId: randomId(16), attachment, timestamp: Date.now() });
    save();
    renderMessages();
    if (lastTyping && socket.connected) socket.emit("typing", { room: current, typing: false });
    lastTyping = 0;
    flushOutbox().then(() => { if (outbox.length) flushOutbox(); });
  }
  setInterval(() => { if (outbox.length && socket.connected) flushOutbox(); }, 5000);

  function upload(file) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/uploads");
      xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      xhr.setRequestHeader("X-Filename", encodeURIComponent(file.name));
      $("progress").hidden = false;
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) $("progress").value = (100 * e.loaded) / e.total; };
      xhr.onload = () => {
        $("progress").hidden = true;
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status === 201) resolve(body); else reject(new Error(body.message || "upload failed (" + xhr.status + ")"));
      };
      xhr.onerror = () => { $("progress").hidden = true; reject(new Error("upload failed")); };
      xhr.send(file);
    });
  }

  // ---- socket events ----
  socket.on("connect", () => { setStatus("connected"); showError(""); catchUp().then(flushOutbox); });
  socket.on("disconnect", () => setStatus(navigator.onLine ? "reconnecting" : "offline"));
  socket.io.on("reconnect_attempt", () => setStatus("reconnecting"));
  socket.on("connect_error", () => setStatus(navigator.onLine ? "reconnecting" : "offline"));
  socket.on("receive-message", (m) => {
    const name = m.room || DEFAULT_ROOM;
    if (isDirect(name) && !joined.has(name)) {
      // Someone started a direct conversation: it joins the room list.
      if (m.userId !== userId) directNames.set(name, m.author);
      joined.add(name);
      save();
    }
    merge(name, [m]);
    if (name === current) { renderMessages(); markRead(); }
    else if (m.userId !== userId) { room(name).unread++; renderRooms(lastRoomList); }
  });
  socket.on("message-updated", (m) => { merge(m.room, [m]); if (m.room === current) renderMessages(); });
  socket.on("message-deleted", (d) => {
    const m = room(d.room).messages.get(d.id);
    if (m) { m.deleted = true; if (d.room === current) renderMessages(); }
  });
  socket.on("presence", (p) => { if (p.room === current) renderOnline(p.users); });
  socket.on("typing", (t) => {
    if (t.typing) typers.set(t.userId, { room: t.room, nickname: t.nickname, until: Date.now() + 3000 });
    else typers.delete(t.userId);
    renderTyping();
  });
  socket.on("chat-error", (e) => showError(e.message));

  // ---- UI events ----
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    $("text").value = "";
    send(text, null);
  });
  $("text").addEventListener("input", () => {
    if (Date.now() - lastTyping > 1000 && socket.connected) {
      lastTyping = Date.now();
      socket.emit("typing", { room: current, typing: true });
    }
  });
  $("file").addEventListener("change", async () => {
    const file = $("file").files[0];
    $("file").value = "";
    if (!file) return;
    try {
      const stored = await upload(file);
      send($("text").value.trim(), { url: stored.url, name: stored.name, type: stored.type, size: stored.size });
      $("text").value = "";
    } catch (err) {
      showError(err.message);
    }
  });
  $("join-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = $("join-room").value.trim();
    if (name && (await joinRoom(name))) { $("join-room").value = ""; switchRoom(name); }
  });
  $("nick-form").addEventListener("submit", (e) => {
    e.preventDefault();
    nickname = $("nickname").value.trim();
    localStorage.setItem("hibiki.nickname", nickname);
    socket.disconnect().connect();
  });
  $("older").addEventListener("click", async () => {
    const r = room(current);
    const res = await request("history", { room: current, before: r.oldest, limit: PAGE });
    if (res && res.ok) { merge(current, res.messages); r.hasMore = res.hasMore; renderMessages(); }
  });
  window.addEventListener("online", () => socket.connect());
  window.addEventListener("offline", () => setStatus("offline"));
  renderRooms([]);
  renderMessages();
})();
