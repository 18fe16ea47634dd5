package io.hibiki.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request a socket connected with, as Node's {@code socket.handshake}.
 *
 * @param headers request headers (lower-case names; repeated headers joined by ", ")
 * @param time    when it connected, as a date string
 * @param address the client's IP address
 * @param xdomain whether the request came from another origin
 * @param secure  whether it used TLS
 * @param issued  when it connected, epoch milliseconds
 * @param url     the request URL
 * @param query   query parameters (first value of each)
 * @param auth    the auth payload the client sent with CONNECT (an empty object when none)
 */
public record Handshake(Map<String, String> headers, String time, String address, boolean xdomain, boolean secure,
                        long issued, String url, Map<String, String> query, JsonNode auth) {

    /**
     * The handshake as the JSON object Node's adapters exchange.
     *
     * @return a mutable map of the fields in declaration order, under Node's names
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("headers", headers);
        m.put("time", time);
        m.put("address", address);
        m.put("xdomain", xdomain);
        m.put("secure", secure);
        m.put("issued", issued);
        m.put("url", url);
        m.put("query", query);
        m.put("auth", auth);
        return m;
    }
}
