// The room on screen: its title, the stored messages sorted by id, then this user's messages still in the
// outbox (pending, or failed with the server's reason and what can be done about it).

import { $, el } from "./dom.js";
import { formatMessage, setOwnHandle } from "./format.js";
import { mentions } from "./state.js";

/** One element per message object: a re-render moves nodes instead of rebuilding them (images stay loaded). */
const nodes = new WeakMap();
/** clientId -> {key, li} for outbox entries, rebuilt only when what they show changes. */
const outboxNodes = new Map();
let shownRoom = "";
/** The list follows new messages unless the reader has scrolled up. */
let stickToBottom = true;
/** Whether this user may delete a stored message: their own, or any for an admin. */
let mayDelete = () => false;
/** Whose messages get an Edit button. */
let currentUser = "";

let currentHandle = "";

export function setCurrentUser(userId, handle) {
  currentUser = userId;
  if (handle !== undefined) {
    currentHandle = handle || "";
    setOwnHandle(currentHandle);
  }
}

/** The reactions the server offers (Reactions.EMOJI). */
export const EMOJI = ["👍", "👎", "😄", "🎉", "😕", "❤️", "🚀", "👀", "✅", "🙏", "😂", "🔥"];
let react = () => {};

export function initMessages({ onRetry, onEdit, onDiscard, onDelete, canDelete, onEditStored, onReact, onReply,
  onThread }) {
  mayDelete = canDelete || mayDelete;
  react = onReact || react;
  $("viewer-close").addEventListener("click", () => $("image-viewer").close());
  const picker = $("reaction-picker");
  /** The button that opened the picker: the keyboard's focus goes back to it when the picker closes. */
  let opener = null;
  const closePicker = () => {
    if (picker.hidden) return;
    const refocus = picker.contains(document.activeElement);
    picker.hidden = true;
    if (refocus && opener?.isConnected) opener.focus();
  };
  picker.replaceChildren(...EMOJI.map((emoji) => el("button", { type: "button", text: emoji, ariaLabel: "React " + emoji,
    onclick: () => {
      closePicker();
      react(Number(picker.dataset.id), emoji, true);
    } })));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closePicker();
  });
  document.addEventListener("click", (e) => {
    if (!picker.hidden && !picker.contains(e.target) && !e.target.closest("button.add-reaction")) picker.hidden = true;
  });
  const list = $("messages");
  list.addEventListener("scroll", () => {
    stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    $("jump-latest").hidden = stickToBottom;
  });
  $("jump-latest").addEventListener("click", () => {
    list.scrollTop = list.scrollHeight;
    stickToBottom = true;
    $("jump-latest").hidden = true;
  });
  // The list shrinks when the limit hint or the progress bar appears below it; the newest line must stay in view.
  new ResizeObserver(keepAtBottom).observe(list);
  list.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button) return;
    const li = button.closest("li");
    if (button.dataset.action === "delete") {
      // Two steps: a deletion cannot be taken back, and on a phone one stray tap would do it.
      button.dataset.action = "delete-confirm";
      button.textContent = "Delete?";
      button.setAttribute("aria-label", "Confirm: delete this message for everyone");
      button.classList.add("confirming");
      setTimeout(() => {
        if (!button.isConnected || button.dataset.action !== "delete-confirm") return;
        button.dataset.action = "delete";
        button.textContent = "Delete";
        button.setAttribute("aria-label", "Delete message");
        button.classList.remove("confirming");
      }, 4000);
      return;
    }
    if (button.dataset.action === "delete-confirm") {
      onDelete?.(Number(li.dataset.id));
      return;
    }
    if (button.dataset.action === "add-reaction") {
      const box = button.getBoundingClientRect();
      picker.dataset.id = li.dataset.id;
      opener = button;
      picker.hidden = false;
      picker.style.top = Math.min(window.innerHeight - picker.offsetHeight - 8, box.bottom + 4) + "px";
      picker.style.left = Math.max(8, Math.min(window.innerWidth - picker.offsetWidth - 8, box.right - picker.offsetWidth)) + "px";
      picker.querySelector("button").focus();
      return;
    }
    if (button.dataset.action === "reaction") {
      react(Number(li.dataset.id), button.dataset.emoji, button.getAttribute("aria-pressed") !== "true");
      return;
    }
    if (button.dataset.action === "edit-stored") {
      onEditStored?.(Number(li.dataset.id));
      return;
    }
    if (button.dataset.action === "reply") {
      onReply?.(Number(li.dataset.id));
      return;
    }
    if (button.dataset.action === "thread") {
      onThread?.(Number(button.dataset.thread));
      return;
    }
    ({ retry: onRetry, edit: onEdit, discard: onDiscard })[button.dataset.action]?.(li.dataset.clientId);
  });
}

