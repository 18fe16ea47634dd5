// A socket.io-client that joins a room, reports events with their recovery offsets, and on command hops to
// another server carrying its session ({pid, offset}), as a client of a load-balanced cluster would.
// Usage: sio-recovering-client.mjs --url=http://127.0.0.1:A --room=r ; stdin: {"cmd":"hop","url":"http://127.0.0.1:B"}
import { io } from "socket.io-client";
import { createInterface } from "node:readline";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "60000")));
let socket;
let pid;
let offset;

function open(url, auth) {
  socket = io(url, { transports: ["websocket"], reconnection: false, auth });
  socket.on("connect", async () => {
    pid = socket._pid ?? pid;
    if (!auth) await socket.timeout(5000).emitWithAck("join", arg("room"));
    emit("connected", { id: socket.id, recovered: socket.recovered, pid });
  });
  socket.onAny((event, ...args) => {
    const last = args[args.length - 1];
    if (typeof last === "string" && /^[0-9]+-[0-9]+$/.test(last)) offset = last;
    emit("received", { name: event, args });
  });
  socket.on("connect_error", (e) => emit("connect_error", { message: e.message }));
}

open(arg("url"), undefined);
createInterface({ input: process.stdin }).on("line", (line) => {
  const c = JSON.parse(line);
  if (c.cmd === "drop") {
    // A transport drop (not a client disconnect), so that the server keeps the session for recovery.
    socket.io.engine.close();
    emit("dropped", { pid, offset });
  } else if (c.cmd === "hop") {
    open(c.url, { pid, offset });
  }
});
