package io.hibiki.adminui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A socket as the admin UI shows it: the object Node's {@code instrument()} serializes, built from what any node's
 * {@code fetchSockets} returns (so a Node server's sockets and a Hibiki server's look alike).
 */
final class SocketView {

    /** {@code new Date()} as JSON.stringify writes it: always with milliseconds. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SocketView() {
    }

    static String now() {
        return DATE.format(Instant.now());
    }

    /**
     * {@code {id, clientId, transport, nsp, data, handshake, rooms}}; {@code clientId} and {@code transport} come
     * from {@code data._admin} (set by an instrumented server in development mode), which {@code data} leaves out.
     */
    static Map<String, Object> of(String id, String nsp, Map<String, Object> handshake, Set<String> rooms,
                                  Object data) {
        Map<String, Object> admin = data instanceof Map<?, ?> d && d.get("_admin") instanceof Map<?, ?> a
                ? copy(a) : Map.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("clientId", admin.get("clientId"));
        m.put("transport", admin.get("transport"));
        m.put("nsp", nsp);
        m.put("data", withoutAdmin(data));
        Map<String, Object> h = new LinkedHashMap<>();
        Map<?, ?> headers = handshake.get("headers") instanceof Map<?, ?> hs ? hs : Map.of();
        Object forwarded = headers.get("cf-connecting-ip") != null ? headers.get("cf-connecting-ip")
                : headers.get("x-forwarded-for");
        h.put("address", forwarded != null ? forwarded : handshake.get("address"));
        h.put("headers", headers);
        h.put("query", handshake.get("query"));
        h.put("issued", handshake.get("issued"));
        h.put("secure", handshake.get("secure"));
        h.put("time", handshake.get("time"));
        h.put("url", handshake.get("url"));
        h.put("xdomain", handshake.get("xdomain"));
        m.put("handshake", h);
        m.put("rooms", List.copyOf(rooms));
        return m;
    }

    /** The application's data, without the admin's own entry. */
    static Object withoutAdmin(Object data) {
        if (data instanceof Map<?, ?> d) {
            Map<String, Object> copy = copy(d);
            copy.remove("_admin");
            return copy;
        }
        return data == null ? Map.of() : data;
    }

    private static Map<String, Object> copy(Map<?, ?> source) {
        Map<String, Object> m = new LinkedHashMap<>();
        source.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }
}
