package io.hibiki.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.account.Account;
import io.hibiki.chat.account.AccountIds;
import io.hibiki.chat.account.Accounts;
import io.hibiki.chat.store.ChatMessage;
import io.hibiki.chat.web.SessionCookie;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.socketio.Ack;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat protocol on top of Socket.IO: a thin layer that reads each event's arguments and hands them to the
 * services (membership, messages, presence). Seed events ({@code hello-from-client}, {@code send-message},
 * {@code join-room}, {@code send-message-to-room}) keep the tutorial's names and payloads; the rest extend them.
 * Listeners run on the chat's worker threads (they block on the database). The guarantee they keep together is in
 * {@code docs/chat-delivery.md}.
 */
final class ChatEvents {

    private static final Logger log = LoggerFactory.getLogger(ChatEvents.class);

    private final SocketIoServer io;
    private final MessageStore store;
    private final ChatConfig config;
    private final UserTokens tokens;
    private final Presence presence;
    private final Membership membership;
    private final Messages messages;
    private final String storeId;
    private final Executor workers;
    private final Accounts accounts;
    private final RoomManagement management;
    private final Directory directory;
    private final Moderation moderation;
    private final MessageSearch search;
    private final Reactions reactions;
    /** New identities per address; null when unlimited. */
    private final KeyedRateLimit newUsers;

    ChatEvents(SocketIoServer io, ChatServices services, ChatConfig config, UserTokens tokens, Executor workers,
               Accounts accounts) {
        this.accounts = accounts;
        this.management = services.rooms();
        this.directory = services.directory();
        this.moderation = services.moderation();
        this.search = services.search();
        this.reactions = services.reactions();
        this.io = io;
        this.store = services.store();
        this.config = config;
        this.tokens = tokens;
        this.presence = new Presence(io);
        this.membership = services.membership();
        this.messages = services.messages();
        this.storeId = services.storeId();
        this.workers = workers;
        this.newUsers = config.newUsersPerHourPerIp() > 0
                ? KeyedRateLimit.hourly(config.newUsersPerHourPerIp(), 10_000)
                : null;
    }

    void install() {
        // A nickname that would display as someone else's (invisible or control characters) is refused at the
        // door with a clear reason, rather than quietly changed.
        io.use((socket, next) -> {
            JsonNode auth = socket.handshake().auth();
            // A signed-in browser sends its session cookie with the handshake; other clients put the session's
            // token in auth. A session that has ended is refused rather than quietly turned into a guest.
            String session = SessionCookie.read(socket.handshake().headers().get("cookie"));
            if (session == null) {
                session = text(auth, "sessionToken");
            }
            if (session != null) {
                Optional<Accounts.Authenticated> signedIn = accounts.authenticate(session);
                if (signedIn.isEmpty()) {
                    next.fail("your session has ended; sign in again", Map.of("error", "signed_out"));
                    return;
                }
                Account a = signedIn.get().account();
                socket.data().put("userId", a.userId());
                socket.data().put("nickname", a.displayName());
                socket.data().put("handle", a.handle());
                socket.data().put("admin", a.admin());
                socket.data().put("sessionId", signedIn.get().sessionId());
                next.ok();
                return;
            }
            if (!config.guests()) {
                next.fail("sign in to chat (this server has no guests)", Map.of("error", "auth_required"));
                return;
            }
            if (ChatUser.hasIdentity(auth, tokens) && AccountIds.isAccount(text(auth, "userId"))) {
                // An account's connections come with its session; its user token alone (which uploads use) does
                // not make a guest of it.
                next.fail("sign in to use this account", Map.of("error", "signed_out"));
                return;
            }
            String problem = ChatUser.nicknameProblem(auth == null ? null : text(auth, "nickname"));
            if (problem != null) {
                next.fail(problem, Map.of("error", "invalid_nickname"));
            } else if (newUsers != null && !ChatUser.hasIdentity(auth, tokens)
                    && !newUsers.tryTake(socket.handshake().address())) {
                // Throwaway identities are what floods of DMs and joins are made of: an address gets a few
                // hundred an hour; people who come back present their token and are not counted.
                next.fail("too many new users from your address; try again later", Map.of("error", "rate_limited"));
            } else {
                next.ok();
            }
        });
        io.onConnection(this::onConnection);
    }

