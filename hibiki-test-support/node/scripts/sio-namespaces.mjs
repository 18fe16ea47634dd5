// One socket.io-client Manager (one Engine.IO connection) joining several namespaces at once, as an app that
// multiplexes does. Usage: sio-namespaces.mjs --url=http://127.0.0.1:PORT --namespaces=/a,/b,/c
//   [--transports=websocket]
// Lines: connect {nsp, id}, connect_error {nsp, message}, then done {connected, refused} once every namespace has
// answered; disconnect {nsp, reason} afterwards.
import { Manager } from "socket.io-client";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "20000")));
const namespaces = arg("namespaces", "/").split(",");
const manager = new Manager(arg("url"), {
  path: arg("path", "/socket.io"),
  transports: arg("transports", "websocket").split(","),
  reconnection: false,
});
let connected = 0;
let refused = 0;
const answered = () => {
  if (connected + refused === namespaces.length) emit("done", { connected, refused });
};
for (const nsp of namespaces) {
  const socket = manager.socket(nsp);
  socket.once("connect", () => {
    emit("connect", { nsp, id: socket.id });
    connected++;
    answered();
  });
  socket.once("connect_error", (err) => {
    emit("connect_error", { nsp, message: err.message });
    refused++;
    answered();
  });
  socket.on("disconnect", (reason) => emit("disconnect", { nsp, reason }));
  socket.connect();
}
