// What the admin UI does on the wire, scripted: a socket.io-client on the admin namespace that signs in with
// --username/--password (or --session), reports every event it receives, and sends the UI's commands read as JSON
// lines on stdin: {"cmd":"emit"|"join"|"leave"|"_disconnect","args":[...]}.
// Usage: admin-ui-client.mjs --url=http://127.0.0.1:PORT/admin [--username=U --password=P | --session=ID]
import { createInterface } from "node:readline";
import { io } from "socket.io-client";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "60000")));
const auth = arg("session") ? { sessionId: arg("session") } : { username: arg("username"), password: arg("password") };
const socket = io(arg("url"), { transports: ["websocket"], auth, reconnection: false });
socket.on("connect", () => emit("connected", { id: socket.id }));
socket.on("connect_error", (e) => emit("connect_error", { message: e.message }));
socket.on("disconnect", (reason) => emit("disconnect", { reason }));
socket.onAny((event, ...args) => emit("received", { name: event, args }));
createInterface({ input: process.stdin }).on("line", (line) => {
  const c = JSON.parse(line);
  socket.emit(c.cmd, ...c.args);
  emit("sent", { cmd: c.cmd });
});
