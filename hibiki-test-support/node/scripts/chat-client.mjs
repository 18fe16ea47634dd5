// Socket.IO clients for the chat tests, driven by commands on stdin (one JSON object per line). Every line it
// prints carries a sequence number `seq`, so a test can wait for something that happens after a given point.
// Commands ({op, c} where c names a client):
//   open       {c, path?, addTrailingSlash?, auth?, transports?, reconnection?, extraHeaders?}  a new connection c
//   emit       {c, event, args, ack?, tag?, timeout?, repeat?}  (ack: the answer is reported as an "ack" line;
//              with repeat, "%i" in a string argument becomes the repetition's number, from 0)
//   drop       {c}   the engine connection closes under the socket (socket.io.engine.close(): "transport close")
//   connect    {c}   reconnects by hand (after a drop with reconnection off: connection state recovery applies)
//   disconnect {c}   socket.disconnect()
//   mark       {tag} prints a "mark" line: a point in the sequence
//   exit
// Lines: connect {c, n, id, recovered}, connect_error {c, message}, disconnect {c, reason},
// recv {c, name, args}, ack {c, tag, err, value}, mark {tag}, failure {message}.
import { io } from "socket.io-client";
import readline from "node:readline";
import { emit as print, arg, limitRuntime, fail } from "./lib.mjs";

limitRuntime(Number(arg("limit", "60000")));
const url = arg("url");
const sockets = new Map();
let seq = 0;

function line(event, fields) {
  print(event, { seq: ++seq, ...fields });
}

function open(c) {
  if (sockets.has(c.c)) fail("client " + c.c + " is already open");
  const socket = io(url, {
    path: c.path ?? "/socket.io",
    // The client adds "/" to the path unless told not to: a path without one is then requested as written.
    addTrailingSlash: c.addTrailingSlash ?? true,
    transports: c.transports ?? ["websocket"],
    auth: c.auth ?? {},
    extraHeaders: c.extraHeaders,
    forceNew: true,
    reconnection: c.reconnection ?? false,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
  });
  sockets.set(c.c, socket);
  let connects = 0;
  socket.on("connect", () =>
    line("connect", { c: c.c, n: ++connects, id: socket.id, recovered: socket.recovered === true }));
  socket.on("connect_error", (err) => line("connect_error", { c: c.c, message: err.message, data: err.data }));
  socket.on("disconnect", (reason) => line("disconnect", { c: c.c, reason }));
  socket.onAny((name, ...args) => line("recv", { c: c.c, name, args }));
}

function socketOf(c) {
  const socket = sockets.get(c.c);
  if (!socket) fail("no client " + c.c);
  return socket;
}

async function run(c) {
  switch (c.op) {
    case "open":
      open(c);
      return;
    case "emit": {
      const socket = socketOf(c);
      const template = JSON.stringify(c.args ?? []);
      for (let i = 0; i < (c.repeat ?? 1); i++) {
        const args = c.repeat ? JSON.parse(template.replaceAll("%i", String(i))) : (c.args ?? []);
        if (!c.ack) {
          socket.emit(c.event, ...args);
          continue;
        }
        socket.timeout(c.timeout ?? 5000).emitWithAck(c.event, ...args)
          .then((value) => line("ack", { c: c.c, tag: c.tag, i, err: null, value }))
          .catch((err) => line("ack", { c: c.c, tag: c.tag, i, err: err.message, value: null }));
      }
      return;
    }
    case "drop":
      socketOf(c).io.engine.close();
      return;
    case "connect":
      socketOf(c).connect();
      return;
    case "disconnect":
      socketOf(c).disconnect();
      return;
    case "mark":
      line("mark", { tag: c.tag });
      return;
    case "exit":
      for (const s of sockets.values()) s.disconnect();
      setTimeout(() => process.exit(0), 20);
      return;
    default:
      fail("unknown op " + c.op);
  }
}

const input = readline.createInterface({ input: process.stdin });
input.on("line", (text) => {
  if (!text.trim()) return;
  let command;
  try {
    command = JSON.parse(text);
  } catch (e) {
    fail("not JSON: " + text);
  }
  run(command).catch((e) => fail(String(e && e.stack ? e.stack : e)));
});
// The test process went away: end with it.
input.on("close", () => {
  for (const s of sockets.values()) s.disconnect();
  setTimeout(() => process.exit(0), 20);
});
