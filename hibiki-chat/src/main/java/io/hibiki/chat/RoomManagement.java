package io.hibiki.chat;

import io.hibiki.chat.account.Account;
import io.hibiki.chat.account.DisplayNames;
import io.hibiki.chat.account.Handles;
import io.hibiki.chat.store.AccountStore;
import io.hibiki.chat.store.RoomStore;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What owners and admins do to rooms: create them public or private, give them a title and topic, invite people by
 * handle, remove members, archive them; admins also delete them. Group conversations (up to
 * {@link #MAX_GROUP} people) are private rooms the server names. Every change is written first, then told to the
 * sockets concerned on every instance.
 */
final class RoomManagement {

    /** The most people in a group conversation, its maker included. */
    static final int MAX_GROUP = 8;
    static final int MAX_TOPIC = 250;

    private final SocketIoServer io;
    private final RoomStore rooms;
    private final AccountStore accounts;
    private final Membership membership;
    private final ChatConfig config;
    /** Invitations and new groups one user may send: a burst of 30, then one every 10 s. */
    private final KeyedRateLimit invitations = new KeyedRateLimit(0.1, 30, 10_000);

    RoomManagement(SocketIoServer io, RoomStore rooms, AccountStore accounts, Membership membership,
                   ChatConfig config) {
        this.io = io;
        this.rooms = rooms;
        this.accounts = accounts;
        this.membership = membership;
        this.config = config;
    }

    /** Creates a room owned by the user, who becomes its first member. */
    RoomStore.RoomInfo create(Socket socket, ChatUser user, String name, boolean privateRoom, String topic)
            throws Exception {
        requireAccount(user, "creating rooms");
        String room = Rooms.checkName(name);
        String t = checkTopic(topic);
        if (room.equals(config.defaultRoom())) {
            throw new ChatError("room_exists", "that room exists");
        }
        if (rooms.count(user.userId()) >= membership.maxRooms()) {
            throw new ChatError("too_many_rooms", "you are in " + membership.maxRooms() + " rooms; leave one first");
        }
        RoomStore.RoomInfo info = new RoomStore.RoomInfo(room, "room", room, t == null ? "" : t,
                privateRoom ? "private" : "public", user.userId(), false);
        if (!rooms.create(info, System.currentTimeMillis())) {
            throw new ChatError("room_exists", "a room of that name exists; choose another name");
        }
        membership.enter(socket, user, room);
        return info;
    }

    /** Changes a room's title and topic (owner or admin); every member's clients hear of it. */
    RoomStore.RoomInfo update(ChatUser user, String room, String title, String topic) throws Exception {
        RoomStore.RoomInfo info = manageable(user, room);
        String t = title == null ? null : checkTitle(title);
        String tp = checkTopic(topic);
        rooms.describeRoom(room, t, tp);
        RoomStore.RoomInfo now = rooms.info(room).orElse(info);
        announce(now);
        return now;
    }

    /** Archives (or restores) a room: it stays with its history, takes no new messages and is not listed. */
    RoomStore.RoomInfo archive(ChatUser user, String room, boolean archived) throws Exception {
        manageable(user, room);
        if (room.equals(config.defaultRoom())) {
            throw new ChatError("invalid_room", "the default room cannot be archived");
        }
        rooms.setArchived(room, archived);
        RoomStore.RoomInfo now = rooms.info(room).orElseThrow();
        announce(now);
        return now;
    }

    /** Deletes a room with its history (admins only); its members' clients drop it. */
    void delete(ChatUser user, String room) throws Exception {
        requireAdmin(user);
        if (room.equals(config.defaultRoom()) || rooms.info(room).isEmpty()) {
            throw new ChatError("not_found", "no such room");
        }
        rooms.delete(room);
        io.to(room).emit("room-removed", Map.of("room", room, "reason", "deleted"));
        io.in(room).socketsLeave(room);
    }

    /** Adds the account with this handle to a room the user is a member of (any member may invite). */
    Account invite(ChatUser user, String room, String handle) throws Exception {
        RoomStore.RoomInfo info = rooms.info(room).orElseThrow(() -> new ChatError("not_found", "no such room"));
        if (!rooms.isMember(user.userId(), room) || info.kind().equals("direct")) {
            throw new ChatError("not_in_room", "you can invite people to rooms you are in");
        }
        if (info.archived()) {
            throw new ChatError("archived", "that room is archived");
        }
        Account invitee = handle == null ? null : accounts.byHandle(Handles.key(handle)).orElse(null);
        if (invitee == null || invitee.suspended() || rooms.blocked(invitee.userId(), user.userId())) {
            throw new ChatError("invalid_user", "no such user");
        }
        if (rooms.isMember(invitee.userId(), room)) {
            return invitee;
        }
        if (!invitations.tryTake(user.userId())) {
            throw new ChatError("rate_limited", "too many invitations; try again in a minute");
        }
        addMember(invitee.userId(), invitee.displayName(), room);
        io.to(room).emit("user-joined", "User " + invitee.displayName() + " has joined the room.");
        io.to(room).emit("member-joined", Map.of("room", room, "userId", invitee.userId(),
                "nickname", invitee.displayName()));
        return invitee;
    }

    /** Removes a member (owner or admin); their clients drop the room. */
    void removeMember(ChatUser user, String room, String userId) throws Exception {
        RoomStore.RoomInfo info = manageable(user, room);
        if (userId == null || userId.equals(info.ownerId()) && !isAdmin(user)) {
            throw new ChatError("invalid_user", "the owner cannot be removed");
        }
        if (!rooms.leave(userId, room)) {
            throw new ChatError("not_in_room", "that user is not in the room");
        }
        io.in(Rooms.ofUser(userId)).socketsLeave(room);
        io.to(Rooms.ofUser(userId)).emit("room-removed", Map.of("room", room, "reason", "removed"));
        io.to(room).emit("user-left", Map.of("room", room, "userId", userId, "nickname",
                membership.nicknameOf(userId)));
    }

    /** Opens a group conversation with these users (accounts, up to {@link #MAX_GROUP} in all). */
    String createGroup(ChatUser user, List<String> userIds, String title) throws Exception {
        requireAccount(user, "group conversations");
        Set<String> others = new LinkedHashSet<>(userIds == null ? List.of() : userIds);
        others.remove(user.userId());
        if (others.isEmpty() || others.size() + 1 > MAX_GROUP) {
            throw new ChatError("invalid_group", "a group conversation has 3 to " + MAX_GROUP + " people");
        }
        List<Account> members = new ArrayList<>();
        for (String id : others) {
            Account a = accounts.byUserId(id).map(AccountStore.Credentials::account).orElse(null);
            if (a == null || a.suspended() || rooms.blocked(id, user.userId())) {
                throw new ChatError("invalid_user", "no such user: " + id);
            }
            members.add(a);
        }
        if (rooms.count(user.userId()) >= membership.maxRooms()) {
            throw new ChatError("too_many_rooms", "you are in " + membership.maxRooms() + " rooms; leave one first");
        }
        if (!invitations.tryTake(user.userId())) {
            throw new ChatError("rate_limited", "too many new conversations; try again in a minute");
        }
        String room = Rooms.newGroup();
        String name = title == null || title.isBlank() ? null : checkTitle(title);
        if (name == null) {
            List<String> names = new ArrayList<>(List.of(user.nickname()));
            members.forEach(a -> names.add(a.displayName()));
            name = ChatUser.truncate(String.join(", ", names), 64);
        }
        long now = System.currentTimeMillis();
        rooms.create(new RoomStore.RoomInfo(room, "group", name, "", "private", user.userId(), false), now);
        rooms.join(user.userId(), room, now);
        io.in(Rooms.ofUser(user.userId())).socketsJoin(room);
        io.to(Rooms.ofUser(user.userId())).emit("room-added",
                membership.describe(user, rooms.describe(user.userId(), room)));
        for (Account a : members) {
            addMember(a.userId(), a.displayName(), room);
        }
        return room;
    }

    /** Whether the user may manage the room: its owner, or an admin. */
    boolean canManage(ChatUser user, RoomStore.RoomInfo info) throws Exception {
        return user.userId().equals(info.ownerId()) && !user.guest() || isAdmin(user);
    }

    boolean isAdmin(ChatUser user) throws Exception {
        return !user.guest() && accounts.isAdmin(user.userId());
    }

    void requireAdmin(ChatUser user) throws Exception {
        if (!isAdmin(user)) {
            throw new ChatError("forbidden", "only an admin can do that");
        }
    }

    /** A room as its members' clients see it after a change ({@code room-updated}). */
    static Map<String, Object> view(RoomStore.RoomInfo info) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("room", info.name());
        v.put("kind", info.kind());
        v.put("title", info.title());
        v.put("topic", info.topic());
        v.put("visibility", info.visibility());
        if (info.ownerId() != null) {
            v.put("ownerId", info.ownerId());
        }
        v.put("archived", info.archived());
        return v;
    }

    private void addMember(String userId, String nickname, String room) throws Exception {
        long now = System.currentTimeMillis();
        // Put there by someone else: it does not count against the invitee's own limit.
        rooms.join(userId, room, now, true);
        io.in(Rooms.ofUser(userId)).socketsJoin(room);
        ChatUser other = new ChatUser(userId, nickname);
        io.to(Rooms.ofUser(userId)).emit("room-added", membership.describe(other, rooms.describe(userId, room)));
    }

    private void announce(RoomStore.RoomInfo info) {
        io.to(info.name()).emit("room-updated", view(info));
    }

    private RoomStore.RoomInfo manageable(ChatUser user, String room) throws Exception {
        Optional<RoomStore.RoomInfo> info = room == null ? Optional.empty() : rooms.info(room);
        if (info.isEmpty() || info.get().kind().equals("direct") || room.equals(config.defaultRoom())
                && !isAdmin(user)) {
            throw new ChatError("not_found", "no such room");
        }
        if (!canManage(user, info.get())) {
            throw new ChatError("forbidden", "only the room's owner or an admin can do that");
        }
        return info.get();
    }

    private static void requireAccount(ChatUser user, String what) throws ChatError {
        if (user.guest()) {
            throw new ChatError("account_required", "sign in for " + what);
        }
    }

    private static String checkTitle(String title) throws ChatError {
        String t = DisplayNames.normalize(title);
        String problem = DisplayNames.problem(t, "title");
        if (problem == null && (t.isEmpty() || t.length() > 64)) {
            problem = "titles are 1 to 64 characters";
        }
        if (problem != null) {
            throw new ChatError("invalid_title", problem);
        }
        return t;
    }

    private static String checkTopic(String topic) throws ChatError {
        if (topic == null) {
            return null;
        }
        String t = java.text.Normalizer.normalize(topic, java.text.Normalizer.Form.NFKC).strip();
        if (t.length() > MAX_TOPIC || t.chars().anyMatch(ch -> Character.getType(ch) == Character.CONTROL)) {
            throw new ChatError("invalid_topic", "topics are at most " + MAX_TOPIC + " characters, one line");
        }
        return t;
    }
}
