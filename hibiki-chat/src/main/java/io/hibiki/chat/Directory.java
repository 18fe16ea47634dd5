package io.hibiki.chat;

import io.hibiki.chat.account.Account;
import io.hibiki.chat.account.Handles;
import io.hibiki.chat.store.AccountStore;
import io.hibiki.chat.store.RoomStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What people can find: public rooms (with topic and member count; private rooms and archived ones are never
 * listed) and accounts (to open a conversation with anyone, online or not). A page at a time.
 */
final class Directory {

    static final int PAGE = 50;
    private static final int MAX_QUERY = 64;

    private final RoomStore rooms;
    private final AccountStore accounts;
    private final ChatConfig config;

    Directory(RoomStore rooms, AccountStore accounts, ChatConfig config) {
        this.rooms = rooms;
        this.accounts = accounts;
        this.config = config;
    }

    /** Public rooms matching the query, by name, after the name {@code after}; the default room first. */
    Map<String, Object> rooms(String query, String after) throws Exception {
        String q = checkQuery(query);
        List<Map<String, Object>> out = new ArrayList<>();
        String def = config.defaultRoom();
        if (after == null && (q.isEmpty() || def.toLowerCase(java.util.Locale.ROOT).contains(q))) {
            out.add(entry(def, def, "", rooms.userCount()));
        }
        List<RoomStore.Listed> page = rooms.directory(q, after, PAGE);
        for (RoomStore.Listed r : page) {
            if (!r.name().equals(def)) {
                out.add(entry(r.name(), r.title(), r.topic(), r.members()));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("rooms", out);
        answer.put("hasMore", page.size() == PAGE);
        if (!page.isEmpty()) {
            answer.put("next", page.get(page.size() - 1).name());
        }
        return answer;
    }

    /** Accounts matching the query (handle or display name), by handle. */
    Map<String, Object> users(String query, String after) throws Exception {
        List<Account> page = accounts.directory(checkQuery(query), after, PAGE);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Account a : page) {
            out.add(Map.of("userId", a.userId(), "handle", a.handle(), "displayName", a.displayName()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("users", out);
        answer.put("hasMore", page.size() == PAGE);
        if (!page.isEmpty()) {
            answer.put("next", Handles.key(page.get(page.size() - 1).handle()));
        }
        return answer;
    }

    /** The user id of the account with this handle, or null. */
    String userIdOf(String handle) throws Exception {
        return accounts.byHandle(Handles.key(handle)).filter(a -> !a.suspended()).map(Account::userId).orElse(null);
    }

    private static Map<String, Object> entry(String name, String title, String topic, long members) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("room", name);
        e.put("title", title);
        e.put("topic", topic);
        e.put("members", members);
        return e;
    }

    private static String checkQuery(String query) throws ChatError {
        String q = query == null ? "" : query.strip().toLowerCase(java.util.Locale.ROOT);
        if (q.length() > MAX_QUERY) {
            throw new ChatError("invalid_query", "searches are at most " + MAX_QUERY + " characters");
        }
        return q;
    }
}