    private void onConnection(Socket socket) {
        ChatUser user;
        if ((socket.recovered() || socket.data().get("sessionId") != null)
                && socket.data().get("userId") instanceof String id) {
            user = new ChatUser(id, String.valueOf(socket.data().get("nickname")));
        } else {
            user = ChatUser.from(socket.handshake().auth(), socket.id(), tokens);
            socket.data().put("userId", user.userId());
            socket.data().put("nickname", user.nickname());
        }
        if (socket.data().get("sessionId") instanceof String sessionId) {
            socket.join(Rooms.ofSession(sessionId));
        }
        socket.emit("session", sessionEvent(socket, user, tokens.sign(user.userId())));
        if (!sendSnapshot(socket, user, "connect")) {
            return;
        }
        // The rate limit, its queue and its refusals live on the connection's event loop (SocketIoOptions):
        // events reach these listeners in order, at the connection's rate.
        socket.onError(e -> socket.emit("chat-error", error(e instanceof ChatError c ? c.code() : "refused",
                e.getMessage())));

        socket.on("hello-from-client", (args, ack) ->
                socket.emit("hello-from-server", "Hello from the server! You said: " + args.getString(0)));
        socket.on("send-message", (args, ack) -> handle(socket, ack, () -> {
            JsonNode body = args.get(0);
            return messages.send(user, config.defaultRoom(), text(body, "text"), text(body, "clientId"), body);
        }));
        socket.on("send-message-to-room", (args, ack) -> handle(socket, ack, () -> {
            JsonNode body = args.get(0);
            String room = memberRoom(socket, text(body, "room"));
            String message = text(body, "message") != null ? text(body, "message") : text(body, "text");
            return messages.send(user, room, message, text(body, "clientId"), body);
        }));
        socket.on("join-room", (args, ack) -> handle(socket, ack, () -> {
            String room = Rooms.checkName(args.getString(0));
            boolean added = membership.join(socket, user, room);
            if (added) {
                ChatUser me = current(socket, user);
                io.to(room).emit("user-joined", "User " + me.nickname() + " has joined the room.");
                // The seed's notice names no room; clients in several rooms place this one.
                io.to(room).emit("member-joined", Map.of("room", room, "userId", me.userId(),
                        "nickname", me.nickname()));
                presence.joined(me, List.of(room));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", true);
            answer.put("room", room);
            answer.put("messages", messages.history(room, null, Messages.PAGE));
            answer.put("already", !added);
            return answer;
        }));
        socket.on("leave-room", (args, ack) -> handle(socket, ack, () -> {
            String name = args.getString(0);
            // A direct room can be left too (its other member stays; opening it again brings this user back).
            String room = name != null && Rooms.isConversation(name) ? name : Rooms.checkName(name);
            if (room.equals(config.defaultRoom())) {
                throw new ChatError("invalid_room", "the default room cannot be left");
            }
            if (!membership.leave(socket, user, room)) {
                throw new ChatError("not_in_room", "you are not in that room");
            }
            ChatUser me = current(socket, user);
            io.to(room).emit("user-left", Map.of("room", room, "userId", me.userId(), "nickname", me.nickname()));
            presence.left(me, room);
            return Map.of("ok", true, "room", room);
        }));
        // The seed's room list is now the directory's first page: public rooms only, with member counts.
        socket.on("list-rooms", (args, ack) -> handle(socket, ack, () -> {
            Map<String, Object> page = directory.rooms(null, null);
            return Map.of("ok", true, "rooms", page.get("rooms"));
        }));
        socket.on("react", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            boolean on = q == null || !q.has("on") || q.get("on").asBoolean(true);
            return reactions.react(socket, user, q == null ? -1 : q.path("id").asLong(-1), text(q, "emoji"), on);
        }));
        socket.on("search", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            Long before = q != null && q.path("before").canConvertToLong() ? q.get("before").asLong() : null;
            return search.search(user, text(q, "query"), before);
        }));
        socket.on("room-directory", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            return directory.rooms(text(q, "query"), text(q, "after"));
        }));
        socket.on("user-directory", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            return directory.users(text(q, "query"), text(q, "after"));
        }));
        socket.on("create-room", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String visibility = text(q, "visibility");
            if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
                throw new ChatError("invalid_visibility", "visibility is public or private");
            }
            var info = management.create(socket, user, text(q, "room"), "private".equals(visibility),
                    text(q, "topic"));
            return withOk(RoomManagement.view(info));
        }));
        socket.on("update-room", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            return withOk(RoomManagement.view(management.update(user, text(q, "room"), text(q, "title"),
                    text(q, "topic"))));
        }));
        socket.on("archive-room", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            boolean archived = q == null || !q.has("archived") || q.get("archived").asBoolean(true);
            return withOk(RoomManagement.view(management.archive(user, text(q, "room"), archived)));
        }));
        socket.on("delete-room", (args, ack) -> handle(socket, ack, () -> {
            String room = text(args.get(0), "room");
            management.delete(user, room);
            return Map.of("ok", true, "room", room);
        }));
        socket.on("invite", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            var invitee = management.invite(user, text(q, "room"), text(q, "handle"));
            return Map.of("ok", true, "room", text(q, "room"), "userId", invitee.userId(),
                    "handle", invitee.handle());
        }));
        socket.on("remove-member", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            management.removeMember(user, text(q, "room"), text(q, "userId"));
            return Map.of("ok", true);
        }));
        socket.on("create-group", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            List<String> ids = new ArrayList<>();
            if (q != null && q.path("userIds").isArray()) {
                if (q.get("userIds").size() > RoomManagement.MAX_GROUP) {
                    throw new ChatError("invalid_group", "a group conversation has at most "
                            + RoomManagement.MAX_GROUP + " people");
                }
                q.get("userIds").forEach(n -> ids.add(n.asText()));
            }
            String room = management.createGroup(user, ids, text(q, "title"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", true);
            answer.put("room", room);
            answer.put("messages", List.of());
            return answer;
        }));
        socket.on("suspend-user", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            boolean suspended = q == null || !q.has("suspended") || q.get("suspended").asBoolean(true);
            moderation.suspend(user, text(q, "userId"), suspended);
            return Map.of("ok", true, "userId", text(q, "userId"), "suspended", suspended);
        }));
        socket.on("history", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String room = memberRoom(socket, text(q, "room"));
            Long before = q != null && q.path("before").canConvertToLong() ? q.get("before").asLong() : null;
            int limit = Math.max(1, Math.min(Messages.MAX_PAGE, q == null ? Messages.PAGE : q.path("limit")
                    .asInt(Messages.PAGE)));
            List<Map<String, Object>> page = messages.history(room, before, limit);
            return Map.of("ok", true, "room", room, "messages", page, "hasMore", page.size() == limit);
        }));
        socket.on("sync", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String room = memberRoom(socket, text(q, "room"));
            long after = q == null ? 0 : q.path("after").asLong(0);
            return Map.of("ok", true, "room", room, "messages",
                    messages.views(store.since(room, after, Messages.MAX_PAGE)));
        }));
        socket.on("catch-up", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            int limit = Math.max(1, Math.min(Messages.MAX_PAGE, q == null ? Messages.CATCH_UP_PAGE
                    : q.path("limit").asInt(Messages.CATCH_UP_PAGE)));
            Map<String, Object> rooms = messages.catchUp(q == null ? null : q.get("rooms"), socket.rooms(), limit);
            return Map.of("ok", true, "storeId", storeId, "rooms", rooms);
        }));
        socket.on("presence", (args, ack) -> handle(socket, ack, () -> {
            // presence(room), or presence({room, after}) for the page after a user id.
            JsonNode q = args.get(0);
            String room = memberRoom(socket, q != null && q.isObject() ? text(q, "room") : args.getString(0));
            String after = q != null && q.isObject() ? text(q, "after") : null;
            List<Map<String, Object>> users = presence.users(room, after);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", true);
            answer.put("room", room);
            answer.put("users", users);
            answer.put("hasMore", users.size() == Presence.PAGE);
            return answer;
        }));
        socket.on("typing", (args, ack) -> {
            JsonNode q = args.get(0);
            String room = text(q, "room");
            if (room != null && socket.rooms().contains(room)) {
                socket.to(room).volatileEmit().emit("typing", Map.of("room", room, "userId", user.userId(),
                        "nickname", current(socket, user).nickname(), "typing", q.path("typing").asBoolean(true)));
            }
        });
        socket.on("cursor", (args, ack) -> {
            JsonNode q = args.get(0);
            String room = text(q, "room");
            if (room != null && socket.rooms().contains(room)) {
                socket.to(room).volatileEmit().emit("cursor", Map.of("room", room, "userId", user.userId(),
                        "x", q.path("x").asDouble(), "y", q.path("y").asDouble()));
            }
        });
        socket.on("edit-message", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String text = messages.checkText(text(q, "text"));
            ChatMessage m = store.edit(q == null ? -1 : q.path("id").asLong(-1), user.userId(), text)
                    .orElseThrow(() -> new ChatError("not_found", "no such message of yours"));
            Map<String, Object> view = messages.view(m);
            io.to(m.room()).emit("message-updated", view);
            return Map.of("ok", true, "message", view);
        }));
        socket.on("thread", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            long id = q == null ? -1 : q.path("id").asLong(-1);
            ChatMessage parent = store.find(id).orElseThrow(() -> new ChatError("not_found", "no such message"));
            // A message of a room this socket is not in is answered as if it did not exist.
            if (!socket.rooms().contains(parent.room())) {
                throw new ChatError("not_found", "no such message");
            }
            return messages.thread(parent);
        }));
        socket.on("delete-message", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            ChatMessage m = moderation.deleteMessage(user, q == null ? -1 : q.path("id").asLong(-1));
            return Map.of("ok", true, "id", m.id());
        }));
        socket.on("mark-read", (args, ack) -> handle(socket, ack, () -> {
            JsonNode q = args.get(0);
            String room = memberRoom(socket, text(q, "room"));
            store.markRead(user.userId(), room, q.path("lastId").asLong(0));
            return Map.of("ok", true);
        }));
        socket.on("unread-counts", (args, ack) -> handle(socket, ack, () -> {
            List<String> rooms = socket.rooms().stream().filter(r -> Presence.isChatRoom(socket.id(), r))
                    .sorted().toList();
            return Map.of("ok", true, "counts", store.unreadCounts(user.userId(), rooms));
        }));
        socket.on("direct", (args, ack) -> handle(socket, ack, () -> {
            String other = text(args.get(0), "userId");
            String handle = text(args.get(0), "handle");
            if (other == null && handle != null) {
                // From the directory: anyone with an account, online or not.
                other = directory.userIdOf(handle);
            }
            String room = membership.direct(socket, user, other);
            String peer = Rooms.peerOf(room, user.userId());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", true);
            answer.put("room", room);
            answer.put("peer", Map.of("userId", peer, "nickname", membership.nicknameOf(peer)));
            answer.put("messages", messages.history(room, null, Messages.PAGE));
            return answer;
        }));
        socket.on("revoke-sessions", (args, ack) -> handle(socket, ack, () -> {
            if (socket.data().get("sessionId") instanceof String sessionId) {
                // Signed-in sessions elsewhere end too, or their cookies would simply connect again.
                accounts.endOtherSessions(user.userId(), sessionId);
            }
            membership.revokeOtherSessions(socket, user, tokens);
            return Map.of("ok", true);
        }));
        socket.on("mute-room", (args, ack) -> handle(socket, ack, () -> {
            JsonNode body = args.get(0);
            String room = text(body, "room");
            boolean muted = body == null || !body.has("muted") || body.get("muted").asBoolean(true);
            membership.mute(user, room, muted);
            return Map.of("ok", true, "room", room, "muted", muted);
        }));
        socket.on("block", (args, ack) -> handle(socket, ack, () -> {
            membership.block(socket, user, text(args.get(0), "userId"), true);
            return Map.of("ok", true);
        }));
        socket.on("unblock", (args, ack) -> handle(socket, ack, () -> {
            membership.block(socket, user, text(args.get(0), "userId"), false);
            return Map.of("ok", true);
        }));
        socket.onDisconnecting(reason -> {
            Set<String> rooms = socket.rooms();
            socket.data().put("leftRooms", List.copyOf(rooms));
        });
        socket.onDisconnect(reason -> {
            if (socket.data().get("leftRooms") instanceof List<?> list) {
                presence.disconnected(current(socket, user), list.stream().map(String::valueOf)
                        .filter(r -> Presence.isChatRoom(socket.id(), r)).toList());
            }
        });
        presence.joined(user, socket.rooms().stream().filter(r -> Presence.isChatRoom(socket.id(), r)).toList());
    }

    /**
     * Who the connection is: the user id and the token uploads present, the name shown, and for an account its
     * handle (guests are marked as such).
     */
    static Map<String, Object> sessionEvent(Socket socket, ChatUser user, String userToken) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("userId", user.userId());
        s.put("userToken", userToken);
        s.put("nickname", user.nickname());
        s.put("guest", user.guest());
        if (socket.data().get("handle") instanceof String handle) {
            s.put("handle", handle);
            s.put("admin", Boolean.TRUE.equals(socket.data().get("admin")));
        }
        return s;
    }

    /** The user as the connection knows them now: an account renamed since it opened shows its new name. */
    private static ChatUser current(Socket socket, ChatUser user) {
        return socket.data().get("nickname") instanceof String n ? new ChatUser(user.userId(), n) : user;
    }

    /** An account's new display name, for its connections on this instance (presence and notices use it). */
    void renamedLocally(String userId, String nickname) {
        for (Socket socket : io.sockets().values()) {
            if (userId.equals(socket.data().get("userId"))) {
                socket.data().put("nickname", nickname);
            }
        }
    }

    /**
     * Puts the socket into all of its user's rooms and sends it a snapshot; false (and the socket is disconnected,
     * so that it retries) when that failed: without its rooms a connection would look complete and miss messages.
     */
    private boolean sendSnapshot(Socket socket, ChatUser user, String reason) {
        try {
            Map<String, Object> snapshot = membership.connect(socket, user, storeId);
            snapshot.put("reason", reason);
            socket.emit("snapshot", snapshot);
            return true;
        } catch (ChatError e) {
            socket.emit("chat-error", error(e.code(), e.getMessage()));
            return true;
        } catch (Exception e) {
            log.error("rooms of user {} not restored; disconnecting socket {}", user.userId(), socket.id(), e);
            socket.emit("chat-error", error("server_error", "the server could not restore your rooms; reconnecting"));
            socket.disconnect(true);
            return false;
        }
    }

    /**
     * After a gap in cluster traffic (this instance's Redis link was broken, or a peer's): the room joins other
     * instances asked for and the messages they broadcast may both be lost, so every local socket is put into its
     * user's rooms again from the database and sent a new snapshot, from which its client catches up.
     */
    void resyncAll(String reason) {
        for (Socket socket : io.sockets().values()) {
            if (socket.data().get("userId") instanceof String id) {
                ChatUser user = new ChatUser(id, String.valueOf(socket.data().get("nickname")));
                workers.execute(() -> {
                    if (socket.connected()) {
                        sendSnapshot(socket, user, reason);
                    }
                });
            }
        }
    }

    /** A room the socket has joined (DM rooms included), or an error. */
    private static String memberRoom(Socket socket, String room) throws ChatError {
        if (room == null) {
            throw new ChatError("invalid_room", "room name missing");
        }
        String r = Rooms.isConversation(room) ? room : Rooms.checkName(room);
        if (!socket.rooms().contains(r)) {
            throw new ChatError("not_in_room", "join the room first");
        }
        return r;
    }

    private static Map<String, Object> withOk(Map<String, Object> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.putAll(view);
        return m;
    }

    @FunctionalInterface
    private interface Action {
        Map<String, Object> run() throws Exception;
    }

    /** Runs a request; answers the ack with its result, or with an error (also sent as "chat-error"). */
    private static void handle(Socket socket, Ack ack, Action action) {
        Map<String, Object> answer;
        try {
            answer = action.run();
        } catch (ChatError e) {
            answer = error(e.code(), e.getMessage());
        } catch (Exception e) {
            log.error("request failed for socket {}", socket.id(), e);
            answer = error("server_error", "the server could not complete the request");
        }
        if (ack.requested() || Boolean.TRUE.equals(answer.get("ok"))) {
            ack.send(answer);
        } else {
            socket.emit("chat-error", answer);
        }
    }

    /** What an event refused by the rate limit is answered with (on its ack, or as a chat-error). */
    static Map<String, Object> rateLimited(String event, int queue) {
        Map<String, Object> m = error("rate_limited", "too many events waiting (" + queue + "); slow down");
        m.put("event", event);
        return m;
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    static String text(JsonNode node, String field) {
        JsonNode n = node == null ? null : node.get(field);
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
