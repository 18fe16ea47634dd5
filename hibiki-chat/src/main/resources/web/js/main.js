// Wiring: builds the model, the connection and the UI parts, and connects their events. Policy lives in the
// modules; this file only decides who hears what. The modules, so that a change finds its one place:
//   state.js       rooms and messages (merge by id, seq cursors, unread), no I/O
//   connection.js  the socket, requests that always settle, server events into state
//   catch-up.js    one catch-up request after snapshots, seq gaps and room-added
//   outbox.js      the ordered, persisted send queue
//   navigation.js  opening, joining, leaving rooms; direct conversations; read markers
//   composer.js    the input and its limits; upload.js the file upload
//   render-*.js    DOM for the room list, the messages, people and typing, the status line
//   storage.js     what survives a reload; dom.js the only element builder (text, never markup)
//   account.js     who the page is signed in as, the sign-in dialog
//   directory.js   public rooms and people to find, new rooms; room-dialog.js invite and room settings
//   search.js      message search and its results; notify.js desktop notifications
//   thread.js      a message and its replies; mention-complete.js @handle suggestions in the composer
// docs/chat-delivery.md is the protocol these follow.

import { $, el, coalesce } from "./dom.js";
import * as storage from "./storage.js";
import { ChatState, quoteOf } from "./state.js";
import { Connection } from "./connection.js";
import { CatchUp } from "./catch-up.js";
import { Outbox } from "./outbox.js";
import { Navigation } from "./navigation.js";
import { Composer } from "./composer.js";
import { renderRooms } from "./render-rooms.js";
import { initMessages, renderMessages, setCurrentUser } from "./render-messages.js";
import { renderOnline, renderTyping } from "./render-people.js";
import { setStatus, showError } from "./render-status.js";
import { AuthDialog, renderAccount, signOut, whoAmI } from "./account.js";
import { useCredentials } from "./upload.js";
import { DirectoryDialog } from "./directory.js";
import { RoomDialog } from "./room-dialog.js";
import { SearchPanel } from "./search.js";
import { initNotifications, maybeNotify } from "./notify.js";
import { ThreadView } from "./thread.js";
import { MentionComplete } from "./mention-complete.js";

storage.forgetLegacy();
// Who this page is comes first: the session cookie is HttpOnly, so only the server can say. Unreachable, the page
// starts as before (a guest) and the socket's own refusal, if any, brings the sign-in dialog.
const who = (await whoAmI()) ?? { user: null, guests: true };
renderAccount(who);
const authDialog = new AuthDialog({
  onSignedIn: () => location.reload(),
  // A page whose session ended elsewhere goes on as a guest: it starts over as one.
  onDismissed() {
    if (!who.user || !connection || connection.connected) return;
    storage.forgetUser();
    location.reload();
  },
});
$("sign-in").addEventListener("click", () => authDialog.open("signin"));
$("sign-out").addEventListener("click", async () => {
  await signOut();
  storage.forgetUser();
  location.reload();
});
if (!who.user && !who.guests) {
  // This server has no guests: nothing connects until someone signs in (which reloads the page).
  authDialog.open("signin", { required: true });
  await new Promise(() => {});
}
const identity = who.user
  ? { account: who.user, userId: who.user.userId, userToken: "", nickname: who.user.displayName }
  : storage.loadIdentity();
useCredentials(identity);
const state = new ChatState(identity);
/** The signed-in account ({userId, handle, displayName, admin}), or null for a guest. */
state.account = who.user;
/** Mentions are by handle: only accounts have one. */
state.handle = who.user ? who.user.handle : null;
setCurrentUser(state.userId, state.handle);
initNotifications();
state.addEventListener("incoming", (e) => maybeNotify(e.detail, {
  current: state.current,
  label: e.detail.room.label,
  onOpen: (room) => nav.open(room),
}));
// Until the snapshot says otherwise, the room the user last had open: what they type now is queued for it.
state.current = storage.loadCurrentRoom() || state.defaultRoom;
$("nickname").value = identity.nickname;

