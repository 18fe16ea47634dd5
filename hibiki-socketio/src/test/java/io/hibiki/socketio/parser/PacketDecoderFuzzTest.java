package io.hibiki.socketio.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The Socket.IO decoder under hostile input: any sequence of text and binary messages yields packets, {@code null}
 * (attachments awaited) or {@link PacketParseException}, never another exception; and across random
 * interleavings of real packets with stray binaries, stray texts and truncated binary packets it behaves exactly
 * as its state machine says (a model below), attachments reassembled into the right packet.
 */
class PacketDecoderFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PacketEncoder ENCODER = new PacketEncoder(MAPPER);
    private static final int MAX_ATTACHMENTS = 4;

    /** Texts every decoder state refuses. */
    private static final List<String> ALWAYS_INVALID =
            List.of("", "9", "2[", "2[\"connect\"]", "1{}", "5-[]", "51[\"a\"]", "0[]", "2[\"a\"]x");

    /** One Engine.IO message: text or binary; {@code packet} >= 0 when it belongs to a real packet. */
    record Message(String text, byte[] binary, int packet, int attachment) {
        boolean isText() {
            return text != null;
        }

        @Override
        public String toString() {
            return isText() ? "text(" + text + ")" : "binary#" + packet + "." + attachment;
        }
    }

    private static Packet feed(PacketDecoder decoder, Message m) throws PacketParseException {
        return m.isText() ? decoder.decodeText(m.text()) : decoder.decodeBinary(m.binary());
    }

    @Property(tries = 1500)
    void anyMessageSequenceYieldsPacketsNullOrParseExceptions(@ForAll("hostileStreams") List<Message> stream) {
        PacketDecoder decoder = new PacketDecoder(MAPPER, MAX_ATTACHMENTS);
        for (Message m : stream) {
            try {
                Packet p = feed(decoder, m);
                assertEquals(p == null, decoder.awaitingAttachments(), "null exactly while attachments are awaited");
                if (p != null) {
                    assertTrue(p.namespace().startsWith("/") && p.namespace().indexOf(',') < 0, p.namespace());
                    assertTrue(p.id() >= Packet.NO_ID);
                    if (p.type().isBinary()) {
                        assertNoPlaceholderLeft((JsonNode) p.data());
                    }
                }
            } catch (PacketParseException e) {
                assertNotNull(e.getMessage());
                assertFalse(decoder.awaitingAttachments(), "back in the initial state after " + e.getMessage());
            } catch (RuntimeException e) {
                fail("unexpected " + e + " on " + m, e);
            }
        }
    }

    private static void assertNoPlaceholderLeft(JsonNode node) {
        if (node.isObject()) {
            assertFalse(node.path("_placeholder").asBoolean(false), "unresolved placeholder " + node);
        }
        node.forEach(PacketDecoderFuzzTest::assertNoPlaceholderLeft);
    }

    @Property(tries = 1500)
    void interleavingsFollowTheStateMachine(@ForAll("interleavings") Tuple.Tuple2<List<Packet>, List<Message>> in)
            throws Exception {
        List<Packet> packets = in.get1();
        PacketDecoder decoder = new PacketDecoder(MAPPER, Integer.MAX_VALUE);
        int awaiting = 0;
        int current = -1;
        boolean disturbed = false;
        int completedIntact = 0;
        for (Message m : in.get2()) {
            String expectation;
            if (m.isText() && (awaiting > 0 || m.packet() < 0)) {
                expectation = "parse error";
                awaiting = 0;
            } else if (m.isText()) {
                current = m.packet();
                disturbed = false;
                awaiting = ENCODER.encode(packets.get(current)).attachments().size();
                expectation = awaiting == 0 ? "packet" : "null";
            } else if (awaiting == 0) {
                expectation = "parse error";
            } else {
                int index = ENCODER.encode(packets.get(current)).attachments().size() - awaiting;
                disturbed |= m.packet() != current || m.attachment() != index;
                awaiting--;
                expectation = awaiting == 0 ? "packet" : "null";
            }
            Packet got;
            try {
                got = feed(decoder, m);
            } catch (PacketParseException e) {
                assertEquals("parse error", expectation, m + ": " + e.getMessage());
                continue;
            }
            assertEquals(expectation, got == null ? "null" : "packet", m.toString());
            if (got != null) {
                Packet sent = packets.get(current);
                assertEquals(sent.namespace(), got.namespace());
                assertEquals(sent.id(), got.id());
                if (!disturbed) {
                    completedIntact++;
                    JsonNode expected = sent.data() == null ? null : PacketArbitraries.expectedTree(sent.data());
                    assertTrue(expected == null ? got.data() == null
                            : expected.equals(PacketArbitraries.SAME_VALUE, (JsonNode) got.data()), m.toString());
                }
            }
        }
        assertTrue(completedIntact <= packets.size());
    }

    // ---- samples ----

    private static List<Message> messages(int index, EncodedPacket encoded) {
        List<Message> out = new ArrayList<>();
        out.add(new Message(encoded.text(), null, index, -1));
        for (int i = 0; i < encoded.attachments().size(); i++) {
            out.add(new Message(null, encoded.attachments().get(i), index, i));
        }
        return out;
    }

    @Provide
    Arbitrary<List<Message>> hostileStreams() {
        Arbitrary<Message> realText = PacketArbitraries.packets()
                .map(p -> new Message(ENCODER.encode(p).text(), null, -1, -1));
        Arbitrary<Message> mutatedText = realText.map(Message::text).flatMap(t -> mutations(t))
                .map(t -> new Message(t, null, -1, -1));
        Arbitrary<Message> tweakedNumbers = realText.map(Message::text).flatMap(t -> numberTweaks(t))
                .map(t -> new Message(t, null, -1, -1));
        Arbitrary<Message> anyText = Arbitraries.strings().all().ofMaxLength(30).map(t -> new Message(t, null, -1, -1));
        Arbitrary<Message> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(8)
                .map(b -> new Message(null, b, -1, -1));
        return Arbitraries.frequencyOf(Tuple.of(3, realText), Tuple.of(4, mutatedText), Tuple.of(2, tweakedNumbers),
                Tuple.of(1, anyText), Tuple.of(4, binary)).list().ofMaxSize(10);
    }

    /** A text with one of its numbers (attachment count, ack id, placeholder index, argument) replaced. */
    private static Arbitrary<String> numberTweaks(String text) {
        List<int[]> runs = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+").matcher(text);
        while (m.find()) {
            runs.add(new int[] {m.start(), m.end()});
        }
        if (runs.isEmpty()) {
            return Arbitraries.just(text);
        }
        return Combinators.combine(Arbitraries.of(runs),
                Arbitraries.of("0", "1", "2", "3", "9", "10", "11", "99", "-1", "1.5", "2147483648", "1e3"))
                .as((run, number) -> text.substring(0, run[0]) + number + text.substring(run[1]));
    }

    /** A text with up to three random single-character edits over the protocol's alphabet. */
    private static Arbitrary<String> mutations(String text) {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, Math.max(0, text.length() - 1)),
                Arbitraries.of("0123456789-/,[]{}\":._ae\\ ".chars().boxed().toList()))
                .as((op, at, c) -> new int[] {op, at, c});
        return edit.list().ofMinSize(1).ofMaxSize(3).map(edits -> {
            StringBuilder s = new StringBuilder(text);
            for (int[] e : edits) {
                int at = Math.min(e[1], s.length());
                switch (e[0]) {
                    case 0 -> s.insert(at, (char) e[2]);
                    case 1 -> {
                        if (at < s.length()) {
                            s.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < s.length()) {
                            s.setCharAt(at, (char) e[2]);
                        }
                    }
                }
            }
            return s.toString();
        });
    }

    /**
     * Real packets in order, each sent whole or (if binary) truncated, with stray binaries and always-invalid
     * texts slipped in anywhere.
     */
    @Provide
    Arbitrary<Tuple.Tuple2<List<Packet>, List<Message>>> interleavings() {
        Arbitrary<Message> strayBinary = Arbitraries.bytes().array(byte[].class).ofMaxSize(4)
                .map(b -> new Message(null, b, -1, -1));
        Arbitrary<Message> strayText = Arbitraries.of(ALWAYS_INVALID).map(t -> new Message(t, null, -1, -1));
        Arbitrary<List<Message>> strays = Arbitraries.frequencyOf(Tuple.of(1, strayBinary), Tuple.of(1, strayText))
                .list().ofMaxSize(3);
        return PacketArbitraries.packets().list().ofMinSize(1).ofMaxSize(6).flatMap(packets -> {
            List<List<Message>> perPacket = new ArrayList<>();
            for (int i = 0; i < packets.size(); i++) {
                perPacket.add(messages(i, ENCODER.encode(packets.get(i))));
            }
            Arbitrary<List<Integer>> cuts = Arbitraries.integers().between(0, 2).list().ofSize(packets.size());
            Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, 1000).list().ofMaxSize(3);
            return Combinators.combine(cuts, strays, positions).as((cut, stray, where) -> {
                List<Message> stream = new ArrayList<>();
                for (int i = 0; i < perPacket.size(); i++) {
                    List<Message> ms = perPacket.get(i);
                    int drop = ms.size() > 1 && cut.get(i) == 2 ? 1 : 0;
                    stream.addAll(ms.subList(0, ms.size() - drop));
                }
                for (int s = 0; s < stray.size(); s++) {
                    int at = where.isEmpty() ? 0 : where.get(s % where.size()) % (stream.size() + 1);
                    stream.add(at, stray.get(s));
                }
                return Tuple.of(packets, stream);
            });
        });
    }
}
