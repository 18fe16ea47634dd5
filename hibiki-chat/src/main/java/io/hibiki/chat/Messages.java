package io.hibiki.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hibiki.chat.store.ChatMessage;
import io.hibiki.chat.store.Database;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.chat.store.RoomStore;
import io.hibiki.chat.store.StoreLostException;
import io.hibiki.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sending and reading messages: a send is stored (with its room sequence number) before it is broadcast and
 * acknowledged; catch-up answers every room a client asks for in one request.
 */
final class Messages {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern UPLOAD_URL = Pattern.compile("/uploads/[A-Za-z0-9_-]{16,64}\\.[a-z0-9]{1,5}");
    static final int PAGE = 50;
    static final int MAX_PAGE = 200;
    /** The default and the most messages per room one catch-up answers. */
    static final int CATCH_UP_PAGE = 100;
    /** The most messages one catch-up answers in all. */
    static final int CATCH_UP_TOTAL = 1000;
    /** The most replies one thread answer holds. */
    static final int THREAD_MAX = 200;

    private final SocketIoServer io;
    private final MessageStore store;
    private final Database database;
    private final ChatConfig config;
    private final RoomStore rooms;
    private final Reactions reactions;

    Messages(SocketIoServer io, MessageStore store, RoomStore rooms, Database database, ChatConfig config,
             Reactions reactions) {
        this.io = io;
        this.reactions = reactions;
        this.rooms = rooms;
        this.store = store;
        this.database = database;
        this.config = config;
    }

