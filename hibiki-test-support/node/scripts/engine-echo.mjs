// Drives the official engine.io-client against an echo server: N text and N binary messages each way, in order.
// Usage: engine-echo.mjs --url=http://127.0.0.1:PORT --transports=polling,websocket --count=1000 [--pings=1]
import { Socket } from "engine.io-client";
import { emit, arg, limitRuntime, fail } from "./lib.mjs";

limitRuntime(Number(arg("limit", "30000")));
const url = arg("url");
const transports = arg("transports", "polling,websocket").split(",");
const count = Number(arg("count", "1000"));
const wantPings = Number(arg("pings", "0"));
const path = arg("path", "/engine.io");

const socket = new Socket(url, { transports, path, upgrade: transports.length > 1 });
let pings = 0;
let upgraded = false;
let texts = 0;
let binaries = 0;
let sent = false;

socket.on("open", () => {
  emit("open", { sid: socket.id, transport: socket.transport.name });
  if (transports.length === 1) start();
});
socket.on("upgrade", (t) => {
  upgraded = true;
  emit("upgrade", { transport: t.name });
});
socket.on("ping", () => {
  pings++;
  maybeDone();
});
socket.on("error", (e) => fail("error: " + e));
socket.on("close", (reason, desc) => emit("close", { reason, description: String(desc ?? "") }));

if (transports.length > 1) {
  // Start sending only after the switch, and also while it is in progress, to catch lost packets.
  socket.on("upgrading", () => start());
}

function start() {
  if (sent) return;
  sent = true;
  for (let i = 0; i < count; i++) {
    socket.send("text-" + i);
    const buf = Buffer.alloc(4 + (i % 64));
    buf.writeUInt32BE(i, 0);
    socket.send(buf);
  }
}

socket.on("message", (data) => {
  if (typeof data === "string") {
    if (data !== "text-" + texts) fail(`text out of order: got ${data}, expected text-${texts}`);
    texts++;
  } else {
    const buf = Buffer.from(data);
    const n = buf.readUInt32BE(0);
    if (n !== binaries || buf.length !== 4 + (n % 64)) fail(`binary out of order: got ${n}, expected ${binaries}`);
    binaries++;
  }
  maybeDone();
});

function maybeDone() {
  if (texts === count && binaries === count && pings >= wantPings) {
    emit("done", { texts, binaries, pings, transport: socket.transport.name, upgraded });
    socket.close();
    setTimeout(() => process.exit(0), 50);
  }
}