// The connection's hooks run only once the socket has connected, after everything below exists.
const connection = new Connection(state, identity, {
  onSession(session) {
    setCurrentUser(session.userId);
    // An account's id and upload token stay in memory: stored, they would be presented as a guest's later.
    if (identity.account) return;
    storage.saveIdentity(session);
    if (document.activeElement !== $("nickname")) $("nickname").value = session.nickname;
  },
  onSnapshot,
  onResync: () => catchUp.runAll(),
  onGap: (room) => catchUp.noteGap(room),
  onRoomAdded: (room) => catchUp.noteAdded(room),
  onRoomRemoved: (room) => nav.removed(room),
  onStatus(status) {
    setStatus(status);
    state.connected = status === "connected";
    if (state.connected) showError("");
    renderChat();
  },
  onError: showError,
  onSignedOut(code) {
    setStatus("offline");
    authDialog.open("signin", {
      required: !who.guests,
      message: code === "auth_required" ? "Sign in to chat here." : "Your session has ended; sign in again.",
    });
  },
});
const nav = new Navigation(state, connection, { onError: showError });
new DirectoryDialog(connection, {
  join: (room) => nav.join(room),
  directByHandle: (handle) => nav.directByHandle(handle),
  created: (info) => nav.created(info),
});
new RoomDialog(state, connection);
new SearchPanel(connection, {
  labelOf: (room) => state.rooms.get(room)?.label || room,
  onJump(room, id) {
    // On a phone the search box is in the drawer: the message found is shown with the drawer put away.
    showNav(false);
    nav.jumpTo(room, id);
  },
});
const thread = new ThreadView(state, connection, {
  send: (room, text, replyTo) => outbox.add(room, text, null, replyTo),
  labelOf: (room) => state.rooms.get(room)?.label || room,
  onError: showError,
});
const catchUp = new CatchUp(state, connection, {
  loadLatest: (room) => nav.loadLatest(room),
  // A store swapped under a running server: the fresh connection's snapshot drops what belonged to the old one.
  onStoreReplaced: () => connection.reconnect(),
});
const outbox = new Outbox(storage.loadOutbox(), {
  send: (item) => connection.request("send-message-to-room",
    { room: item.room, message: item.message, clientId: item.clientId, attachment: item.attachment || undefined,
      replyTo: item.replyTo ? item.replyTo.id : undefined },
    10000),
  isConnected: () => connection.connected,
  persist: storage.saveOutbox,
  onSent(item, res) {
    // The answer carries everything needed to show the message as stored, whether or not the broadcast has
    // arrived yet; the broadcast then replaces this copy (same id).
    if (!state.rooms.has(item.room)) return;
    state.merge(item.room, [{ id: res.id, seq: res.seq, room: item.room, author: state.nickname, userId: state.userId,
      text: item.message, timestamp: res.timestamp, clientId: item.clientId, attachment: item.attachment || undefined,
      replyTo: item.replyTo || undefined, local: true }]);
  },
});
/** The newest message of this user in the room on screen that can be edited (text, not deleted). */
function lastOwnMessage() {
  const room = state.currentRoom;
  if (!room) return null;
  const own = room.sorted().filter((m) => m.userId === state.userId && !m.deleted && !m.attachment);
  return own.length ? own[own.length - 1] : null;
}
function editStored(id) {
  const m = state.currentRoom?.messages.get(id);
  if (m) composer.startEdit(m.id, m.text || "");
}
const composer = new Composer({
  onEditLast() {
    const m = lastOwnMessage();
    if (m) composer.startEdit(m.id, m.text || "");
  },
  async onSaveEdit(id, text) {
    const res = await connection.request("edit-message", { id, text });
    if (!res.ok) showError(res.message || "the message could not be edited");
    else if (res.message && typeof res.message === "object") state.updateMessage(res.message);
    return !!res.ok;
  },
  onSend(text, attachment, reply) {
    // A reply answers a message of its own room: typed after moving to another room, it is a plain message there.
    const replyTo = reply && reply.room === state.current ? reply.quote : null;
    if (state.current) outbox.add(state.current, text, attachment, replyTo);
  },
  onTyping: (typing) => connection.notify("typing", { room: state.current, typing }),
  onError: showError,
});

// @handle suggestions come from the people directory (accounts, online or not).
async function lookupPeople(query) {
  const res = await connection.request("user-directory", { query });
  return res.ok && Array.isArray(res.users) ? res.users : [];
}
new MentionComplete($("text"), $("mention-list"), { lookup: lookupPeople });
new MentionComplete($("thread-text"), $("thread-mention-list"), { lookup: lookupPeople });