/** The full-size view of an image; Escape (the dialog's own) or Close ends it. */
function viewImage(a) {
  $("viewer-image").src = a.url;
  $("viewer-image").alt = a.name || "image";
  $("viewer-caption").textContent = a.name || "";
  $("viewer-open").href = a.url;
  $("image-viewer").showModal();
  $("viewer-close").focus();
}

function time(ts) {
  const d = new Date(ts || Date.now());
  return el("time", { dateTime: d.toISOString(), title: d.toLocaleString(),
    text: d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) });
}

/** Only the server's own upload URLs become links or images: never javascript:, data: or another site. */
const UPLOAD_URL = /^\/uploads\/[A-Za-z0-9_-]+\.[a-z0-9]+$/;

function attachment(a) {
  if (!a || typeof a.url !== "string" || !UPLOAD_URL.test(a.url)) return null;
  if (typeof a.type === "string" && a.type.startsWith("image/")) {
    // A button, so that the full-size view opens from the keyboard too; the name under the picture.
    return el("figure", { class: "image" },
      el("button", { type: "button", class: "image-open", ariaLabel: "View " + (a.name || "image") + " full size",
        onclick: () => viewImage(a) }, el("img", { src: a.url, alt: a.name || "image", onload: keepAtBottom })),
      el("figcaption", { text: a.name || "image" }));
  }
  return el("a", { class: "file", href: a.url, rel: "noopener", download: a.name || "",
    text: "File: " + (a.name || "file") });
}

/**
 * The quote a reply starts with: who said what it answers, as that message is now. A button: it opens the thread
 * (the parent and all its replies).
 */
export function quoteNode(q, { action = true } = {}) {
  if (!q || typeof q.id !== "number") return null;
  const said = q.missing ? "a message no longer here" : q.deleted ? "(deleted)"
    : q.text || (q.attachment ? "File: " + q.attachment : "");
  const parts = [el("span", { class: "quote-author", text: q.missing ? "" : (q.author || "?") }),
    el("span", { class: "quote-text", text: said })];
  if (!action) return el("span", { class: "quote" }, ...parts);
  // Named by what it shows (a name that differs from the visible text misleads voice control); the title says what
  // it does.
  return el("button", { type: "button", class: "quote", data: { action: "thread", thread: q.id },
    title: "In reply to this: open the thread" }, ...parts);
}

function messageNode(m) {
  let li = nodes.get(m);
  if (li) return li;
  const own = m.userId === currentUser;
  const text = m.deleted ? el("span", { class: "text" }, "(deleted)")
    : el("span", { class: "text" }, ...formatMessage(m.text || ""),
      m.edited ? el("span", { class: "edited", text: " (edited)" }) : null);
  li = el("li", { data: { id: m.id }, class: [own ? "own" : "", !own && mentions(m.text, currentHandle) ? "mentions-me" : ""]
    .filter(Boolean).join(" ") || null },
    time(m.timestamp), el("span", { class: "author", text: m.author || "?" }),
    // Anyone can call themselves anything as a guest: their messages say so, next to the name.
    m.guest ? el("span", { class: "guest-tag", text: "guest" }) : null,
    quoteNode(m.replyTo), text, m.deleted ? null : attachment(m.attachment),
    m.deleted ? null : reactionRow(m),
    m.deleted ? null : el("span", { class: "actions" },
      el("button", { type: "button", class: "add-reaction", data: { action: "add-reaction" },
        ariaLabel: "Add a reaction", title: "Add a reaction", text: "☺+" }),
      el("button", { type: "button", class: "reply", data: { action: "reply" },
        ariaLabel: "Reply to " + (m.author || "this message"), title: "Reply", text: "Reply" }),

      own && !m.attachment ? el("button", { type: "button", class: "edit", data: { action: "edit-stored" },
        ariaLabel: "Edit message", title: "Edit (↑ in an empty composer edits your last one)", text: "Edit" }) : null,
      mayDelete(m) ? el("button", { type: "button", class: "delete", data: { action: "delete" },
        ariaLabel: "Delete message", title: "Delete message", text: "Delete" }) : null));
  nodes.set(m, li);
  return li;
}

/**
 * "N replies" under a message whose replies this page holds (a button to its thread). Set on the cached node:
 * a new reply changes its parent's count, not the parent's message object.
 */
