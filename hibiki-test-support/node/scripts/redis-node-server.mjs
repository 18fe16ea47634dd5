// A Node socket.io 4.8 server with @socket.io/redis-adapter, controlled by JSON lines on stdin.
// Usage: redis-node-server.mjs --port=N --key=PREFIX [--adapter=classic|sharded] [--mode=dynamic|static|dynamic-private]
//        [--cluster=HOST:PORT,HOST:PORT,...]
// The classic adapter (createAdapter) is the default; --adapter=sharded uses createShardedAdapter with --key as
// channelPrefix and --mode as subscriptionMode (default dynamic). --cluster connects to a Redis Cluster through
// node-redis's createCluster (seed nodes) instead of the Redis at 127.0.0.1:6379; the emitter command needs a
// single Redis and is not available then.
// Handlers and commands: cluster-node-commands.mjs, plus "emitter" (publishes through @socket.io/redis-emitter).
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { createClient, createCluster } from "redis";
import { emit, arg, limitRuntime } from "./lib.mjs";
import { installNodeHandlers, serveCommands } from "./cluster-node-commands.mjs";

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
installNodeHandlers(io);
const emitter = emitterClient ? new Emitter(emitterClient, { key }) : null;

http.listen(Number(arg("port")), "127.0.0.1", () => emit("listening", { port: http.address().port }));

serveCommands(io, {
  emitter: (c) => {
    emitter.to(c.room).emit(c.event, ...c.args);
    emit("done", { cmd: c.cmd });
  },
});
