package io.hibiki.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.store.ChatMessage;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.socketio.Ack;
import io.hibiki.socketio.RemoteSocket;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.socketio.TokenBucket;
import io.hibiki.socketio.TooManyRoomsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat protocol on top of Socket.IO. Seed events ({@code hello-from-client}, {@code send-message},
 * {@code join-room}, {@code send-message-to-room}) keep the tutorial's names and payloads; the rest extend them.
 * Every message is persisted before it is broadcast, and the sender's ack carries its server id.
 * Listeners run on the chat's worker threads (they block on the database).
 */
final class ChatEvents {

    private static final Logger log = LoggerFactory.getLogger(ChatEvents.class);
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern UPLOAD_URL = Pattern.compile("/uploads/[A-Za-z0-9_-]{16,64}\\.[a-z0-9]{1,5}");
    private static final int PAGE = 50;
    private static final int MAX_PAGE = 200;

    private final SocketIoServer io;
    private final MessageStore store;
    private final ChatConfig config;
    private final UserTokens tokens;
    private final Presence presence;

    ChatEvents(SocketIoServer io, MessageStore store, ChatConfig config, UserTokens tokens) {
        this.io = io;
        this.store = store;
        this.config = config;
        this.tokens = tokens;
        this.presence = new Presence(io);
    }

    void install() {
        io.onConnection(this::onConnection);
    }

