// socket.io-client smoke: connect with auth, emit with ack, receive a room broadcast, disconnect.
import { io } from "socket.io-client";
import { emit, arg, limitRuntime, fail } from "./lib.mjs";

limitRuntime(Number(arg("limit", "20000")));
const socket = io(arg("url"), {
  path: arg("path", "/socket.io"),
  transports: arg("transports", "polling,websocket").split(","),
  auth: { token: arg("token", "t0k3n") },
});
socket.on("connect", () => {
  emit("connect", { id: socket.id });
  socket.timeout(5000).emit("echo", { n: 1 }, Buffer.from([1, 2, 3]), (err, value, binary) => {
    if (err) fail("echo: " + err.message);
    emit("echo", { value, binary: [...binary] });
    socket.emit("join-room", "r1");
  });
});
socket.on("user-joined", (text) => emit("user-joined", { text }));
socket.on("greet", async (name, cb) => cb("hello " + name));
socket.on("bye", () => socket.disconnect());
socket.on("connect_error", (err) => emit("connect_error", { message: err.message, data: err.data ?? null }));
socket.on("disconnect", (reason) => {
  emit("disconnect", { reason });
  setTimeout(() => process.exit(0), 20);
});
