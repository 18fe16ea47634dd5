// The Node reference for the benchmarks: socket.io 4.8 with the same handlers as Hibiki's BenchServer.
// Usage: bench-node-server.mjs --port=N [--redis=redis://127.0.0.1:6379 | --postgres=postgres://user@host/db]
//        [--key=prefix] [--deflate]
//   [--ping-interval=25000 --ping-timeout=20000] [--tls-cert=PEM --tls-key=PEM (HTTPS, as node:https does it)]
import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { readFileSync } from "node:fs";
import { Server } from "socket.io";
import { arg, emit } from "./lib.mjs";

const http = arg("tls-cert")
  ? createTlsServer({ cert: readFileSync(arg("tls-cert")), key: readFileSync(arg("tls-key")), ALPNProtocols: ["http/1.1"] })
  : createServer();
const options = {
  maxHttpBufferSize: 1e6,
  perMessageDeflate: process.argv.includes("--deflate"),
  pingInterval: Number(arg("ping-interval", "25000")),
  pingTimeout: Number(arg("ping-timeout", "20000")),
};
if (arg("redis")) {
  const { createClient } = await import("redis");
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const pub = createClient({ url: arg("redis") });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  options.adapter = createAdapter(pub, sub, { key: arg("key", "bench") });
}
if (arg("postgres")) {
  const { default: pg } = await import("pg");
  const { createAdapter } = await import("@socket.io/postgres-adapter");
  const pool = new pg.Pool({ connectionString: arg("postgres"), max: 4 });
  options.adapter = createAdapter(pool, { channelPrefix: arg("key", "bench") });
}
const io = new Server(http, options);
io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack("ok");
  });
  socket.on("to-room", (body) => io.to(body.room).emit("msg", body.payload));
  socket.on("echo", (data, ack) => ack(data));
});
http.listen(Number(arg("port", "0")), "127.0.0.1", () => emit("listening", { port: http.address().port }));
