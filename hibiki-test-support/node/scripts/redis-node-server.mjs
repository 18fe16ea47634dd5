// A Node socket.io 4.8 server with @socket.io/redis-adapter, controlled by JSON lines on stdin.
// Usage: redis-node-server.mjs --port=N --key=PREFIX [--adapter=classic|sharded] [--mode=dynamic|static|dynamic-private]
//        [--cluster=HOST:PORT,HOST:PORT,...]
// The classic adapter (createAdapter) is the default; --adapter=sharded uses createShardedAdapter with --key as
// channelPrefix and --mode as subscriptionMode (default dynamic). --cluster connects to a Redis Cluster through
// node-redis's createCluster (seed nodes) instead of the Redis at 127.0.0.1:6379; the emitter command needs a
// single Redis and is not available then.
// Client events: "join"(room, ack) joins a room. Commands (stdin): broadcast, fetch, serverSideEmitWithAck,
// emitWithAck, emitter (publishes through @socket.io/redis-emitter), exit. Each command prints a result event.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient, createCluster } from "redis";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "60000")));
const key = arg("key", "socket.io");
const clusterNodes = arg("cluster", "");
const pub = clusterNodes
  ? createCluster({ rootNodes: clusterNodes.split(",").map((hp) => ({ url: "redis://" + hp })) })
  : createClient({ url: "redis://127.0.0.1:6379" });
const sub = pub.duplicate();
const emitterClient = clusterNodes ? null : pub.duplicate();
await Promise.all([pub.connect(), sub.connect(), emitterClient ? emitterClient.connect() : null]);

const http = createServer();
const adapter = arg("adapter", "classic") === "sharded"
  ? createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode: arg("mode", "dynamic") })
  : createAdapter(pub, sub, { key, requestsTimeout: 3000 });
const io = new Server(http, { adapter });
io.on("connection", (socket) => {
  socket.data.origin = "node";
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack("joined");
  });
});
io.on("java-says", (text, ack) => {
  emit("server-side", { text });
  if (typeof ack === "function") ack("node-ack:" + text);
});
const emitter = emitterClient ? new Emitter(emitterClient, { key }) : null;

http.listen(Number(arg("port")), "127.0.0.1", () => emit("listening", { port: http.address().port }));

const rl = createInterface({ input: process.stdin });
rl.on("line", async (line) => {
  const c = JSON.parse(line);
  try {
    if (c.cmd === "broadcast") {
      io.to(c.room).emit(c.event, ...c.args, Buffer.from([7, 8, 9]));
      emit("done", { cmd: c.cmd });
    } else if (c.cmd === "fetch") {
      const sockets = await io.in(c.room).fetchSockets();
      emit("fetched", { sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data })) });
    } else if (c.cmd === "serverSideEmitWithAck") {
      const replies = await io.serverSideEmitWithAck("node-says", c.text);
      emit("server-side-acks", { replies });
    } else if (c.cmd === "emitWithAck") {
      const replies = await io.to(c.room).timeout(3000).emitWithAck("ask", "from-node");
      emit("acks", { replies });
    } else if (c.cmd === "count") {
      emit("count", { count: await io.of("/").adapter.serverCount() });
    } else if (c.cmd === "emitter") {
      emitter.to(c.room).emit(c.event, ...c.args);
      emit("done", { cmd: c.cmd });
    } else if (c.cmd === "socketsJoin") {
      io.in(c.room).socketsJoin(c.target);
      emit("done", { cmd: c.cmd });
    } else if (c.cmd === "exit") {
      process.exit(0);
    }
  } catch (e) {
    emit("error", { cmd: c.cmd, message: String(e && e.message ? e.message : e) });
  }
});
