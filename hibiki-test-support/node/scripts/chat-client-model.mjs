// The chat web client's model and delivery logic (state.js, outbox.js, catch-up.js), run in Node without a
// browser or a server: the connection is a stub that answers as the protocol in docs/chat-delivery.md says. Each
// check that passes prints a "check" line {name}; the first that does not prints failure {message}. Then "done".
import { emit, limitRuntime, fail } from "./lib.mjs";

limitRuntime(20000);
const web = new URL("../../../hibiki-chat/src/main/resources/web/js/", import.meta.url);
const { ChatState } = await import(new URL("state.js", web));
const { Outbox } = await import(new URL("outbox.js", web));
const { CatchUp } = await import(new URL("catch-up.js", web));
const storage = await import(new URL("storage.js", web));

// What the browser gives the page, as far as these modules use it.
const stored = new Map();
globalThis.localStorage = {
  getItem: (k) => (stored.has(k) ? stored.get(k) : null),
  setItem: (k, v) => stored.set(k, String(v)),
  removeItem: (k) => stored.delete(k),
};

function expect(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) fail(`${what}: expected ${e}, got ${a}`);
}

async function check(name, body) {
  try {
    await body();
  } catch (e) {
    fail(`${name}: ${e && e.stack ? e.stack : e}`);
  }
  emit("check", { name });
}

