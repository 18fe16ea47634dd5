// The chat's delivery checker: many official socket.io-client users on several chat instances, each keeping the
// client side of the delivery guarantee (docs/chat-delivery.md): an ordered outbox with retries under the same
// clientId, each snapshot as its membership (on connect, and again after a gap in cluster traffic), catch-up after
// every snapshot and on a seq gap.
// They join rooms, open direct conversations (also with users who are offline), send in bursts faster than the
// rate limit, drop their connections and "reload" (a new connection, to any instance, with the same identity and
// stored state), while the test injects server-side faults. Commands on stdin (one JSON object per line):
//   {op: "settle"}  stop making new messages; once every outbox is empty and every user connected and caught up,
//                   write one report per user to --out (a JSON array) and print a "settled" line.
// Lines: started {users}, progress {acked, connected}, fault {kind, user}, settled {out}, failure {message}.
// A report: {user, userId, rooms: {room: [ids held]}, acked, refused, expectedRooms, duplicates, resyncs,
// missedUntilEnd, connects}.
// Arguments: --urls (comma-separated instance URLs), --users, --rooms, --secret-tokens (JSON {name: {userId,
// userToken}}), --seed, --out (reports file), --limit (ms).
import { io } from "socket.io-client";
import readline from "node:readline";
import { writeFileSync } from "node:fs";
import { emit, arg, limitRuntime, fail } from "./lib.mjs";

limitRuntime(Number(arg("limit", "240000")));
const urls = arg("urls").split(",");
const identities = JSON.parse(arg("identities"));
const roomCount = Number(arg("rooms", "8"));
let seed = Number(arg("seed", "1"));
const CATCH_UP_PAGE = 100;

// A small seeded generator, so that a failing run can be replayed with its seed.
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

let settling = false;
const users = [];

class User {
  constructor(name, identity) {
    this.name = name;
    this.auth = { nickname: name, userId: identity.userId, userToken: identity.userToken };
    this.userId = identity.userId;
    /** room -> Map(id -> seq): what this user's screen holds (kept across reloads, like localStorage). */
    this.rooms = new Map();
    this.storeId = null;
    this.outbox = []; // {room, message, clientId}
    this.next = 0;
    this.acked = []; // {room, clientId, id}
    this.refused = []; // {room, clientId, error}
    this.expectedRooms = new Set(); // rooms a join or direct of ours (or to us) was acknowledged for
    this.duplicates = 0; // the same id delivered live twice on one connection
    this.epoch = 0;
    this.sending = false;
    /** Each flush loop's number: a loop whose connection went away stops (a newer one takes over). */
    this.runs = 0;
    this.lastReceived = 0;
    this.caughtUp = false;
    this.resyncs = 0;
    this.connects = 0;
    this.socket = null;
  }

  connect(url) {
    const epoch = ++this.epoch;
    const socket = io(url, {
      transports: ["websocket"], auth: this.auth, forceNew: true, reconnection: true,
      reconnectionDelay: 100, reconnectionDelayMax: 1000, timeout: 5000,
    });
    this.socket = socket;
    this.caughtUp = false;
    let liveIds = new Set();
    socket.on("connect", () => {
      this.connects++;
      liveIds = new Set();
    });
    socket.on("snapshot", (s) => {
      if (epoch !== this.epoch) return;
      if (this.storeId && s.storeId !== this.storeId) fail(`${this.name}: store changed mid-run`);
      this.storeId = s.storeId;
      if (s.reason === "resync") this.resyncs++;
      for (const r of s.rooms) if (!this.rooms.has(r.room)) this.rooms.set(r.room, new Map());
      this.caughtUp = false;
      this.catchUp([...this.rooms.keys()]).then(() => { if (epoch === this.epoch) this.caughtUp = true; });
      this.flush();
    });
    socket.on("room-added", (r) => {
      if (!this.rooms.has(r.room)) this.rooms.set(r.room, new Map());
      this.catchUp([r.room]);
    });
    socket.on("receive-message", (m) => {
      if (epoch !== this.epoch) return;
      this.lastReceived = Date.now();
      if (liveIds.has(m.id)) this.duplicates++;
      liveIds.add(m.id);
      const seen = this.rooms.get(m.room);
      if (!seen) return; // a room this user has not heard of yet: its room-added or snapshot brings it
      const lastSeq = Math.max(0, ...seen.values());
      seen.set(m.id, m.seq);
      if (m.seq > lastSeq + 1) this.catchUp([m.room]);
    });
    socket.on("disconnect", () => { this.runs++; this.sending = false; });
  }

