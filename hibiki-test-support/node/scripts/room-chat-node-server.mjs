// The seed's room chat as a plain Node socket.io 4.8 server on @socket.io/redis-adapter (Redis at 127.0.0.1:6379):
// what a team already runs, for tests that put a Hibiki instance beside it in one cluster.
// Usage: room-chat-node-server.mjs --key=PREFIX [--limit=MS]; prints listening {port}.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "60000")));
const pub = createClient({ url: "redis://127.0.0.1:6379" });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);

const http = createServer();
const io = new Server(http, { adapter: createAdapter(pub, sub, { key: arg("key", "socket.io") }) });
io.on("connection", (socket) => {
  socket.on("join-room", (room, ack) => {
    socket.join(room);
    io.to(room).emit("user-joined", `User ${socket.id} has joined the room.`);
    if (typeof ack === "function") ack(room);
  });
  socket.on("send-message-to-room", ({ room, message }, ack) => {
    io.to(room).emit("receive-message", { from: socket.id, message });
    if (typeof ack === "function") ack();
  });
});
http.listen(0, "127.0.0.1", () => emit("listening", { port: http.address().port }));
