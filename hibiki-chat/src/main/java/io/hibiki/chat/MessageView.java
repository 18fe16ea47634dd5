package io.hibiki.chat;

import io.hibiki.chat.account.AccountIds;
import io.hibiki.chat.store.ChatMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/** A message as clients receive it: the seed's {@code author} and {@code text}, plus ids and metadata. */
final class MessageView {

    private MessageView() {
    }

    static Map<String, Object> of(ChatMessage m) {
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
        return v;
    }
}