  /**
   * The catch-up cursor of a room: the id of the last message before the first hole in its seq numbers. A message
   * seen live after a hole must not move the cursor past what is missing.
   */
  cursor(room) {
    const bySeq = [...this.rooms.get(room).entries()].sort((a, b) => a[1] - b[1]);
    let id = 0;
    for (let i = 0; i < bySeq.length && bySeq[i][1] === i + 1; i++) id = bySeq[i][0];
    return id;
  }

  /** Everything after each room's cursor, paging until each room says it is complete. */
  async catchUp(rooms) {
    let asked = rooms.filter((r) => this.rooms.has(r));
    for (let round = 0; asked.length && round < 200; round++) {
      const cursors = {};
      for (const r of asked) cursors[r] = this.cursor(r);
      let res;
      try {
        res = await this.socket.timeout(10000).emitWithAck("catch-up", { rooms: cursors, limit: CATCH_UP_PAGE });
      } catch (e) {
        return false; // disconnected: the next connect catches up again
      }
      if (!res.ok) {
        if (res.error === "rate_limited" || res.error === "server_error") continue;
        fail(`${this.name}: catch-up refused: ${JSON.stringify(res)}`);
      }
      const again = [];
      for (const [r, page] of Object.entries(res.rooms)) {
        if (page.error) fail(`${this.name}: catch-up of ${r}: ${page.error}`);
        const seen = this.rooms.get(r);
        for (const m of page.messages) seen.set(m.id, m.seq);
        if (!page.complete) again.push(r);
      }
      asked = again;
    }
    return asked.length === 0;
  }

  seenCount() {
    let n = 0;
    for (const seen of this.rooms.values()) n += seen.size;
    return n;
  }

  /** The ordered outbox: one send in flight; the head is retried under its clientId until it is answered. */
  async flush() {
    if (this.sending) return;
    this.sending = true;
    const run = ++this.runs;
    try {
      while (this.outbox.length && this.socket.connected && run === this.runs) {
        const item = this.outbox[0];
        let res;
        try {
          res = await this.socket.timeout(10000).emitWithAck("send-message-to-room", item);
        } catch (e) {
          break; // no answer: unknown; the same item goes again after the next connect
        }
        if (run !== this.runs || this.outbox[0] !== item) break;
        if (res.ok) {
          this.acked.push({ room: item.room, clientId: item.clientId, id: res.id });
          this.outbox.shift();
        } else if (["rate_limited", "server_error", "store_unavailable"].includes(res.error)) {
          await new Promise((r) => setTimeout(r, 200));
        } else {
          this.refused.push({ room: item.room, clientId: item.clientId, error: res.error });
          this.outbox.shift();
        }
      }
    } finally {
      if (run === this.runs) this.sending = false;
    }
  }

  enqueue(room, text) {
    this.outbox.push({ room, message: text, clientId: `${this.name}-${this.next++}` });
    this.flush();
  }

  async request(event, payload) {
    try {
      return await this.socket.timeout(10000).emitWithAck(event, payload);
    } catch (e) {
      return { ok: false, error: "timeout" };
    }
  }

  async join(room) {
    const res = await this.request("join-room", room);
    if (res.ok) {
      this.expectedRooms.add(room);
      if (!this.rooms.has(room)) this.rooms.set(room, new Map());
      this.catchUp([room]);
    }
  }

  async direct(other) {
    const res = await this.request("direct", { userId: other.userId });
    if (res.ok) {
      this.expectedRooms.add(res.room);
      other.expectedRooms.add(res.room);
      if (!this.rooms.has(res.room)) this.rooms.set(res.room, new Map());
      this.catchUp([res.room]);
    }
  }

  /** A page reload: the connection goes, a new one comes (to any instance) with the same identity and state. */
  reload() {
    emit("fault", { kind: "reload", user: this.name });
    const old = this.socket;
    this.epoch++; // the old connection's late answers and messages are ignored
    this.runs++;
    this.sending = false;
    old.disconnect();
    setTimeout(() => this.connect(pick(urls)), between(0, 300));
  }

