// Fetching what this page missed: after every snapshot (connect or resync), when a room's seq jumps, and for a
// room learnt of by room-added (its join may have crossed a broadcast on another instance). One "catch-up"
// request covers every room, so a reconnect costs one event, not one per room (the rate limit would otherwise
// hold or refuse them). Runs are queued one after another so that two never merge the same answer at once.

import { TRANSIENT } from "./connection.js";

const LIMIT = 100; // per room and round; the server caps a round at 1 000 messages in all
const MAX_ROUNDS = 5;
/**
 * Live messages from several instances may arrive slightly out of order, so a hole that fills itself within this
 * time costs nothing; rooms added in a burst (another tab joining many) share one request.
 */
const SOON_MS = 400;
const MAX_GAP_RETRIES = 3;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class CatchUp {
  /**
   * loadLatest(room): replaces a room by its newest page. onStoreReplaced(storeId): the database changed under
   * a running page.
   */
  constructor(state, connection, { loadLatest, onStoreReplaced }) {
    this.state = state;
    this.connection = connection;
    this.loadLatest = loadLatest;
    this.onStoreReplaced = onStoreReplaced;
    this.chain = Promise.resolve();
    this.gapRooms = new Set();
    this.addedRooms = new Set();
    this.timer = null;
    this.gapRetries = new Map();
  }

  /** Queues a run for these rooms (from each room's cursor). */
  run(names, { countUnread }) {
    const rooms = [...new Set(names)];
    this.chain = this.chain.then(() => (rooms.length ? this.#run(rooms, countUnread) : undefined)).catch((e) => {
      // A bug here must be seen, but must not stop every later catch-up: report it outside the chain.
      setTimeout(() => {
        throw e;
      });
    });
    return this.chain;
  }

  /** Every room this user is in: after "resync" live broadcasts may have been lost anywhere. */
  runAll() {
    return this.run([...this.state.rooms.keys()], { countUnread: true });
  }

  noteGap(name) {
    this.gapRooms.add(name);
    this.#soon();
  }

  noteAdded(name) {
    this.addedRooms.add(name);
    this.#soon();
  }

  #soon() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const names = [...this.gapRooms].filter((n) => this.state.rooms.get(n)?.hasGap);
      const added = [...this.addedRooms].filter((n) => this.state.rooms.has(n));
      this.gapRooms.clear();
      this.addedRooms.clear();
      if (!names.length && !added.length) return;
      this.run([...added, ...names], { countUnread: true }).then(() => {
        // A hole that survives a catch-up means the answer was older than the message beyond it; ask again, a
        // few times, rather than forever.
        for (const n of names) {
          const tries = (this.gapRetries.get(n) || 0) + 1;
          if (this.state.rooms.get(n)?.hasGap && tries <= MAX_GAP_RETRIES) {
            this.gapRetries.set(n, tries);
            this.noteGap(n);
          } else {
            this.gapRetries.delete(n);
          }
        }
      });
    }, SOON_MS);
  }

  async #run(names, countUnread) {
    let cursors = {};
    for (const name of names) {
      const room = this.state.rooms.get(name);
      if (room) cursors[name] = room.cursor;
    }
    const replace = new Set();
    for (let round = 0; round < MAX_ROUNDS && Object.keys(cursors).length; round++) {
      const res = await this.#ask(cursors);
      if (!res) return; // given up while disconnected: the next connect runs catch-up again
      if (res.storeId && this.state.storeId && res.storeId !== this.state.storeId) {
        await this.onStoreReplaced(res.storeId);
        return;
      }
      const next = {};
      for (const [name, answer] of Object.entries(res.rooms || {})) {
        const room = this.state.rooms.get(name);
        if (!room || !answer || answer.error) continue;
        const messages = Array.isArray(answer.messages) ? answer.messages : [];
        if (!answer.complete && room.loaded && messages.length >= LIMIT) {
          // More than a page behind: paging forward through it would show old messages first; the newest page
          // (with "load older" above it) is what the reader wants.
          replace.add(name);
          continue;
        }
        this.state.merge(name, messages, { countUnread });
        if (answer.complete) room.setCursor(answer.lastSeq, answer.lastId);
        else if (messages.length) next[name] = messages[messages.length - 1].id;
      }
      cursors = next;
    }
    for (const name of Object.keys(cursors)) if (this.state.rooms.get(name)?.loaded) replace.add(name);
    for (const name of replace) await this.loadLatest(name);
  }

  async #ask(cursors) {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!this.connection.connected) return null;
      const res = await this.connection.request("catch-up", { rooms: cursors, limit: LIMIT }, 15000);
      if (res.ok) return res;
      if (!TRANSIENT.has(res.error)) return null;
      await sleep(Math.min(5000, 500 * 2 ** attempt));
    }
    return null;
  }
}