function onSnapshot(snapshot) {
  const stored = storage.loadStoreId();
  const id = snapshot.storeId;
  const replaced = !!id && ((!!state.storeId && state.storeId !== id) || (!!stored && stored !== id));
  state.applySnapshot(snapshot, replaced);
  if (id) storage.saveStoreId(id);
  outbox.dropFailed((room) => state.rooms.has(room));
  composer.setLimits(state.limits);
  outbox.pump({ resume: true });
  // Rooms never opened need no catch-up: their cursor is the snapshot's own last id (the server put this connection
  // in them first, so anything later arrives live), the snapshot's unread count is their badge, and opening one
  // loads its newest page.
  const loaded = [...state.rooms.values()].filter((r) => r.loaded).map((r) => r.name);
  catchUp.run(loaded, { countUnread: false });
  nav.open(state.chooseCurrent(state.current));
}

// ---- rendering ----
function selectRoom(name) {
  showNav(false);
  if (name !== state.current) nav.open(name);
}
const renderRoomList = coalesce(() => renderRooms(state, selectRoom));
const renderChat = coalesce(() => {
  // A reply answers a message of the room it was started in.
  if (composer.replying && composer.replying.room !== state.current) composer.cancelReply();
  renderMessages(state, outbox);
});
const renderPeople = coalesce(() => {
  renderOnline(state, (userId, nickname) => nav.direct(userId, nickname));
  renderTyping(state);
});
state.addEventListener("rooms", renderRoomList);
state.addEventListener("messages", (e) => {
  if (e.detail !== state.current) return;
  renderChat();
  nav.markRead();
});
state.addEventListener("people", renderPeople);
outbox.addEventListener("change", (e) => {
  if (e.detail === state.current) renderChat();
});
// A refusal in the room on screen is shown on the message itself; elsewhere it would go unnoticed.
outbox.addEventListener("failed", (e) => {
  const item = e.detail;
  if (item.room === state.current) return;
  const label = state.rooms.get(item.room)?.label || item.room;
  showError(`A message to ${label} was not sent: ${item.errorMessage || item.error}`);
});
setInterval(() => renderTyping(state), 1000);
initMessages({
  canDelete: (m) => m.userId === state.userId || !!(state.account && state.account.admin),
  onDelete: (id) => nav.deleteMessage(id),
  onEditStored: editStored,
  async onReact(id, emoji, on) {
    const res = await connection.request("react", { id, emoji, on });
    if (!res.ok) showError(res.message || "the reaction was not recorded");
    else state.updateMessage({ id, room: state.current, reactions: res.reactions });
  },
  onReply(id) {
    const m = state.currentRoom?.messages.get(id);
    if (m) composer.startReply(quoteOf(m), state.current);
  },
  onThread: (id) => thread.open(id),
  onRetry: (clientId) => outbox.retry(clientId),
  onDiscard: (clientId) => outbox.discard(clientId),
  onEdit(clientId) {
    const item = outbox.discard(clientId);
    if (item) composer.setText(item.message);
  },
});

// ---- controls ----
$("leave").addEventListener("click", () => nav.leave());
$("mute").addEventListener("click", () => nav.toggleMute());
$("older").addEventListener("click", () => nav.loadOlder());
$("join-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = $("join-room").value.trim();
  if (name && (await nav.join(name))) $("join-room").value = "";
});
// Rooms others are in, offered as suggestions when the user goes to join one; asked at most every 30 s.
let suggested = 0;
$("join-room").addEventListener("focus", async () => {
  if (Date.now() - suggested < 30000 || !connection.connected) return;
  suggested = Date.now();
  const res = await connection.request("list-rooms", {});
  if (!res.ok || !Array.isArray(res.rooms)) return;
  const names = res.rooms.map((r) => r && r.room).filter((n) => typeof n === "string" && !state.rooms.has(n));
  $("known-rooms").replaceChildren(...names.map((n) => el("option", { value: n })));
});
$("nick-form").addEventListener("submit", (e) => {
  e.preventDefault();
  identity.nickname = $("nickname").value.trim();
  storage.saveIdentity({ nickname: identity.nickname });
  connection.reconnect();
});
function showNav(open) {
  document.body.classList.toggle("nav-open", open);
  $("nav-toggle").setAttribute("aria-expanded", String(open));
}
$("nav-toggle").addEventListener("click", () => showNav(!document.body.classList.contains("nav-open")));
// On a phone the list lies over the conversation; a tap on what shows of it puts the list away.
$("chat").addEventListener("click", () => showNav(false));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") nav.markRead();
});

renderRoomList();
renderChat();
