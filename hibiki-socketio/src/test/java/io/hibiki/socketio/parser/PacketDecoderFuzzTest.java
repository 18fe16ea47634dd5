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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Socket.IO decoder under hostile input: any sequence of text and binary messages yields packets, {@code null}
 * (attachments awaited) or {@link PacketParseException}, never another exception; and across random
 * interleavings of real packets with stray binaries, stray texts and truncated binary packets it behaves exactly
 * as its state machine says (a model below), attachments reassembled into the right packet. Samples come from
 * fixed seeds ({@link RandomPackets#forAll}).
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
            return isText() ? "text(" + RandomPackets.describe(text) + ")"
                    : "binary#" + packet + "." + attachment + Arrays.toString(binary);
        }
    }

    /** Real packets and the messages fed to the decoder: theirs, possibly truncated, with strays among them. */
    record Interleaving(List<Packet> packets, List<Message> stream) {
        @Override
        public String toString() {
            return "packets " + RandomPackets.describe(packets) + ", stream " + stream;
        }
    }

    private static Packet feed(PacketDecoder decoder, Message m) throws PacketParseException {
        return m.isText() ? decoder.decodeText(m.text()) : decoder.decodeBinary(m.binary());
    }

    @Test
    void anyMessageSequenceYieldsPacketsNullOrParseExceptions() {
        RandomPackets.forAll(0x5EED_0301L, 1500, PacketDecoderFuzzTest::hostileStream, stream -> {
            PacketDecoder decoder = new PacketDecoder(MAPPER, MAX_ATTACHMENTS);
            for (Message m : stream) {
                try {
                    Packet p = feed(decoder, m);
                    assertEquals(p == null, decoder.awaitingAttachments(),
                            "null exactly while attachments are awaited");
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
        });
    }

    private static void assertNoPlaceholderLeft(JsonNode node) {
        if (node.isObject()) {
            assertFalse(node.path("_placeholder").asBoolean(false), "unresolved placeholder " + node);
        }
        node.forEach(PacketDecoderFuzzTest::assertNoPlaceholderLeft);
    }

    @Test
    void interleavingsFollowTheStateMachine() {
        RandomPackets.forAll(0x5EED_0302L, 1500, PacketDecoderFuzzTest::interleaving, in -> {
            List<Packet> packets = in.packets();
            PacketDecoder decoder = new PacketDecoder(MAPPER, Integer.MAX_VALUE);
            int awaiting = 0;
            int current = -1;
            boolean disturbed = false;
            int completedIntact = 0;
            for (Message m : in.stream()) {
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
                        JsonNode expected = sent.data() == null ? null : RandomPackets.expectedTree(sent.data());
                        assertTrue(expected == null ? got.data() == null
                                : expected.equals(RandomPackets.SAME_VALUE, (JsonNode) got.data()), m.toString());
                    }
                }
            }
            assertTrue(completedIntact <= packets.size());
        });
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

    /** Up to ten messages: real packet texts (3), mutated (4) or with a number tweaked (2), any text, binaries (4). */
    static List<Message> hostileStream(Random r) {
        return RandomPackets.list(r, 0, 10, x -> switch (RandomPackets.weighted(x, 3, 4, 2, 1, 4)) {
            case 0 -> new Message(realText(x), null, -1, -1);
            case 1 -> new Message(mutation(x, realText(x)), null, -1, -1);
            case 2 -> new Message(numberTweak(x, realText(x)), null, -1, -1);
            case 3 -> new Message(RandomPackets.anyChars(x, 30), null, -1, -1);
            default -> new Message(null, RandomPackets.bytes(x, 0, 8), -1, -1);
        });
    }

    private static String realText(Random r) {
        return ENCODER.encode(RandomPackets.packet(r)).text();
    }

    private static final List<String> NUMBERS =
            List.of("0", "1", "2", "3", "9", "10", "11", "99", "-1", "1.5", "2147483648", "1e3");

    /** A text with one of its numbers (attachment count, ack id, placeholder index, argument) replaced. */
    private static String numberTweak(Random r, String text) {
        List<int[]> runs = new ArrayList<>();
        Matcher m = Pattern.compile("\\d+").matcher(text);
        while (m.find()) {
            runs.add(new int[] {m.start(), m.end()});
        }
        if (runs.isEmpty()) {
            return text;
        }
        int[] run = RandomPackets.pick(r, runs);
        return text.substring(0, run[0]) + RandomPackets.pick(r, NUMBERS) + text.substring(run[1]);
    }

    private static final String MUTATION_CHARS = "0123456789-/,[]{}\":._ae\\ ";

    /** A text with one to three random single-character edits over the protocol's alphabet. */
    private static String mutation(Random r, String text) {
        StringBuilder s = new StringBuilder(text);
        int edits = r.nextInt(1, 4);
        for (int e = 0; e < edits; e++) {
            int op = r.nextInt(3);
            int at = Math.min(r.nextInt(Math.max(1, text.length())), s.length());
            char c = MUTATION_CHARS.charAt(r.nextInt(MUTATION_CHARS.length()));
            switch (op) {
                case 0 -> s.insert(at, c);
                case 1 -> {
                    if (at < s.length()) {
                        s.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < s.length()) {
                        s.setCharAt(at, c);
                    }
                }
            }
        }
        return s.toString();
    }

    /**
     * One to six real packets in order, each sent whole or (if binary, one time in three) without its last
     * attachment, with up to three stray binaries and always-invalid texts slipped in anywhere.
     */
    static Interleaving interleaving(Random r) {
        List<Packet> packets = RandomPackets.list(r, 1, 6, RandomPackets::packet);
        List<Message> stream = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            List<Message> ms = messages(i, ENCODER.encode(packets.get(i)));
            int drop = ms.size() > 1 && r.nextInt(3) == 2 ? 1 : 0;
            stream.addAll(ms.subList(0, ms.size() - drop));
        }
        List<Message> strays = RandomPackets.list(r, 0, 3, x -> x.nextBoolean()
                ? new Message(null, RandomPackets.bytes(x, 0, 4), -1, -1)
                : new Message(RandomPackets.pick(x, ALWAYS_INVALID), null, -1, -1));
        List<Integer> where = RandomPackets.list(r, 0, 3, x -> x.nextInt(1001));
        for (int s = 0; s < strays.size(); s++) {
            int at = where.isEmpty() ? 0 : where.get(s % where.size()) % (stream.size() + 1);
            stream.add(at, strays.get(s));
        }
        return new Interleaving(packets, stream);
    }
}
