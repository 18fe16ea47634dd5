package io.hibiki.socketio.parser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Byte-exact wire fixtures shared by the encoder and decoder tests. */
final class PacketFixtures {

    static final byte[] BYTES_123 = {1, 2, 3};
    static final byte[] BYTES_45 = {4, 5};

    /** A packet as the server builds it and the exact messages it is sent as. */
    record Fixture(String name, Packet packet, String text, List<byte[]> attachments) {
        @Override
        public String toString() {
            return name;
        }
    }

    private PacketFixtures() {
    }

    static Stream<Fixture> all() {
        return Stream.of(
                fixture("event", Packet.event("/", -1, List.of("hello", 1)), "2[\"hello\",1]"),
                fixture("event with id", Packet.event("/", 12, List.of("hello")), "212[\"hello\"]"),
                fixture("event with namespace and id",
                        Packet.event("/admin", 12, List.of("hello", 1)), "2/admin,12[\"hello\",1]"),
                fixture("event with numeric name", Packet.event("/", -1, List.of(7, "x")), "2[7,\"x\"]"),
                fixture("ack", Packet.ack("/admin", 12, List.of("ok")), "3/admin,12[\"ok\"]"),
                fixture("empty ack", Packet.ack("/", 0, List.of()), "30[]"),
                fixture("connect with payload", Packet.connect("/", Map.of("sid", "abc")), "0{\"sid\":\"abc\"}"),
                fixture("connect", Packet.connect("/", null), "0"),
                fixture("connect to namespace", Packet.connect("/admin", null), "0/admin,"),
                fixture("connect to namespace with payload",
                        Packet.connect("/admin", Map.of("sid", "abc")), "0/admin,{\"sid\":\"abc\"}"),
                fixture("disconnect", Packet.disconnect("/"), "1"),
                fixture("disconnect from namespace", Packet.disconnect("/admin"), "1/admin,"),
                fixture("connect error",
                        Packet.connectError("/", ordered("message", "Not authorized", "data", Map.of("x", 1))),
                        "4{\"message\":\"Not authorized\",\"data\":{\"x\":1}}"),
                fixture("connect error on namespace",
                        Packet.connectError("/ns", Map.of("message", "Invalid namespace")),
                        "4/ns,{\"message\":\"Invalid namespace\"}"),
                fixture("connect error as string", Packet.connectError("/", "oops"), "4\"oops\""),
                fixture("binary event", Packet.event("/", -1, List.of("upload", BYTES_123)),
                        "51-[\"upload\",{\"_placeholder\":true,\"num\":0}]", BYTES_123),
                fixture("binary ack", Packet.ack("/admin", 12, List.of(BYTES_123)),
                        "61-/admin,12[{\"_placeholder\":true,\"num\":0}]", BYTES_123),
                fixture("binary event with nested attachments",
                        Packet.event("/admin", 3, List.of("files",
                                ordered("a", BYTES_123, "b", List.of(1, BYTES_45)))),
                        "52-/admin,3[\"files\",{\"a\":{\"_placeholder\":true,\"num\":0},"
                                + "\"b\":[1,{\"_placeholder\":true,\"num\":1}]}]",
                        BYTES_123, BYTES_45));
    }

    static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    private static Fixture fixture(String name, Packet packet, String text, byte[]... attachments) {
        return new Fixture(name, packet, text, List.of(attachments));
    }
}