  /** The network drops the connection under the socket; socket.io reconnects by itself. */
  drop() {
    emit("fault", { kind: "drop", user: this.name });
    this.socket.io.engine.close();
  }

  report() {
    const rooms = {};
    for (const [r, seen] of this.rooms) rooms[r] = [...seen.keys()].sort((a, b) => a - b);
    return { user: this.name, userId: this.userId, rooms, acked: this.acked, refused: this.refused,
      expectedRooms: [...this.expectedRooms], duplicates: this.duplicates, resyncs: this.resyncs,
      missedUntilEnd: this.missedUntilEnd,
      connects: this.connects };
  }
}

const names = Object.keys(identities);
names.forEach((name, i) => users.push(new User(name, identities[name])));
users.forEach((u, i) => u.connect(urls[i % urls.length]));
const connected = () => users.every((u) => u.socket && u.socket.connected);
for (let i = 0; i < 300 && !connected(); i++) await new Promise((r) => setTimeout(r, 50));
if (!connected()) fail("not every user connected");
emit("started", { users: users.length });

// Everyone joins a few rooms and opens one direct conversation.
await Promise.all(users.map(async (u) => {
  for (let k = 0; k < 3; k++) await u.join("room-" + between(0, roomCount - 1));
  await u.direct(pick(users.filter((o) => o !== u)));
}));

// Progress, so that the test can time its faults by work done rather than by the clock.
const progress = setInterval(() => {
  emit("progress", { acked: users.reduce((n, u) => n + u.acked.length, 0),
    connected: users.filter((u) => u.socket.connected).length });
}, 500);

// Work and client-side faults until told to settle.
const timers = users.map((u) => setInterval(() => {
  if (settling) return;
  const roll = random();
  const rooms = [...u.rooms.keys()];
  if (roll < 0.55) {
    // A burst, faster than the rate limit: the outbox holds it and sends it in order.
    const n = between(5, 35);
    for (let k = 0; k < n; k++) u.enqueue(pick(rooms), `${u.name} says ${u.next}`);
  } else if (roll < 0.6) {
    u.enqueue(pick(rooms), "x".repeat(3000)); // refused for its length: never shown as sent
  } else if (roll < 0.68) {
    u.join("room-" + between(0, roomCount - 1));
  } else if (roll < 0.74) {
    u.direct(pick(users.filter((o) => o !== u))); // the other may be offline or reloading right now
  } else if (roll < 0.82) {
    if (u.socket.connected) u.reload();
  } else if (roll < 0.88) {
    if (u.socket.connected) u.drop();
  }
}, between(1500, 3000)));

async function settle() {
  settling = true;
  timers.forEach(clearInterval);
  clearInterval(progress);
  const done = () => users.every((u) => u.socket.connected && u.outbox.length === 0 && u.caughtUp);
  for (let i = 0; i < 1200 && !done(); i++) {
    for (const u of users) if (u.socket.connected && u.outbox.length && !u.sending) u.flush();
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!done()) {
    const stuck = users.filter((u) => !(u.socket.connected && u.outbox.length === 0 && u.caughtUp))
      .map((u) => ({ user: u.name, connected: u.socket.connected, outbox: u.outbox.length, caughtUp: u.caughtUp }));
    fail("could not settle: " + JSON.stringify(stuck));
  }
  // Quiet: the last broadcasts have landed (no message for a second, at most 15 s).
  for (let i = 0; i < 300 && users.some((u) => Date.now() - u.lastReceived < 1000); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  // A last catch-up of every room: whatever it still finds was missed by the live path and its healing.
  await Promise.all(users.map(async (u) => {
    const before = u.seenCount();
    if (!(await u.catchUp([...u.rooms.keys()]))) fail(`${u.name}: the final catch-up did not complete`);
    u.missedUntilEnd = u.seenCount() - before;
  }));
  // The reports are large (every id each user holds): they go to a file, and a short line says where.
  writeFileSync(arg("out"), JSON.stringify(users.map((u) => u.report())));
  for (const u of users) u.socket.disconnect();
  emit("settled", { out: arg("out") });
}

const input = readline.createInterface({ input: process.stdin });
input.on("line", (text) => {
  if (!text.trim()) return;
  const c = JSON.parse(text);
  if (c.op === "settle") settle().catch((e) => fail(String(e && e.stack ? e.stack : e)));
});
input.on("close", () => process.exit(0));
