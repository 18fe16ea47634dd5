// Many socket.io-client connections in one process, each checking that the broadcasts numbered 0..count-1 of
// --event arrive exactly once and in order. Lines: ready {clients} once all are connected, then summary
// {clients, perfect, problems} once every client has seen --end (problems: the first few deviations).
import { io } from "socket.io-client";
import { emit, arg, limitRuntime } from "./lib.mjs";

limitRuntime(Number(arg("limit", "60000")));
const clients = Number(arg("clients", "200"));
const expected = Number(arg("count", "50"));
const event = arg("event", "tick");
const end = arg("end", "end");
const options = {
  path: arg("path", "/socket.io"),
  transports: arg("transports", "websocket").split(","),
  forceNew: true,
  reconnection: false,
};

let connected = 0;
let finished = 0;
let perfect = 0;
const problems = [];
const sockets = [];

for (let client = 0; client < clients; client++) {
  const socket = io(arg("url") + "/", options);
  sockets.push(socket);
  const seen = [];
  socket.once("connect", () => {
    if (++connected === clients) emit("ready", { clients });
  });
  socket.on("connect_error", (err) => problems.push(`client ${client}: connect_error ${err.message}`));
  socket.on(event, (n) => seen.push(n));
  socket.on(end, () => {
    const ok = seen.length === expected && seen.every((n, i) => n === i);
    if (ok) perfect++;
    else if (problems.length < 5) problems.push(`client ${client}: got ${JSON.stringify(seen.slice(0, 60))}`);
    if (++finished === clients) {
      emit("summary", { clients, perfect, problems });
      sockets.forEach((s) => s.disconnect());
      setTimeout(() => process.exit(0), 50);
    }
  });
}
