// A socket.io-client that joins rooms and reports every event it receives; answers "ask" with --answer.
// Usage: sio-listener.mjs --url=http://127.0.0.1:PORT --rooms=a,b --answer=text [--transports=websocket]
import { io } from "socket.io-client";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "60000")));
const rooms = arg("rooms", "").split(",").filter(Boolean);
const socket = io(arg("url"), { transports: arg("transports", "websocket").split(","), path: arg("path", "/socket.io") });
socket.on("connect", async () => {
  for (const room of rooms) await socket.timeout(5000).emitWithAck("join", room);
  emit("ready", { id: socket.id });
});
socket.on("ask", (value, ack) => ack(arg("answer", "yes") + ":" + value));
socket.onAny((event, ...args) => {
  if (event === "ask") return;
  emit("received", { name: event, args: args.map((a) => (Buffer.isBuffer(a) ? { bytes: [...a] } : a)) });
});
socket.on("disconnect", (reason) => emit("disconnect", { reason }));
socket.on("connect_error", (e) => emit("connect_error", { message: e.message }));
