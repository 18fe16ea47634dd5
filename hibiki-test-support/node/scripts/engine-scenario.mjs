// Single-purpose engine.io-client behaviours for the server's tests.
// --scenario=silent     : stop answering pings after open (the server must close with "ping timeout")
// --scenario=wait-close : connect and report how the session ends (the server closes it)
// --scenario=big        : send one message of --size bytes and report the close
import { Socket } from "engine.io-client";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "20000")));
const scenario = arg("scenario");
const transports = arg("transports", "websocket").split(",");
const socket = new Socket(arg("url"), {
  transports,
  path: arg("path", "/engine.io"),
  upgrade: false,
  extraHeaders: arg("origin") ? { origin: arg("origin") } : {},
});

socket.on("open", () => {
  emit("open", { sid: socket.id, transport: socket.transport.name });
  if (scenario === "silent") {
    const original = socket._sendPacket.bind(socket);
    socket._sendPacket = (type, ...rest) => (type === "pong" ? undefined : original(type, ...rest));
  } else if (scenario === "big") {
    socket.send("x".repeat(Number(arg("size", "2000000"))));
  }
});
socket.on("message", (data) => emit("message", { data: String(data) }));
socket.on("error", (e) => emit("error", { message: String(e && e.message ? e.message : e) }));
socket.on("close", (reason, desc) => {
  emit("close", { reason, description: String(desc && desc.message ? desc.message : desc ?? "") });
  setTimeout(() => process.exit(0), 20);
});
