package io.hibiki.chat;

import io.hibiki.chat.account.AccountIds;
import io.hibiki.chat.store.ChatMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message as clients receive it: the seed's {@code author} and {@code text}, plus ids and metadata. A reply
 * carries a short quote of its parent as the parent is now (edited or deleted), so no client has to fetch it.
 */
final class MessageView {

    private MessageView() {
    }

    /** The most characters of a parent's text a reply quotes. */
    static final int QUOTE_CHARS = 160;

    static Map<String, Object> of(ChatMessage m) {
        return of(m, null);
    }

    /** {@code parent}: the message {@code m} replies to, or null when it is not one or the parent is gone. */
    static Map<String, Object> of(ChatMessage m, ChatMessage parent) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.id());
        v.put("seq", m.seq());
        v.put("room", m.room());
        v.put("author", m.author());
        v.put("userId", m.userId());
        if (!AccountIds.isAccount(m.userId())) {
            v.put("guest", true);
        }
        v.put("text", m.text());
        v.put("timestamp", m.timestamp());
        if (m.clientId() != null) {
            v.put("clientId", m.clientId());
        }
        if (m.attachment() != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("url", m.attachment().url());
            a.put("name", m.attachment().name());
            a.put("type", m.attachment().type());
            a.put("size", m.attachment().size());
            v.put("attachment", a);
        }
        if (m.edited()) {
            v.put("edited", true);
        }
        if (m.deleted()) {
            v.put("deleted", true);
        }
        if (m.replyTo() != null) {
            v.put("replyTo", quote(m.replyTo(), parent));
        }
        return v;
    }

    private static Map<String, Object> quote(long id, ChatMessage parent) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("id", id);
        if (parent == null) {
            q.put("missing", true);
            return q;
        }
        q.put("author", parent.author());
        q.put("userId", parent.userId());
        if (parent.deleted()) {
            q.put("deleted", true);
            q.put("text", "");
            return q;
        }
        String text = parent.text();
        // Cut between code points, never inside a surrogate pair.
        q.put("text", text.codePointCount(0, text.length()) <= QUOTE_CHARS ? text
                : text.substring(0, text.offsetByCodePoints(0, QUOTE_CHARS)) + "…");
        if (parent.attachment() != null) {
            q.put("attachment", parent.attachment().name());
        }
        return q;
    }
}