    /** Persist, check the store is still the one opened, broadcast, then answer: an acked message is durable. */
    Map<String, Object> send(ChatUser user, String room, String text, String clientId, JsonNode body)
            throws Exception {
        ChatMessage.Attachment attachment = attachment(body);
        String checked = attachment != null && (text == null || text.isBlank()) ? "" : checkText(text);
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw new ChatError("invalid_client_id", "clientId is 1-64 letters, digits, '_' or '-'");
        }
        if (!room.equals(config.defaultRoom()) && rooms.info(room).map(RoomStore.RoomInfo::archived).orElse(false)) {
            throw new ChatError("archived", "this room is archived: it keeps its history and takes no new messages");
        }
        ChatMessage parent = parent(body, room);
        MessageStore.Appended result;
        try {
            database.ensureIntact();
            // An account may have been renamed since this connection opened: its messages carry its name now.
            String author = user.guest() ? user.nickname() : rooms.nickname(user.userId()).orElse(user.nickname());
            result = store.append(room, clientId, author, user.userId(), checked, attachment,
                    parent == null ? null : parent.id(), System.currentTimeMillis());
            database.ensureIntact();
        } catch (StoreLostException e) {
            throw new ChatError("store_unavailable", "the server's message store is unavailable; try again later");
        }
        if (result.created()) {
            io.to(room).emit("receive-message", MessageView.of(result.message(), parent));
        }
        ChatMessage m = result.message();
        return Map.of("ok", true, "id", m.id(), "seq", m.seq(), "timestamp", m.timestamp(),
                "duplicate", !result.created());
    }

    /** The message a send replies to: {@code replyTo} names a message of the same room that is not deleted. */
    private ChatMessage parent(JsonNode body, String room) throws Exception {
        JsonNode id = body == null ? null : body.get("replyTo");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.canConvertToLong() || !id.isIntegralNumber()) {
            throw new ChatError("invalid_reply", "replyTo is the id of a message in this room");
        }
        ChatMessage parent = store.find(id.asLong()).filter(p -> p.room().equals(room))
                .orElseThrow(() -> new ChatError("invalid_reply", "replyTo is the id of a message in this room"));
        if (parent.deleted()) {
            throw new ChatError("invalid_reply", "that message was deleted");
        }
        return parent;
    }

    /**
     * A message and its replies, oldest first, at most {@link #THREAD_MAX}; {@code complete} says whether that
     * was all of them. The caller checks the reader may read the room.
     */
    Map<String, Object> thread(ChatMessage parent) throws Exception {
        List<ChatMessage> replies = store.replies(parent.id(), THREAD_MAX + 1);
        boolean complete = replies.size() <= THREAD_MAX;
        List<ChatMessage> all = new ArrayList<>();
        all.add(parent);
        all.addAll(complete ? replies : replies.subList(0, THREAD_MAX));
        List<Map<String, Object>> shown = views(all);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("room", parent.room());
        out.put("parent", shown.get(0));
        out.put("replies", shown.subList(1, shown.size()));
        out.put("complete", complete);
        return out;
    }

    /** The newest {@code limit} messages before {@code before} (all when null), oldest first. */
    List<Map<String, Object>> history(String room, Long before, int limit) throws Exception {
        return views(store.history(room, before, limit));
    }

    /**
     * For each asked room the user's socket is in: messages after the given id, at most {@code perRoom}, with
     * {@code complete} telling whether that was all, within {@link #CATCH_UP_TOTAL} for the whole answer.
     */
    Map<String, Object> catchUp(JsonNode asked, Set<String> memberOf, int perRoom) throws Exception {
        if (asked == null || !asked.isObject()) {
            throw new ChatError("invalid_request", "rooms must be an object of room name to last id seen");
        }
        if (asked.size() > config.maxRoomsPerUser() + 1) {
            throw new ChatError("invalid_request", "at most " + (config.maxRoomsPerUser() + 1) + " rooms");
        }
        int budget = CATCH_UP_TOTAL;
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = asked.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String room = e.getKey();
            if (!memberOf.contains(room)) {
                out.put(room, Map.of("error", "not_in_room"));
                continue;
            }
            int take = Math.min(perRoom, budget);
            List<ChatMessage> page = take == 0 ? List.of() : store.since(room, e.getValue().asLong(0), take + 1);
            boolean complete = page.size() <= take;
            List<ChatMessage> shown = complete ? page : page.subList(0, take);
            budget -= shown.size();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("messages", views(shown));
            r.put("complete", complete);
            r.put("lastId", store.lastId(room));
            out.put(room, r);
        }
        return out;
    }

    private ChatMessage.Attachment attachment(JsonNode body) throws ChatError {
        JsonNode a = body == null ? null : body.get("attachment");
        if (a == null || a.isNull()) {
            return null;
        }
        String url = ChatEvents.text(a, "url");
        if (url == null || !UPLOAD_URL.matcher(url).matches()) {
            throw new ChatError("invalid_attachment", "attachments must be URLs returned by /api/uploads");
        }
        String name = ChatEvents.text(a, "name");
        String type = ChatEvents.text(a, "type");
        return new ChatMessage.Attachment(url, name == null ? "file" : ChatUser.truncate(name, 200),
                type == null ? "application/octet-stream" : ChatUser.truncate(type, 100), a.path("size").asLong(0));
    }

    String checkText(String text) throws ChatError {
        if (text == null || text.isBlank()) {
            throw new ChatError("empty_message", "message text is empty");
        }
        if (text.length() > config.maxMessageChars()) {
            throw new ChatError("message_too_long", "messages are at most " + config.maxMessageChars() + " characters");
        }
        return text;
    }

    /** Messages as clients receive them, with their reactions and their parents' quotes. */
    List<Map<String, Object>> views(List<ChatMessage> messages) throws Exception {
        Map<Long, ChatMessage> byId = new HashMap<>();
        for (ChatMessage m : messages) {
            byId.put(m.id(), m);
        }
        // One query for the parents not on this page.
        Set<Long> missing = new LinkedHashSet<>();
        for (ChatMessage m : messages) {
            if (m.replyTo() != null && !byId.containsKey(m.replyTo())) {
                missing.add(m.replyTo());
            }
        }
        for (ChatMessage p : store.findAll(missing)) {
            byId.put(p.id(), p);
        }
        return reactions.attach(messages.stream()
                .map(m -> MessageView.of(m, m.replyTo() == null ? null : byId.get(m.replyTo()))).toList());
    }

    /** One message as clients receive it (an edit's broadcast). */
    Map<String, Object> view(ChatMessage m) throws Exception {
        return views(List.of(m)).get(0);
    }
}
