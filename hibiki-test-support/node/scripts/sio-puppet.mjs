// A socket.io-client the Java tests drive (--parser=msgpack: with socket.io-msgpack-parser). It opens --clients
// sockets (each its own connection), reports every
// happening as a JSON line tagged with the client's index, answers acks, and obeys commands:
//   - given on the command line: --do='[cmd, …]', run in order by each client after its first connect;
//   - sent by the server: a "cmd" event whose first argument is a cmd (its ack, if any, gets "ok" once done).
// A cmd is {op, client?} where op is
//   emit       {event, args, ack?, timeout?, tag?}  (ack: report the answer as an "ack" line with the tag)
//   disconnect                                      (socket.disconnect(): "client namespace disconnect")
//   drop                                            (closes the engine connection under the socket: the server
//                                                    sees "transport close", the client "forced close")
//   connect    {target}                             (reconnects client `target` by hand, e.g. after a drop)
//   exit
// and `client`, when present, limits a --do cmd to that client. Binary values travel in JSON as {"$bin": [bytes]}.
// Lines: connect {client, id, recovered, transport}, upgrade {client, transport}, connect_error {client, message, data}, disconnect {client,
// reason}, recv {client, name, args, ack}, ack {client, tag, err, args}, failure {message}.
import { io } from "socket.io-client";
import { emit, arg, limitRuntime, fail } from "./lib.mjs";

limitRuntime(Number(arg("limit", "20000")));
const count = Number(arg("clients", "1"));
const ackMode = arg("ack", "echo"); // echo: answer with the received arguments; silent: never answer
const script = JSON.parse(arg("do", "[]"));
const options = {
  path: arg("path", "/socket.io"),
  transports: arg("transports", "polling,websocket").split(","),
  auth: JSON.parse(arg("auth", "{}")),
  query: JSON.parse(arg("query", "{}")),
  forceNew: true,
  reconnection: arg("reconnect", "false") === "true",
  reconnectionDelay: 50,
  reconnectionDelayMax: 100,
  // In Node, withCredentials gives each client a cookie jar: the polling requests carry the session cookie.
  withCredentials: arg("credentials", "false") === "true",
};
// --parser=msgpack: socket.io-msgpack-parser, as an application using it would pass it.
if (arg("parser", "default") === "msgpack") options.parser = (await import("socket.io-msgpack-parser")).default;
const url = arg("url") + arg("nsp", "/");

function toJson(v) {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { $bin: [...v] };
  if (v instanceof ArrayBuffer) return { $bin: [...new Uint8Array(v)] };
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

function fromJson(v) {
  if (Array.isArray(v)) return v.map(fromJson);
  if (v && typeof v === "object") {
    if (Array.isArray(v.$bin)) return Buffer.from(v.$bin);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromJson(x)]));
  }
  return v;
}

const sockets = [];

async function run(client, c) {
  const socket = sockets[client];
  switch (c.op) {
    case "emit":
      if (!c.ack) {
        socket.emit(c.event, ...fromJson(c.args ?? []));
        return;
      }
      try {
        const answer = await socket.timeout(c.timeout ?? 5000).emitWithAck(c.event, ...fromJson(c.args ?? []));
        emit("ack", { client, tag: c.tag ?? c.event, err: null, args: toJson([answer]) });
      } catch (err) {
        emit("ack", { client, tag: c.tag ?? c.event, err: err.message, args: [] });
      }
      return;
    case "disconnect":
      socket.disconnect();
      return;
    case "drop":
      socket.io.engine.close();
      return;
    case "connect":
      sockets[c.target].connect();
      return;
    case "exit":
      setTimeout(() => process.exit(0), 10);
      return;
    default:
      fail("unknown op " + c.op);
  }
}

for (let client = 0; client < count; client++) {
  const socket = io(url, options);
  sockets.push(socket);
  let first = true;
  socket.io.on("open", () => socket.io.engine.on("upgrade", (t) => emit("upgrade", { client, transport: t.name })));
  socket.on("connect", async () => {
    emit("connect", { client, id: socket.id, recovered: socket.recovered === true,
      transport: socket.io.engine.transport.name });
    if (!first) return;
    first = false;
    for (const c of script) {
      if (c.client === undefined || c.client === client) await run(client, c);
    }
  });
  socket.on("connect_error", (err) => emit("connect_error", { client, message: err.message, data: err.data ?? null }));
  socket.on("disconnect", (reason) => emit("disconnect", { client, reason }));
  socket.onAny((name, ...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    if (name === "cmd") {
      run(client, args[0]).then(() => ack && ack("ok"));
      return;
    }
    emit("recv", { client, name, args: toJson(args), ack: ack !== null });
    if (ack && ackMode === "echo") ack(...args);
  });
}
