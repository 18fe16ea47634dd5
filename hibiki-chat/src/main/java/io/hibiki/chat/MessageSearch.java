package io.hibiki.chat;

import io.hibiki.chat.store.MessageStore;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Searching messages: the words of a query (letters and digits; everything else separates them, so nothing in a
 * query is an operator of either store's syntax) found in the rooms the user may read, newest first, a page at a
 * time. A private room's messages are found only by its members; the default room's by everyone.
 */
final class MessageSearch {

    static final int PAGE = 30;
    static final int MAX_QUERY = 100;
    static final int MAX_WORDS = 8;

    private final MessageStore store;
    private final Messages messages;
    private final ChatConfig config;
    /** Searches one user may run: a burst of 10, then one every 2 s (each one scans or walks an index). */
    private final KeyedRateLimit perUser = new KeyedRateLimit(0.5, 10, 10_000);

    MessageSearch(MessageStore store, Messages messages, ChatConfig config) {
        this.store = store;
        this.messages = messages;
        this.config = config;
    }

    /** The words a query is searched by: NFKC, lower case, letters and digits, at most {@link #MAX_WORDS}. */
    static List<String> words(String query) {
        String q = Normalizer.normalize(query, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        Set<String> words = new LinkedHashSet<>();
        for (String w : q.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty() && words.size() < MAX_WORDS) {
                words.add(w);
            }
        }
        return new ArrayList<>(words);
    }

    Map<String, Object> search(ChatUser user, String query, Long before) throws Exception {
        if (query == null || query.isBlank()) {
            throw new ChatError("invalid_query", "type something to search for");
        }
        if (query.length() > MAX_QUERY) {
            throw new ChatError("invalid_query", "searches are at most " + MAX_QUERY + " characters");
        }
        List<String> words = words(query);
        if (words.isEmpty()) {
            throw new ChatError("invalid_query", "search for words: letters or digits");
        }
        if (!perUser.tryTake(user.userId())) {
            throw new ChatError("rate_limited", "too many searches; wait a few seconds");
        }
        List<Map<String, Object>> results = messages.views(
                store.search(user.userId(), config.defaultRoom(), words, before, PAGE));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("words", words);
        answer.put("results", results);
        answer.put("hasMore", results.size() == PAGE);
        return answer;
    }
}
