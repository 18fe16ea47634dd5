// Node's socket.io with the setup the conformance tests replay requests against (ConformanceFixture on the Java
// side has the same): pingInterval 300 ms, pingTimeout 200 ms, maxHttpBufferSize 1e6, connectTimeout 1000 ms,
// CORS "*"; the main namespace echoes with an ack, /custom greets each socket that joins it.
// Usage: conformance-server.mjs [--port=0] [--ping-interval=300] [--ping-timeout=200]
// Prints {"event":"listening","port":N}; runs until killed (or the time limit).
import { createServer } from "node:http";
import { Server } from "socket.io";
import { arg, emit, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "300000")));
const http = createServer();
const io = new Server(http, {
  pingInterval: Number(arg("ping-interval", "300")),
  pingTimeout: Number(arg("ping-timeout", "200")),
  maxHttpBufferSize: 1e6,
  connectTimeout: 1000,
  cors: { origin: "*" },
});
io.on("connection", (socket) => {
  socket.on("echo", (data, ack) => {
    if (typeof ack === "function") ack(data);
  });
});
io.of("/custom").on("connection", (socket) => {
  socket.emit("welcome", "custom");
});
http.listen(Number(arg("port", "0")), "127.0.0.1", () => emit("listening", { port: http.address().port }));
