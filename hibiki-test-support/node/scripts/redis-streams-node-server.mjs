// A Node socket.io 4.8 server with @socket.io/redis-streams-adapter 0.3 and connection state recovery,
// controlled by JSON lines on stdin. Usage: redis-streams-node-server.mjs --port=N --key=PREFIX
// Names: stream PREFIX, channels PREFIX#nsp#, session keys PREFIX:session:.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "90000")));
const key = arg("key");
const redis = createClient({ url: "redis://127.0.0.1:6379" });
await redis.connect();
const http = createServer();
const io = new Server(http, {
  adapter: createAdapter(redis, { streamName: key, channelPrefix: key, sessionKeyPrefix: key + ":session:" }),
  connectionStateRecovery: { maxDisconnectionDuration: 60000, skipMiddlewares: true },
});
io.on("connection", (socket) => {
  emit("connection", { id: socket.id, recovered: socket.recovered, rooms: [...socket.rooms] });
  socket.data.origin = "node";
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack("joined");
  });
});
http.listen(Number(arg("port")), "127.0.0.1", () => emit("listening", { port: http.address().port }));

createInterface({ input: process.stdin }).on("line", async (line) => {
  const c = JSON.parse(line);
  try {
    if (c.cmd === "broadcast") {
      io.to(c.room).emit(c.event, ...c.args);
      emit("done", { cmd: c.cmd });
    } else if (c.cmd === "fetch") {
      const sockets = await io.in(c.room).fetchSockets();
      emit("fetched", { sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms] })) });
    } else if (c.cmd === "count") {
      emit("count", { count: await io.of("/").adapter.serverCount() });
    }
  } catch (e) {
    emit("error", { cmd: c.cmd, message: String(e && e.message ? e.message : e) });
  }
});
