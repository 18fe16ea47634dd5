// A Node socket.io 4.8 server with @socket.io/postgres-adapter 0.5 on a pg Pool, controlled by JSON lines on stdin
// (handlers and commands: cluster-node-commands.mjs).
// Usage: postgres-node-server.mjs --port=N --db=postgres://user@127.0.0.1:5432/db --prefix=CHANNEL_PREFIX
//        [--table=socket_io_attachments]
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/postgres-adapter";
import pg from "pg";
import { emit, arg, limitRuntime } from "./lib.mjs";
import { installNodeHandlers, serveCommands } from "./cluster-node-commands.mjs";

limitRuntime(Number(arg("limit", "90000")));
const pool = new pg.Pool({ connectionString: arg("db"), max: 4 });
const http = createServer();
const io = new Server(http, {
  adapter: createAdapter(pool, {
    channelPrefix: arg("prefix", "socket.io"),
    tableName: arg("table", "socket_io_attachments"),
    errorHandler: (e) => emit("adapter-error", { message: String(e && e.message ? e.message : e) }),
  }),
});
installNodeHandlers(io);
http.listen(Number(arg("port")), "127.0.0.1", () => emit("listening", { port: http.address().port }));
serveCommands(io, {
  serverSideEmit: (c) => {
    io.serverSideEmit("node-says", c.text);
    emit("done", { cmd: c.cmd });
  },
});
