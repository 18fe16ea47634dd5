package io.hibiki.chat;

import io.hibiki.chat.store.MessageStore;
import io.hibiki.chat.store.RoomStore;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import io.hibiki.socketio.TooManyRoomsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in which room, kept in the database and applied to sockets: on connect a socket is put into all of its
 * user's rooms at once; joining, leaving and direct conversations change the table first, then every socket of
 * the users concerned, on every instance (through the adapter's {@code socketsJoin}/{@code socketsLeave}).
 */
final class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final SocketIoServer io;
    private final RoomStore rooms;
    private final MessageStore messages;
    private final ChatConfig config;
    /** Direct conversations a user may open with people not yet in them: a burst of 20, then one every 30 s. */
    private final KeyedRateLimit newConversations = new KeyedRateLimit(1.0 / 30, 20, 10_000);
    /** The same across every user of one address; null when unlimited. */
    private final KeyedRateLimit newConversationsByAddress;

    Membership(SocketIoServer io, RoomStore rooms, MessageStore messages, ChatConfig config) {
        this.io = io;
        this.rooms = rooms;
        this.messages = messages;
        this.config = config;
        int perHour = config.newConversationsPerHourPerIp();
        this.newConversationsByAddress = perHour > 0 ? KeyedRateLimit.hourly(perHour, 10_000) : null;
    }

    /**
     * Mutes (or unmutes) a room or direct conversation for this user: it stays, its messages still come, and the
     * user's clients stop calling attention to it. Every tab of the user hears of it ({@code room-updated}).
     */
    void mute(ChatUser user, String room, boolean muted) throws Exception {
        if (room == null || !rooms.setMuted(user.userId(), room, muted)) {
            throw new ChatError("not_in_room", "you are not in " + room);
        }
        io.to(Rooms.ofUser(user.userId())).emit("room-updated", Map.of("room", room, "muted", muted));
    }

    /** Blocks (or unblocks) a user: they can no longer open a direct room with this user; leaves the one they share. */
    void block(Socket socket, ChatUser user, String otherId, boolean block) throws Exception {
        if (otherId == null || otherId.equals(user.userId()) || !ChatUser.isValidId(otherId)) {
            throw new ChatError("invalid_user", "no such user");
        }
        rooms.block(user.userId(), otherId, block, System.currentTimeMillis());
        if (block) {
            leave(socket, user, Rooms.direct(user.userId(), otherId));
        }
    }

    /** The most rooms one user can be a member of (the socket also needs its own room and its user's room). */
    int maxRooms() {
        return config.maxRoomsPerUser();
    }

    /**
     * Puts a new connection into all of its user's rooms in one step and returns the snapshot it is sent: every
     * room with its last id and sequence number and the user's unread count. Joining comes first, so anything
     * sent after the snapshot's figures reaches the socket live.
     */
    Map<String, Object> connect(Socket socket, ChatUser user, String storeId) throws Exception {
        long now = System.currentTimeMillis();
        seen(user, now);
        // As many as a socket may be in, less its own room, its user's room, its session's room and the default
        // room: the user's own
        // rooms first, then conversations others opened, newest first.
        List<RoomStore.Member> member = rooms.roomsOf(user.userId(), io.options().maxRoomsPerSocket() - 4);
        Set<String> names = new LinkedHashSet<>();
        names.add(config.defaultRoom());
        member.forEach(m -> names.add(m.room()));
        List<String> join = new ArrayList<>(names);
        join.add(Rooms.ofUser(user.userId()));
        try {
            socket.join(join);
        } catch (TooManyRoomsException e) {
            // maxRoomsPerUser is below the socket limit; only a lowered socket limit gets here.
            log.warn("user {} has more rooms than a socket may join; joining none of {}", user.userId(), names.size());
            throw new ChatError("too_many_rooms", "this user is in more rooms than the server allows");
        }
        List<Map<String, Object>> list = new ArrayList<>();
        List<RoomStore.Member> described = new ArrayList<>();
        if (member.stream().noneMatch(m -> m.room().equals(config.defaultRoom()))) {
            described.add(rooms.describe(user.userId(), config.defaultRoom()));
        }
        described.addAll(member);
        for (RoomStore.Member m : described) {
            list.add(describe(user, m));
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("storeId", storeId);
        snapshot.put("userId", user.userId());
        snapshot.put("defaultRoom", config.defaultRoom());
        snapshot.put("limits", config.clientLimits());
        snapshot.put("rooms", list);
        return snapshot;
    }

    /** A room as the snapshot and {@code room-added} show it to one user. */
    Map<String, Object> describe(ChatUser user, RoomStore.Member m) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("room", m.room());
        r.put("kind", m.kind());
        if (Rooms.isDirect(m.room())) {
            String peer = Rooms.peerOf(m.room(), user.userId());
            r.put("peer", Map.of("userId", peer, "nickname", rooms.nickname(peer).orElse(peer)));
        }
        if (!Rooms.isDirect(m.room())) {
            RoomStore.RoomInfo info = m.info();
            r.put("title", info.title());
            r.put("topic", info.topic());
            r.put("visibility", info.visibility());
            if (info.ownerId() != null) {
                r.put("ownerId", info.ownerId());
            }
            r.put("archived", info.archived());
        }
        r.put("lastId", messages.lastId(m.room()));
        r.put("lastSeq", m.lastSeq());
        r.put("unread", messages.unreadCounts(user.userId(), List.of(m.room())).get(m.room()));
        r.put("muted", m.muted());
        return r;
    }

    /**
     * Makes the user a member of a chat room; false when they already were (nothing is announced then). Every
     * socket of the user joins it, this one at once.
     */
    boolean join(Socket socket, ChatUser user, String room) throws Exception {
        boolean member = room.equals(config.defaultRoom()) || rooms.isMember(user.userId(), room);
        if (!member) {
            java.util.Optional<RoomStore.RoomInfo> info = rooms.info(room);
            if (info.isPresent() && info.get().isPrivate()) {
                // Said the same whether or not the room exists: a private room's name is not confirmed to strangers.
                throw new ChatError("not_invited", "that room is private; a member can invite you");
            }
            if (info.isPresent() && info.get().archived()) {
                throw new ChatError("archived", "that room is archived");
            }
            if (rooms.count(user.userId()) >= maxRooms()) {
                throw new ChatError("too_many_rooms", "you are in " + maxRooms() + " rooms; leave one first");
            }
            if (info.isEmpty()) {
                // Joining a room that does not exist makes it, as in the tutorial: public, owned by its maker
                // when they have an account (a guest's identity is too easily lost to own anything).
                rooms.create(new RoomStore.RoomInfo(room, "room", room, "", "public",
                        user.guest() ? null : user.userId(), false), System.currentTimeMillis());
            }
        }
        return enter(socket, user, room);
    }

    /**
     * Makes the user a member with no questions asked (the checks are the caller's: a room's maker, say); false
     * when they already were. Every socket of the user joins it, this one at once.
     */
    boolean enter(Socket socket, ChatUser user, String room) throws Exception {
        boolean added = !room.equals(config.defaultRoom()) && rooms.join(user.userId(), room,
                System.currentTimeMillis());
        joinSocket(socket, room);
        if (added) {
            io.in(Rooms.ofUser(user.userId())).socketsJoin(room);
            io.to(Rooms.ofUser(user.userId())).emit("room-added",
                    describe(user, rooms.describe(user.userId(), room)));
        }
        return added;
    }

    /** Ends the user's membership of a room; false when they were not a member. */
    boolean leave(Socket socket, ChatUser user, String room) throws Exception {
        if (!rooms.leave(user.userId(), room)) {
            return false;
        }
        socket.leave(room);
        io.in(Rooms.ofUser(user.userId())).socketsLeave(room);
        io.to(Rooms.ofUser(user.userId())).emit("room-removed", Map.of("room", room));
        return true;
    }

    /**
     * Opens the direct room of two users: both become members whether or not the other is online, and every
     * socket of either (on any instance) joins it and hears about it.
     */
    String direct(Socket socket, ChatUser user, String otherId) throws Exception {
        if (otherId == null || otherId.equals(user.userId()) || !ChatUser.isValidId(otherId)
                || rooms.nickname(otherId).isEmpty()) {
            throw new ChatError("invalid_user", "no such user");
        }
        if (rooms.blocked(otherId, user.userId())) {
            // Said as for an unknown user: a block is not announced to the one blocked.
            throw new ChatError("invalid_user", "no such user");
        }
        String room = Rooms.direct(user.userId(), otherId);
        long now = System.currentTimeMillis();
        boolean member = rooms.isMember(user.userId(), room);
        if (!member && rooms.count(user.userId()) >= maxRooms()) {
            throw new ChatError("too_many_rooms", "you are in " + maxRooms() + " rooms; leave one first");
        }
        boolean theirsBefore = rooms.isMember(otherId, room);
        if (!theirsBefore && !newConversations.tryTake(user.userId())) {
            throw new ChatError("rate_limited", "too many new conversations; try again in a minute");
        }
        if (!theirsBefore && newConversationsByAddress != null
                && !newConversationsByAddress.tryTake(socket.handshake().address())) {
            // Many throwaway users behind one address add up to one sender.
            throw new ChatError("rate_limited", "too many new conversations from your address; try again later");
        }
        boolean mine = rooms.join(user.userId(), room, now);
        boolean theirs = !theirsBefore && rooms.join(otherId, room, now, true);
        joinSocket(socket, room);
        if (mine || theirs) {
            io.in(Rooms.ofUser(user.userId()), Rooms.ofUser(otherId)).socketsJoin(room);
        }
        if (mine) {
            io.to(Rooms.ofUser(user.userId())).emit("room-added", describe(user, rooms.describe(user.userId(), room)));
        }
        if (theirs) {
            ChatUser other = new ChatUser(otherId, rooms.nickname(otherId).orElse(otherId));
            io.to(Rooms.ofUser(otherId)).emit("room-added", describe(other, rooms.describe(otherId, room)));
        }
        return room;
    }

    /**
     * Ends every session of the user but this one: tokens issued so far stop being good, the user's other
     * connections (on every instance) are closed, and this one gets a fresh token (as {@code session}).
     */
    void revokeOtherSessions(Socket socket, ChatUser user, UserTokens tokens) throws Exception {
        // One second ahead, so that no other token issued in the current second survives; the fresh token is
        // issued at that second (verification allows a minute of clock skew forward).
        long from = System.currentTimeMillis() / 1000 + 1;
        seen(user, System.currentTimeMillis());
        rooms.revokeBefore(user.userId(), from);
        socket.emit("session", ChatEvents.sessionEvent(socket, user, tokens.sign(user.userId(), from)));
        io.in(Rooms.ofUser(user.userId())).except(socket.id()).disconnectSockets(true);
    }

    /**
     * Notes the user is around. A guest's name is whatever their connection says; an account's is the account's
     * (a connection may still carry the name it had before a rename).
     */
    private void seen(ChatUser user, long now) throws Exception {
        if (user.guest()) {
            rooms.seen(user.userId(), user.nickname(), now);
        } else {
            rooms.touch(user.userId(), now);
        }
    }

    /** The last nickname the chat saw for a user (their id when it never saw one). */
    String nicknameOf(String userId) throws Exception {
        return rooms.nickname(userId).orElse(userId);
    }

    private static void joinSocket(Socket socket, String room) throws ChatError {
        try {
            socket.join(room);
        } catch (TooManyRoomsException e) {
            throw new ChatError("too_many_rooms", "leave a room before joining another");
        }
    }
}
