// What every Node cluster node of the interop tests does, whatever its adapter: client "join"(room, ack) joins a
// room, socket.data.origin is "node", server-side "java-says" is answered with "node-ack:<text>"; and the commands
// read as JSON lines on stdin (broadcast (with a Buffer [7, 8, 9] appended unless "binary": false), fetch, serverSideEmitWithAck, emitWithAck, count, socketsJoin,
// disconnect, exit, plus the caller's own), each printing a result event.
import { createInterface } from "node:readline";
import { emit } from "./lib.mjs";

export function installNodeHandlers(io) {
  io.on("connection", (socket) => {
    socket.data.origin = "node";
    socket.on("join", (room, ack) => {
      socket.join(room);
      if (typeof ack === "function") ack("joined");
    });
  });
  io.on("java-says", (text, ack) => {
    emit("server-side", { text });
    if (typeof ack === "function") ack("node-ack:" + text);
  });
}

export function serveCommands(io, extra = {}) {
  createInterface({ input: process.stdin }).on("line", async (line) => {
    const c = JSON.parse(line);
    try {
      if (c.cmd === "broadcast") {
        io.to(c.room).emit(c.event, ...c.args, ...(c.binary === false ? [] : [Buffer.from([7, 8, 9])]));
        emit("done", { cmd: c.cmd });
      } else if (c.cmd === "fetch") {
        const sockets = await io.in(c.room).fetchSockets();
        emit("fetched", { sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data })) });
      } else if (c.cmd === "serverSideEmitWithAck") {
        const replies = await io.serverSideEmitWithAck("node-says", c.text);
        emit("server-side-acks", { replies });
      } else if (c.cmd === "emitWithAck") {
        const replies = await io.to(c.room).timeout(3000).emitWithAck("ask", "from-node");
        emit("acks", { replies });
      } else if (c.cmd === "count") {
        emit("count", { count: await io.of("/").adapter.serverCount() });
      } else if (c.cmd === "socketsJoin") {
        io.in(c.room).socketsJoin(c.target);
        emit("done", { cmd: c.cmd });
      } else if (c.cmd === "disconnect") {
        io.in(c.room).disconnectSockets(true);
        emit("done", { cmd: c.cmd });
      } else if (c.cmd === "exit") {
        process.exit(0);
      } else if (extra[c.cmd]) {
        await extra[c.cmd](c);
      }
    } catch (e) {
      emit("error", { cmd: c.cmd, message: String(e && e.message ? e.message : e) });
    }
  });
}
