// A Node socket.io 4.8 server with @socket.io/redis-adapter and @socket.io/admin-ui's instrument(), for the mixed
// admin UI test. Usage: admin-node-server.mjs --port=N --key=PREFIX --hash=BCRYPT --server-id=ID
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { instrument } from "@socket.io/admin-ui";
import { createClient } from "redis";
import { emit, arg, limitRuntime } from "./lib.mjs";
import { installNodeHandlers } from "./cluster-node-commands.mjs";

limitRuntime(Number(arg("limit", "90000")));
const pub = createClient({ url: "redis://127.0.0.1:6379" });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);
const http = createServer();
const io = new Server(http, { adapter: createAdapter(pub, sub, { key: arg("key"), requestsTimeout: 3000 }),
  cors: { origin: true, credentials: true } });
installNodeHandlers(io);
instrument(io, { auth: { type: "basic", username: "admin", password: arg("hash") }, serverId: arg("server-id"),
  mode: "development" });
http.listen(Number(arg("port")), "127.0.0.1", () => emit("listening", { port: http.address().port }));