function showReplies(li, count) {
  let button = li.querySelector(":scope > button.replies");
  if (!count) {
    button?.remove();
    return;
  }
  if (!button) {
    button = el("button", { type: "button", class: "replies", data: { action: "thread", thread: li.dataset.id } });
    li.append(button);
  }
  const text = count === 1 ? "1 reply" : count + " replies";
  if (button.textContent !== text) {
    button.textContent = text;
    button.setAttribute("aria-label", text + ": open the thread");
  }
}

/** Day dividers and notices, cached like messages so that a re-render moves nodes instead of making them. */
const dividers = new Map();
const noticeNodes = new Map();
let empty = null;

function dayKey(ts) {
  const d = new Date(ts);
  return d.getFullYear() + "-" + d.getMonth() + "-" + d.getDate();
}

function dayLabel(ts) {
  const d = new Date(ts);
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (dayKey(ts) === dayKey(today.getTime())) return "Today";
  if (dayKey(ts) === dayKey(yesterday.getTime())) return "Yesterday";
  return d.toLocaleDateString([], { weekday: "long", year: "numeric", month: "long", day: "numeric" });
}

function divider(ts) {
  const key = dayKey(ts) + "|" + dayLabel(ts);
  if (!dividers.has(key)) {
    dividers.set(key, el("li", { class: "day" },
      el("span", { text: dayLabel(ts) })));
  }
  return dividers.get(key);
}

function noticeNode(n) {
  if (!noticeNodes.has(n.key)) noticeNodes.set(n.key, el("li", { class: "notice", text: n.text }));
  return noticeNodes.get(n.key);
}

const newLine = el("li", { class: "new-line", text: "New messages" });

/** The "new messages" line before the first of the messages that were unread when the room was opened. */
function placeNewLine(items, messages, room) {
  const count = room ? room.unreadAtOpen || 0 : 0;
  if (!count) return;
  const theirs = messages.filter((m) => m.userId !== currentUser);
  const first = theirs[Math.max(0, theirs.length - count)];
  const at = first ? items.indexOf(nodes.get(first)) : -1;
  if (at >= 0) items.splice(at, 0, newLine);
}

function emptyNode() {
  empty = empty || el("li", { class: "empty-room", text: "No messages here yet. Write the first one below." });
  return empty;
}

/** Messages in id order, the room's notices placed by time among them, and a divider where the day changes. */
function timeline(messages, notices) {
  const out = [];
  let day = null;
  let n = 0;
  const place = (ts, node) => {
    if (dayKey(ts) !== day) {
      day = dayKey(ts);
      out.push(divider(ts));
    }
    out.push(node);
  };
  for (const m of messages) {
    const ts = m.timestamp || Date.now();
    while (n < notices.length && notices[n].timestamp < ts) place(notices[n].timestamp, noticeNode(notices[n++]));
    place(ts, messageNode(m));
  }
  while (n < notices.length) place(notices[n].timestamp, noticeNode(notices[n++]));
  return out;
}

/** A message's reactions: each emoji with its count, pressed when one of them is this user's. */
function reactionRow(m) {
  const list = Array.isArray(m.reactions) ? m.reactions : [];
  if (!list.length) return null;
  return el("span", { class: "reactions" }, ...list.map((r) => {
    const users = Array.isArray(r.users) ? r.users : [];
    const mine = users.some((u) => u.userId === currentUser);
    const names = users.map((u) => u.nickname).join(", ") + (r.count > users.length ? " and others" : "");
    return el("button", { type: "button", class: "reaction", data: { action: "reaction", emoji: r.emoji },
      ariaPressed: String(mine), title: names, ariaLabel: `${r.emoji} ${r.count}: ${names}`,
      text: `${r.emoji} ${r.count}` });
  }));
}

function outboxNode(item, nickname, progress) {
  const key = [item.status, item.errorMessage, item.error, progress, nickname].join("\u0000");
  const cached = outboxNodes.get(item.clientId);
  if (cached && cached.key === key) return cached.li;
  const li = buildOutboxNode(item, nickname, progress);
  outboxNodes.set(item.clientId, { key, li });
  return li;
}

function buildOutboxNode(item, nickname, progress) {
  const failed = item.status === "failed";
  const li = el("li", { class: failed ? "failed" : "pending", data: { clientId: item.clientId } },
    time(item.createdAt), el("span", { class: "author", text: nickname || "me" }),
    quoteNode(item.replyTo, { action: false }),
    el("span", { class: "text", text: item.message }), attachment(item.attachment));
  if (failed) {
    const reason = item.errorMessage || item.error || "refused by the server";
    li.append(el("div", { class: "delivery", role: "status" },
      el("span", { class: "reason", text: "Not sent: " + reason }),
      el("button", { type: "button", data: { action: "retry" }, text: "Retry" }),
      el("button", { type: "button", data: { action: "edit" }, text: "Edit" }),
      el("button", { type: "button", data: { action: "discard" }, text: "Discard" })));
  } else {
    li.append(el("span", { class: "delivery", text: progress }));
  }
  return li;
}

