// A reconnect burst against a server that has just started: N official clients at once (polling, then the
// upgrade to WebSocket), each emitting one acknowledged "echo" as soon as it is connected.
// Usage: cold-burst.mjs --url=http://127.0.0.1:PORT [--clients=60] [--within=1000] [--limit=10000]
// Prints one line: {"event":"done","clients":N,"acked":A,"ackedWithin":W,"lastAckMs":T,"disconnects":D,
// "connectErrors":E}; ackedWithin counts the acks that came within --within ms of the burst's start.
import { io } from "socket.io-client";
import { arg, emit, limitRuntime } from "./lib.mjs";

const clients = Number(arg("clients", "60"));
const within = Number(arg("within", "1000"));
const limit = Number(arg("limit", "10000"));
limitRuntime(limit + 5000);

const start = performance.now();
let acked = 0;
let ackedWithin = 0;
let lastAckMs = 0;
let disconnects = 0;
let connectErrors = 0;
const sockets = [];
let finished = false;

function finish() {
  if (finished) return;
  finished = true;
  emit("done", { clients, acked, ackedWithin, lastAckMs: Math.round(lastAckMs), disconnects, connectErrors });
  for (const s of sockets) s.close();
  setTimeout(() => process.exit(0), 50);
}

for (let i = 0; i < clients; i++) {
  const socket = io(arg("url"), { reconnection: false, forceNew: true, timeout: limit });
  sockets.push(socket);
  let done = false;
  socket.on("connect", () => {
    socket.emit("echo", i, () => {
      if (done) return;
      done = true;
      const at = performance.now() - start;
      acked++;
      if (at <= within) ackedWithin++;
      lastAckMs = Math.max(lastAckMs, at);
      if (acked === clients) finish();
    });
  });
  socket.on("disconnect", () => { if (!finished) disconnects++; });
  socket.on("connect_error", () => { connectErrors++; });
}
setTimeout(finish, limit);
