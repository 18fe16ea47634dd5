// What survives a reload, in localStorage. Membership is deliberately not here: the server's snapshot is the only
// source of the room list, so a stale list from an older page can never rejoin or hide a room.

const KEY = {
  userId: "hibiki.userId",
  userToken: "hibiki.userToken",
  nickname: "hibiki.nickname",
  storeId: "hibiki.storeId",
  outbox: "hibiki.outbox",
  current: "hibiki.current",
};
// Written by the previous client, which rejoined rooms itself; left behind they would only mislead.
const LEGACY = ["hibiki.rooms", "hibiki.directNames"];

function read(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, policy): the page works, it just forgets on reload
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined || value === "") localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Quota or policy: losing persistence must not break sending; the in-memory state is still right.
  }
}

export function loadIdentity() {
  return { userId: read(KEY.userId) || "", userToken: read(KEY.userToken) || "", nickname: read(KEY.nickname) || "" };
}

export function saveIdentity({ userId, userToken, nickname }) {
  if (userId !== undefined) write(KEY.userId, userId);
  if (userToken !== undefined) write(KEY.userToken, userToken);
  if (nickname !== undefined) write(KEY.nickname, nickname);
}

export const loadStoreId = () => read(KEY.storeId) || "";
export const saveStoreId = (id) => write(KEY.storeId, id);

export const loadCurrentRoom = () => read(KEY.current) || "";
export const saveCurrentRoom = (room) => write(KEY.current, room);

export function loadOutbox() {
  try {
    const items = JSON.parse(read(KEY.outbox) || "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return []; // a corrupt entry must not keep the page from starting
  }
}

/**
 * Other tabs of the same user keep their queues under the same key: their entries stay unless this page has sent
 * or dropped them (done, a Set of clientIds; pruned here to what is still stored). A reload then finds every
 * tab's unsent messages; one sent by two tabs is stored once (same clientId).
 */
export function saveOutbox(items, done = new Set()) {
  const mine = new Set(items.map((i) => i.clientId));
  const stored = loadOutbox().filter((i) => i && typeof i.clientId === "string");
  const others = stored.filter((i) => !mine.has(i.clientId) && !done.has(i.clientId));
  for (const id of [...done]) if (!stored.some((i) => i.clientId === id)) done.delete(id);
  const all = [...others, ...items];
  write(KEY.outbox, all.length ? JSON.stringify(all) : "");
}

/** After signing out: nothing of the person who used this browser is sent or presented by the next one. */
export function forgetUser() {
  for (const key of [KEY.userId, KEY.userToken, KEY.nickname, KEY.outbox, KEY.current]) write(key, "");
}

export function forgetLegacy() {
  for (const key of LEGACY) write(key, "");
}