    private void onConnection(Socket socket) {
        ChatUser user;
        if (socket.recovered() && socket.data().get("userId") instanceof String id) {
            user = new ChatUser(id, String.valueOf(socket.data().get("nickname")));
        } else {
            user = ChatUser.from(socket.handshake().auth(), socket.id(), tokens);
            socket.data().put("userId", user.userId());
            socket.data().put("nickname", user.nickname());
            socket.join(config.defaultRoom(), Rooms.ofUser(user.userId()));
        }
        socket.emit("session", Map.of("userId", user.userId(), "userToken", tokens.sign(user.userId()),
                "nickname", user.nickname()));
        RateLimitedListeners listeners = new RateLimitedListeners(socket,
                new TokenBucket(config.eventsPerSecond(), config.eventBurst()));
        socket.onError(e -> socket.emit("chat-error", error(e instanceof ChatError c ? c.code() : "refused",
                e.getMessage())));

        listeners.on("hello-from-client", (args, ack) ->
                socket.emit("hello-from-server", "Hello from the server! You said: " + args.getString(0)));
        listeners.on("send-message", (args, ack) -> handle(socket, ack, () -> {
            JsonNode body = args.get(0);
            return send(socket, user, config.defaultRoom(), text(body, "text"), text(body, "clientId"), body);
        }));
        listeners.on("send-message-to-room", (args, ack) -> handle(socket, ack, () -> {
            JsonNode body = args.get(0);
            String room = memberRoom(socket, text(body, "room"));
            String message = text(body, "message") != null ? text(body, "message") : text(body, "text");
            return send(socket, user, room, message, text(body, "clientId"), body);
        }));
        listeners.on("join-room", (args, ack) -> handle(socket, ack, () -> {
            String room = Rooms.checkName(args.getString(0));
            if (io.sockets().containsKey(room)) {
                // Every socket is alone in the room named by its id; joining it would let anyone push into it.
                throw new ChatError("invalid_room", "that name is reserved");
            }
            try {
                socket.join(room);
            } catch (TooManyRoomsException e) {
                throw new ChatError("too_many_rooms", "leave a room before joining another");
            }
            io.to(room).emit("user-joined", "User " + user.nickname() + " has joined the room.");
            presence.broadcast(room);
            return Map.of("ok", true, "room", room, "messages", views(store.history(room, null, PAGE)));
        }));
        listeners.on("leave-room", (args, ack) -> handle(socket, ack, () -> {
            String room = Rooms.checkName(args.getString(0));
            if (room.equals(config.defaultRoom())) {
                throw new ChatError("invalid_room", "the default room cannot be left");
            }
            socket.leave(room);
            io.to(room).emit("user-left", Map.of("room", room, "userId", user.userId(), "nickname", user.nickname()));
            presence.broadcast(room);
            return Map.of("ok", true, "room", room);
        }));
        listeners.on("list-rooms", (args, ack) -> handle(socket, ack, () -> Map.of("ok", true, "rooms", roomList())));
        listeners.on("history", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String room = memberRoom(socket, text(q, "room"));
            Long before = q != null && q.path("before").canConvertToLong() ? q.get("before").asLong() : null;
            int limit = Math.max(1, Math.min(MAX_PAGE, q == null ? PAGE : q.path("limit").asInt(PAGE)));
            List<ChatMessage> page = store.history(room, before, limit);
            return Map.of("ok", true, "room", room, "messages", views(page), "hasMore", page.size() == limit);
        }));
        listeners.on("sync", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String room = memberRoom(socket, text(q, "room"));
            long after = q == null ? 0 : q.path("after").asLong(0);
            return Map.of("ok", true, "room", room, "messages", views(store.since(room, after, MAX_PAGE)));
        }));
        listeners.on("presence", (args, ack) -> handle(socket, ack, () -> {
            String room = memberRoom(socket, args.getString(0));
            return Map.of("ok", true, "room", room, "users", presence.users(room));
        }));
        listeners.on("typing", (args, ack) -> {
            JsonNode q = args.get(0);
            String room = text(q, "room");
            if (room != null && socket.rooms().contains(room)) {
                socket.to(room).volatileEmit().emit("typing", Map.of("room", room, "userId", user.userId(),
                        "nickname", user.nickname(), "typing", q.path("typing").asBoolean(true)));
            }
        });
        listeners.on("cursor", (args, ack) -> {
            JsonNode q = args.get(0);
            String room = text(q, "room");
            if (room != null && socket.rooms().contains(room)) {
                socket.to(room).volatileEmit().emit("cursor", Map.of("room", room, "userId", user.userId(),
                        "x", q.path("x").asDouble(), "y", q.path("y").asDouble()));
            }
        });
        listeners.on("edit-message", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String text = checkText(text(q, "text"));
            ChatMessage m = store.edit(q == null ? -1 : q.path("id").asLong(-1), user.userId(), text)
                    .orElseThrow(() -> new ChatError("not_found", "no such message of yours"));
            io.to(m.room()).emit("message-updated", MessageView.of(m));
            return Map.of("ok", true, "message", MessageView.of(m));
        }));
        listeners.on("delete-message", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            ChatMessage m = store.delete(q == null ? -1 : q.path("id").asLong(-1), user.userId())
                    .orElseThrow(() -> new ChatError("not_found", "no such message of yours"));
            io.to(m.room()).emit("message-deleted", Map.of("id", m.id(), "room", m.room()));
            return Map.of("ok", true, "id", m.id());
        }));
        listeners.on("mark-read", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String room = memberRoom(socket, text(q, "room"));
            store.markRead(user.userId(), room, q.path("lastId").asLong(0));
            return Map.of("ok", true);
        }));
        listeners.on("unread-counts", (args, ack) -> handle(socket, ack, () -> {
            List<String> rooms = socket.rooms().stream().filter(r -> Presence.isChatRoom(socket.id(), r))
                    .sorted().toList();
            return Map.of("ok", true, "counts", store.unreadCounts(user.userId(), rooms));
        }));
        listeners.on("direct", (args, ack) -> handle(socket, ack, () -> {
            String other = text(args.get(0), "userId");
            if (other == null || other.equals(user.userId()) || !other.matches("[A-Za-z0-9_-]{8,64}")) {
                throw new ChatError("invalid_user", "no such user");
            }
            String room = Rooms.direct(user.userId(), other);
            io.in(Rooms.ofUser(user.userId()), Rooms.ofUser(other)).socketsJoin(room);
            return Map.of("ok", true, "room", room, "messages", views(store.history(room, null, PAGE)));
        }));
        socket.onDisconnecting(reason -> {
            Set<String> rooms = socket.rooms();
            socket.data().put("leftRooms", List.copyOf(rooms));
        });
        socket.onDisconnect(reason -> {
            Object rooms = socket.data().get("leftRooms");
            if (rooms instanceof List<?> list) {
                for (Object r : list) {
                    String room = String.valueOf(r);
                    if (Presence.isChatRoom(socket.id(), room)) {
                        presence.broadcast(room);
                    }
                }
            }
        });
        // A new connection is in the default room; a recovered one is back in all its rooms, where its
        // disconnection was announced: tell each of them.
        for (String room : socket.rooms()) {
            if (Presence.isChatRoom(socket.id(), room)) {
                presence.broadcast(room);
            }
        }
    }

    /** Persist, then broadcast, then answer: an acked message is durable and everyone saw the same id. */
    private Map<String, Object> send(Socket socket, ChatUser user, String room, String text, String clientId,
                                     JsonNode body) throws Exception {
        ChatMessage.Attachment attachment = attachment(body);
        String checked = attachment != null && (text == null || text.isBlank()) ? "" : checkText(text);
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw new ChatError("invalid_client_id", "clientId is 1-64 letters, digits, '_' or '-'");
        }
        MessageStore.Appended result = store.append(room, clientId, user.nickname(), user.userId(), checked,
                attachment, System.currentTimeMillis());
        Map<String, Object> view = MessageView.of(result.message());
        if (result.created()) {
            io.to(room).emit("receive-message", view);
        }
        return Map.of("ok", true, "id", result.message().id(), "timestamp", result.message().timestamp(),
                "duplicate", !result.created());
    }

    private ChatMessage.Attachment attachment(JsonNode body) throws ChatError {
        JsonNode a = body == null ? null : body.get("attachment");
        if (a == null || a.isNull()) {
            return null;
        }
        String url = text(a, "url");
        if (url == null || !UPLOAD_URL.matcher(url).matches()) {
            throw new ChatError("invalid_attachment", "attachments must be URLs returned by /api/uploads");
        }
        String name = text(a, "name");
        String type = text(a, "type");
        return new ChatMessage.Attachment(url, name == null ? "file" : truncate(name, 200),
                type == null ? "application/octet-stream" : truncate(type, 100), a.path("size").asLong(0));
    }

    private String checkText(String text) throws ChatError {
        if (text == null || text.isBlank()) {
            throw new ChatError("empty_message", "message text is empty");
        }
        if (text.length() > config.maxMessageChars()) {
            throw new ChatError("message_too_long", "messages are at most " + config.maxMessageChars() + " characters");
        }
        return text;
    }

    /** A room the socket has joined (DM rooms included), or an error. */
    private String memberRoom(Socket socket, String room) throws ChatError {
        if (room == null) {
            throw new ChatError("invalid_room", "room name missing");
        }
        String r = Rooms.isDirect(room) ? room : Rooms.checkName(room);
        if (!socket.rooms().contains(r)) {
            throw new ChatError("not_in_room", "join the room first");
        }
        return r;
    }

    private List<Map<String, Object>> roomList() throws Exception {
        Map<String, Integer> members = new TreeMap<>();
        for (RemoteSocket s : io.fetchSockets().get()) {
            for (String r : s.rooms()) {
                if (!r.equals(s.id()) && !r.startsWith("user:") && !Rooms.isDirect(r)) {
                    members.merge(r, 1, Integer::sum);
                }
            }
        }
        for (String r : store.roomsWithMessages(500).keySet()) {
            members.putIfAbsent(r, 0);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        members.forEach((room, count) -> out.add(Map.of("room", room, "members", count)));
        return out;
    }

    private static List<Map<String, Object>> views(List<ChatMessage> messages) {
        return messages.stream().map(MessageView::of).toList();
    }

    @FunctionalInterface
    private interface Action {
        Map<String, Object> run() throws Exception;
    }

    /** Runs a request; answers the ack with its result, or with an error (also sent as "chat-error"). */
    private void handle(Socket socket, Ack ack, Action action) {
        try {
            Map<String, Object> result = action.run();
            ack.send(result);
        } catch (ChatError e) {
            Map<String, Object> err = error(e.code(), e.getMessage());
            if (ack.requested()) {
                ack.send(err);
            } else {
                socket.emit("chat-error", err);
            }
        } catch (Exception e) {
            log.error("request failed for socket {}", socket.id(), e);
            Map<String, Object> err = error("server_error", "the server could not complete the request");
            if (ack.requested()) {
                ack.send(err);
            } else {
                socket.emit("chat-error", err);
            }
        }
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    private static String text(JsonNode node, String field) {
        JsonNode n = node == null ? null : node.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static String truncate(String s, int max) {
        return ChatUser.truncate(s, max);
    }
}
