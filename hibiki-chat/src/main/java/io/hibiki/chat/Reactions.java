package io.hibiki.chat;

import io.hibiki.chat.store.ChatMessage;
import io.hibiki.chat.store.MessageStore;
import io.hibiki.chat.store.ReactionStore;
import io.hibiki.socketio.Socket;
import io.hibiki.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Emoji reactions: any member of a message's room may add or take back one of {@link #EMOJI} on it; the room hears
 * the message's new tally ({@code reactions-updated}), and messages carry theirs when read.
 */
final class Reactions {

    /** The reactions offered: a fixed set, so a reaction is always a small, known picture. */
    static final List<String> EMOJI = List.of("👍", "👎", "😄", "🎉", "😕", "❤️", "🚀", "👀", "✅", "🙏", "😂", "🔥");
    private static final Set<String> ALLOWED = Set.copyOf(EMOJI);
    /** Names listed per emoji; the count goes on. */
    static final int NAMES = 30;

    private final SocketIoServer io;
    private final MessageStore messages;
    private final ReactionStore reactions;

    Reactions(SocketIoServer io, MessageStore messages, ReactionStore reactions) {
        this.io = io;
        this.messages = messages;
        this.reactions = reactions;
    }

    /** Adds or removes the user's reaction; answers the message's new tally. */
    Map<String, Object> react(Socket socket, ChatUser user, long id, String emoji, boolean on) throws Exception {
        if (emoji == null || !ALLOWED.contains(emoji)) {
            throw new ChatError("invalid_emoji", "reactions are one of " + String.join(" ", EMOJI));
        }
        ChatMessage m = messages.find(id).filter(x -> !x.deleted() && socket.rooms().contains(x.room()))
                .orElseThrow(() -> new ChatError("not_found", "no such message in your rooms"));
        boolean changed = reactions.set(id, user.userId(), emoji, on, System.currentTimeMillis());
        // Read once: the tally the room hears is the one the reacting client is answered with.
        List<Map<String, Object>> tally = tally(reactions.of(List.of(id)).getOrDefault(id, List.of()));
        if (changed) {
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("id", id);
            update.put("room", m.room());
            update.put("reactions", tally);
            io.to(m.room()).emit("reactions-updated", update);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("id", id);
        answer.put("reactions", tally);
        return answer;
    }

    /** Adds each message's tally to its view ({@code reactions: [{emoji, count, users: [{userId, nickname}]}]}). */
    List<Map<String, Object>> attach(List<Map<String, Object>> views) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (Map<String, Object> v : views) {
            ids.add((Long) v.get("id"));
        }
        Map<Long, List<ReactionStore.Reaction>> all = ids.isEmpty() ? Map.of() : reactions.of(ids);
        if (all.isEmpty()) {
            return views;
        }
        List<Map<String, Object>> out = new ArrayList<>(views.size());
        for (Map<String, Object> v : views) {
            List<ReactionStore.Reaction> mine = all.get((Long) v.get("id"));
            if (mine == null) {
                out.add(v);
            } else {
                Map<String, Object> copy = new LinkedHashMap<>(v);
                copy.put("reactions", tally(mine));
                out.add(copy);
            }
        }
        return out;
    }

    static List<Map<String, Object>> tally(List<ReactionStore.Reaction> list) {
        Map<String, List<Map<String, Object>>> byEmoji = new LinkedHashMap<>();
        for (ReactionStore.Reaction r : list) {
            byEmoji.computeIfAbsent(r.emoji(), k -> new ArrayList<>())
                    .add(Map.of("userId", r.userId(), "nickname", r.nickname()));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byEmoji.forEach((emoji, users) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("emoji", emoji);
            e.put("count", users.size());
            e.put("users", users.subList(0, Math.min(NAMES, users.size())));
            out.add(e);
        });
        return out;
    }
}
