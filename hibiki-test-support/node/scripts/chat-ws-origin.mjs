// One raw Engine.IO WebSocket handshake (the `ws` package, no Socket.IO client) with a chosen Origin header:
// a new connection, or with --sid the upgrade of a polling session.
// Lines: open {first} with the first frame the server sent (the open packet; for an
// upgrade the answer to the "2probe" it sends), or
// refused {status} when the server answered the upgrade with an HTTP status, or error {message}.
import WebSocket from "ws";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "10000")));
const sid = arg("sid", "");
const target = arg("url").replace(/^http/, "ws") + arg("path", "/socket.io/") + "?EIO=4&transport=websocket"
  + (sid ? "&sid=" + encodeURIComponent(sid) : "");
const origin = arg("origin", "");
const ws = new WebSocket(target, origin ? { headers: { Origin: origin } } : {});
ws.on("open", () => {
  if (sid) ws.send("2probe");
});
ws.on("message", (data) => {
  emit("open", { first: data.toString() });
  ws.close();
  setTimeout(() => process.exit(0), 20);
});
ws.on("unexpected-response", (req, res) => {
  emit("refused", { status: res.statusCode });
  res.resume();
  setTimeout(() => process.exit(0), 20);
});
ws.on("error", (err) => {
  emit("error", { message: err.message });
  setTimeout(() => process.exit(0), 20);
});