export function renderMessages(state, outbox) {
  const name = state.current;
  const room = state.rooms.get(name);
  const list = $("messages");
  if (name !== shownRoom) {
    shownRoom = name;
    stickToBottom = true;
    $("jump-latest").hidden = true;
  }
  $("room-title").textContent = room ? (room.kind === "room" ? "# " + room.label : room.label)
    + (room.visibility === "private" && room.kind === "room" ? " (private)" : "")
    + (room.archived ? " (archived)" : "") : "";
  $("room-topic").textContent = room && room.topic ? room.topic : "";
  $("leave").hidden = !room || room.kind === "direct" || name === state.defaultRoom;
  $("invite").hidden = !room || room.kind === "direct" || name === state.defaultRoom || room.archived
    || !state.account;
  $("room-settings").hidden = !room || room.kind !== "room" || name === state.defaultRoom
    || !(state.account && (room.ownerId === state.userId || state.account.admin));
  const mute = $("mute");
  mute.hidden = !room || name === state.defaultRoom;
  mute.textContent = room && room.muted ? "Unmute" : "Mute";
  mute.setAttribute("aria-pressed", String(!!(room && room.muted)));
  $("older").hidden = !room || !room.hasMore;
  const messages = room ? room.sorted() : [];
  const replies = new Map();
  for (const m of messages) {
    if (m.replyTo && !m.deleted) replies.set(m.replyTo.id, (replies.get(m.replyTo.id) || 0) + 1);
  }
  for (const m of messages) showReplies(messageNode(m), replies.get(m.id) || 0);
  const items = timeline(messages, room ? room.notices : []);
  placeNewLine(items, messages, room);
  if (room && room.loaded && messages.length === 0 && outbox.forRoom(name).length === 0) items.push(emptyNode());
  // The broadcast of a send can arrive before its ack: once the stored copy is here, the outbox's is not shown.
  const stored = new Set(messages.map((m) => m.clientId).filter(Boolean));
  const queued = new Set(outbox.items.map((i) => i.clientId));
  for (const id of outboxNodes.keys()) if (!queued.has(id)) outboxNodes.delete(id);
  for (const item of outbox.forRoom(name)) {
    if (stored.has(item.clientId)) continue;
    const progress = !state.connected ? "waiting for the connection…"
      : outbox.retrying === item.clientId ? "retrying…" : "sending…";
    items.push(outboxNode(item, state.nickname, progress));
  }
  // A reader who scrolled up keeps the message they were looking at in place, whether older messages were added
  // above it or new ones below.
  const anchor = stickToBottom ? null : [...list.children].find((li) => li.offsetTop + li.offsetHeight > list.scrollTop);
  const offset = anchor ? anchor.offsetTop - list.scrollTop : 0;
  // A message changed by anyone is a new node: a keyboard user on one of its buttons stays on that button.
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const focusedId = focused?.closest("li")?.dataset.id;
  reconcile(list, items);
  if (focused && !focused.isConnected && focusedId) refocus(list, focusedId, focused.dataset);
  if (stickToBottom) list.scrollTop = list.scrollHeight;
  else if (anchor && anchor.isConnected) list.scrollTop = anchor.offsetTop - offset;
}

/**
 * Puts exactly these nodes in the list, in order, touching only what changed: the list is aria-live, and a node
 * removed and added again would be read out again.
 */
function reconcile(list, items) {
  items.forEach((node, i) => {
    const here = list.children[i];
    if (here !== node) list.insertBefore(node, here || null);
  });
  while (list.children.length > items.length) list.lastElementChild.remove();
}

function refocus(list, id, { action, emoji }) {
  const li = [...list.children].find((n) => n.dataset.id === id);
  if (!li) return;
  const buttons = [...li.querySelectorAll("button")];
  const same = buttons.find((b) => b.dataset.action === action && (!emoji || b.dataset.emoji === emoji))
    || buttons.find((b) => b.dataset.action === action) || buttons[0];
  same?.focus({ preventScroll: true });
}

function keepAtBottom() {
  const list = $("messages");
  if (stickToBottom) list.scrollTop = list.scrollHeight;
}