/** Resolves once cond() holds, checking every few ms; fails after ms. */
async function until(cond, what, ms = 3000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) fail("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const ids = (room) => room.sorted().map((m) => m.id);

function snapshotState() {
  const state = new ChatState({ userId: "me", nickname: "Me" });
  state.applySnapshot({ storeId: "store-1", userId: "me", defaultRoom: "general", limits: { maxMessageChars: 100 },
    rooms: [{ room: "general", kind: "room", lastId: 100, lastSeq: 10, unread: 3 },
      { room: "dm:me:you", kind: "direct", peer: { userId: "you", nickname: "You" }, lastId: 50, lastSeq: 2, unread: 1 }] });
  return state;
}

await check("outbox-order", async () => {
  const sent = [];
  const answers = {
    first: [{ ok: false, error: "rate_limited" }, { ok: false, error: "timeout" }, { ok: true, id: 1, seq: 1 }],
    refused: [{ ok: false, error: "message_too_long", message: "messages are at most 100 characters" }],
    other: [{ ok: true, id: 2, seq: 1 }],
  };
  const stored = [];
  const outbox = new Outbox([{ junk: true }], {
    send: async (item) => {
      sent.push(item.message + ":" + item.clientId);
      return answers[item.message].shift();
    },
    isConnected: () => true,
    persist: () => {},
    onSent: (item, res) => stored.push([item.room, item.message, res.id]),
    backoff: { min: 5, max: 20 },
  });
  expect(outbox.items.length, 0, "unusable saved entries are dropped");
  outbox.add("a", "first");
  outbox.add("b", "refused");
  outbox.add("a", "other");
  await until(() => stored.length === 2, "both good messages stored");
  const first = sent[0].split(":")[1];
  expect(sent.map((s) => s.split(":")[0]), ["first", "first", "first", "refused", "other"], "the head holds the queue");
  expect(sent.slice(0, 3).every((s) => s.endsWith(":" + first)), true, "retries keep the clientId");
  expect(stored, [["a", "first", 1], ["a", "other", 2]], "stored in the order typed");
  expect(outbox.items.map((i) => [i.message, i.status, i.errorMessage]),
    [["refused", "failed", "messages are at most 100 characters"]], "the refused one is kept as failed");
  // A retry goes to the back of the queue, behind what was typed since.
  answers.refused.push({ ok: true, id: 3, seq: 2 });
  answers.later = [{ ok: true, id: 4, seq: 3 }];
  outbox.add("c", "later");
  await until(() => stored.length === 3, "the later message");
  outbox.retry(outbox.items[0].clientId);
  await until(() => stored.length === 4, "the retried message");
  expect(stored.slice(2).map((s) => s[1]), ["later", "refused"], "retry after later messages");
  expect(outbox.items.length, 0, "outbox empty");
});

await check("outbox-offline", async () => {
  let connected = false;
  const sent = [];
  const saved = [{ clientId: "saved-1", room: "a", message: "from before the reload", timestamp: 1 }];
  let persisted = null;
  const outbox = new Outbox(saved, {
    send: async (item) => {
      sent.push(item.clientId);
      return { ok: true, id: 1, seq: 1 };
    },
    isConnected: () => connected,
    persist: (items) => { persisted = items.map((i) => i.clientId); },
    onSent: () => {},
  });
  outbox.add("a", "typed offline");
  await new Promise((r) => setTimeout(r, 20));
  expect(sent, [], "nothing leaves while disconnected");
  expect(persisted.length, 2, "pending messages are persisted");
  expect(outbox.discard("saved-1"), null, "a pending message cannot be discarded");
  connected = true;
  outbox.pump({ resume: true });
  await until(() => sent.length === 2, "both sent after the connect");
  expect(sent[0], "saved-1", "the saved message goes first");
  expect(persisted, [], "nothing left to persist");
});

await check("outbox-tabs", async () => {
  // Two tabs of one user, offline, each queueing: a reload of either finds both queues.
  const tab = () => new Outbox(storage.loadOutbox(), { send: async () => ({ ok: true, id: 1, seq: 1 }),
    isConnected: () => false, persist: storage.saveOutbox, onSent: () => {} });
  const a = tab();
  const b = tab();
  a.add("r", "from tab a");
  b.add("r", "from tab b");
  expect(storage.loadOutbox().map((i) => i.message), ["from tab a", "from tab b"], "both tabs' messages stored");
  // Tab a sends its own; tab b's stays stored until tab b (or a reload that adopts it) sends it.
  a.isConnected = () => true;
  a.pump();
  await until(() => a.items.length === 0, "tab a sent");
  expect(storage.loadOutbox().map((i) => i.message), ["from tab b"], "only tab b's message left");
  const reloaded = tab();
  expect(reloaded.items.map((i) => i.message), ["from tab b"], "a reload adopts it");
  b.isConnected = () => true;
  b.pump();
  await until(() => b.items.length === 0, "tab b sent");
  expect(storage.loadOutbox(), [], "nothing left stored");
});

await check("snapshot", async () => {
  const state = snapshotState();
  expect([...state.rooms.keys()], ["general", "dm:me:you"], "rooms from the snapshot");
  expect(state.rooms.get("dm:me:you").label, "@ You", "a direct room is labelled with the peer");
  expect(state.rooms.get("general").unread, 3, "unread from the snapshot");
  expect(state.limits.maxMessageChars, 100, "limits from the snapshot");
  state.setCurrent("general");
  state.replaceWithPage("general", [{ id: 90, seq: 9, userId: "x" }, { id: 100, seq: 10, userId: "x" }], true);
  // The same store again (a reconnect): loaded messages stay, a room left elsewhere goes, unread is the server's.
  state.applySnapshot({ storeId: "store-1", rooms: [{ room: "general", kind: "room", lastId: 120, lastSeq: 12, unread: 0 },
    { room: "new", kind: "room", lastId: 7, lastSeq: 1, unread: 1 }] });
  expect([...state.rooms.keys()], ["general", "new"], "membership replaced");
  expect(ids(state.rooms.get("general")), [90, 100], "loaded messages kept");
  expect(state.rooms.get("general").cursor, 100, "catch-up goes on from the last message held");
  // Another store: everything cached belongs to the old one.
  state.applySnapshot({ storeId: "store-2", rooms: [{ room: "general", kind: "room", lastId: 5, lastSeq: 1, unread: 0 }] }, true);
  expect(ids(state.rooms.get("general")), [], "cache dropped");
  expect([state.rooms.get("general").seq, state.rooms.get("general").loaded], [1, false], "cursor from the new store");
});

await check("merge-once", async () => {
  const state = snapshotState();
  state.setCurrent("general");
  const mine = { id: 101, seq: 11, userId: "me", text: "hi", local: true };
  state.merge("general", [mine]);
  const live = { id: 101, seq: 11, userId: "me", text: "hi", author: "Me" };
  state.merge("general", [live], { countUnread: true });
  state.merge("general", [{ ...live }], { countUnread: true });
  expect(state.rooms.get("general").messages.get(101).author, "Me", "the server's copy replaces the local one");
  expect(state.rooms.get("general").messages.size, 1, "kept once");
  const dm = state.rooms.get("dm:me:you");
  state.merge("dm:me:you", [{ id: 60, seq: 3, userId: "you" }], { countUnread: true });
  state.merge("dm:me:you", [{ id: 60, seq: 3, userId: "you" }], { countUnread: true });
  state.merge("dm:me:you", [{ id: 61, seq: 4, userId: "me" }], { countUnread: true });
  expect(dm.unread, 2, "a message of another counts once, one's own not at all");
  // Stored before the snapshot's figures were taken, broadcast after: already in the unread count.
  state.merge("dm:me:you", [{ id: 50, seq: 2, userId: "you" }], { countUnread: true });
  expect(dm.unread, 2, "a message the snapshot counted does not count again");
  // A page that arrives after a newer live message keeps it.
  state.merge("general", [{ id: 130, seq: 14, userId: "x" }]);
  state.replaceWithPage("general", [{ id: 120, seq: 12, userId: "x" }, { id: 125, seq: 13, userId: "x" }], false);
  expect(ids(state.rooms.get("general")), [120, 125, 130], "page plus the newer live message");
  expect([state.rooms.get("general").seq, state.rooms.get("general").hasGap], [14, false], "no hole left");
});

await check("seq-gap", async () => {
  const state = snapshotState();
  const asked = [];
  const connection = {
    connected: true,
    async request(event, payload) {
      asked.push([event, payload]);
      return { ok: true, storeId: "store-1", rooms: { "dm:me:you": { complete: true, lastId: 80,
        messages: [{ id: 70, seq: 4, userId: "you" }, { id: 80, seq: 5, userId: "you" }] } } };
    },
  };
  const catchUp = new CatchUp(state, connection, { loadLatest: async () => {}, onStoreReplaced: async () => {} });
  state.merge("dm:me:you", [{ id: 60, seq: 3, userId: "you" }], { countUnread: true });
  const { gap } = state.merge("dm:me:you", [{ id: 80, seq: 5, userId: "you" }], { countUnread: true });
  expect(gap, true, "seq 5 after 3 is a hole");
  catchUp.noteGap("dm:me:you");
  await until(() => !state.rooms.get("dm:me:you").hasGap, "the hole filled");
  expect(asked, [["catch-up", { rooms: { "dm:me:you": 60 }, limit: 100 }]], "one catch-up from the last id before the hole");
  const dm = state.rooms.get("dm:me:you");
  expect([ids(dm), dm.seq, dm.unread], [[60, 70, 80], 5, 4], "merged once, sorted, each counted once");
  // A hole that fills itself (out-of-order delivery) costs no request.
  state.merge("dm:me:you", [{ id: 95, seq: 7, userId: "you" }], { countUnread: true });
  catchUp.noteGap("dm:me:you");
  state.merge("dm:me:you", [{ id: 90, seq: 6, userId: "you" }], { countUnread: true });
  await new Promise((r) => setTimeout(r, 600));
  expect(asked.length, 1, "no request for a hole filled live");
});

await check("catch-up-pages", async () => {
  const state = snapshotState();
  state.replaceWithPage("general", [{ id: 100, seq: 10, userId: "x" }], false);
  state.upsertRoom({ room: "busy", kind: "room", lastId: 1000, lastSeq: 100, unread: 0 });
  state.replaceWithPage("busy", [{ id: 1000, seq: 100, userId: "x" }], true);
  const page = (from, n, seq) => Array.from({ length: n }, (_, i) => ({ id: from + i, seq: seq + i, userId: "x" }));
  const answers = [
    // The total cap cut general short; busy is more than a page behind.
    { ok: true, storeId: "store-1", rooms: { general: { messages: page(101, 40, 11), complete: false },
      busy: { messages: page(1001, 100, 101), complete: false } } },
    { ok: false, error: "rate_limited" },
    { ok: true, storeId: "store-1", rooms: { general: { messages: page(141, 5, 51), complete: true, lastId: 145 } } },
  ];
  const asked = [];
  const replaced = [];
  const connection = { connected: true, async request(event, payload) {
    asked.push(JSON.parse(JSON.stringify(payload.rooms)));
    return answers.shift();
  } };
  const catchUp = new CatchUp(state, connection, {
    loadLatest: async (room) => replaced.push(room), onStoreReplaced: async () => {} });
  await catchUp.run(["general", "busy"], { countUnread: false });
  expect(asked, [{ general: 100, busy: 1000 }, { general: 140 }, { general: 140 }], "asks again from the new cursor");
  expect(replaced, ["busy"], "a room more than a page behind gets its newest page");
  const general = state.rooms.get("general");
  expect([general.messages.size, general.seq, general.cursor, general.unread], [46, 55, 145, 3], "general complete");
  // A catch-up answer from another store: start again.
  let replacedStore = "";
  const other = new CatchUp(state, { connected: true, async request() { return { ok: true, storeId: "store-9", rooms: {} }; } },
    { loadLatest: async () => {}, onStoreReplaced: async (id) => { replacedStore = id; } });
  await other.run(["general"], { countUnread: false });
  expect(replacedStore, "store-9", "a different store is noticed");
});

await check("room-added", async () => {
  const state = snapshotState();
  const asked = [];
  const connection = { connected: true, async request(event, payload) {
    asked.push(payload.rooms);
    return { ok: true, storeId: "store-1", rooms: Object.fromEntries(Object.keys(payload.rooms).map((r) => [r,
      { complete: true, lastId: 0, messages: r === "dm:me:them" ? [{ id: 31, seq: 4, userId: "them" }] : [] }])) };
  } };
  const catchUp = new CatchUp(state, connection, { loadLatest: async () => {}, onStoreReplaced: async () => {} });
  // Another tab joins two rooms and someone starts a conversation: one request covers the three.
  for (const info of [{ room: "r1", kind: "room", lastId: 10, lastSeq: 1, unread: 1 },
    { room: "r2", kind: "room", lastId: 0, lastSeq: 0, unread: 0 },
    { room: "dm:me:them", kind: "direct", peer: { userId: "them", nickname: "Them" }, lastId: 30, lastSeq: 3, unread: 3 }]) {
    state.upsertRoom(info);
    catchUp.noteAdded(info.room);
  }
  await until(() => asked.length === 1, "one catch-up");
  await catchUp.chain;
  expect(asked, [{ r1: 10, r2: 0, "dm:me:them": 30 }], "from each room's last id as added");
  const dm = state.rooms.get("dm:me:them");
  expect([dm.label, dm.unread, dm.seq], ["@ Them", 4, 4], "a message after the figures counts on top");
});

emit("done");
process.exit(0);
