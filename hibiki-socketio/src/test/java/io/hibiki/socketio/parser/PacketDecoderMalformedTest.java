package io.hibiki.socketio.parser;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PacketDecoderMalformedTest {
    private final PacketDecoder decoder = new PacketDecoder(new ObjectMapper());

    static Stream<Arguments> malformedText() {
        return Stream.of(
                arguments("empty", ""),
                arguments("unknown type", "9"),
                arguments("unknown type 7", "7[\"a\"]"),
                arguments("non-digit type", "a[\"a\"]"),
                arguments("unterminated JSON", "2["),
                arguments("trailing garbage", "2[\"a\"]x"),
                arguments("two JSON values", "2[\"a\"] [1]"),
                arguments("NaN", "2[\"a\",NaN]"),
                arguments("single quotes", "2['a']"),
                arguments("comment", "2[\"a\"/*c*/]"),
                arguments("blank JSON", "2 "),
                arguments("number too long for Jackson", "2[\"a\"," + "1".repeat(5_000) + "]"),
                arguments("nesting too deep", "2[\"a\"," + "[".repeat(5_000) + "]".repeat(5_000) + "]"),
                arguments("namespace without comma", "2/admin"),
                arguments("namespace without comma before payload", "2/admin[\"a\"]"),
                arguments("reserved event connect", "2[\"connect\"]"),
                arguments("reserved event connect_error", "2[\"connect_error\"]"),
                arguments("reserved event disconnect", "2/admin,[\"disconnect\"]"),
                arguments("reserved event disconnecting", "2[\"disconnecting\"]"),
                arguments("reserved event newListener", "2[\"newListener\"]"),
                arguments("reserved event removeListener", "21[\"removeListener\"]"),
                arguments("event object", "2{}"),
                arguments("event empty array", "2[]"),
                arguments("event without payload", "2"),
                arguments("event with id only", "212"),
                arguments("event name null", "2[null]"),
                arguments("event name object", "2[{}]"),
                arguments("event name array", "2[[\"a\"]]"),
                arguments("event string payload", "2\"a\""),
                arguments("disconnect with payload", "1{}"),
                arguments("disconnect on namespace with payload", "1/admin,[]"),
                arguments("connect with array", "0[]"),
                arguments("connect with string", "0\"x\""),
                arguments("connect with null", "0null"),
                arguments("connect error without payload", "4"),
                arguments("connect error array", "4[]"),
                arguments("connect error number", "4/x,\"a\"1"),
                arguments("ack without payload", "31"),
                arguments("ack object", "31{}"),
                arguments("binary without count", "5[\"a\"]"),
                arguments("binary with empty count", "5-[\"a\"]"),
                arguments("binary count not a number", "5a-[]"),
                arguments("binary count without dash", "51[\"a\"]"),
                arguments("binary count at end", "51"),
                arguments("binary type only", "5"),
                arguments("binary count over limit", "511-[\"a\"]"),
                arguments("binary count overflowing int", "59999999999999-[\"a\"]"),
                arguments("binary ack count over limit", "611-/admin,1[]"),
                arguments("count on non-binary type", "21-[\"a\"]"),
                arguments("id too long", "2999999999999999999999[\"a\"]"),
                arguments("id of 16 digits", "2/admin,1234567890123456[\"a\"]"),
                arguments("binary event reserved name", "51-[\"connect\",{\"_placeholder\":true,\"num\":0}]"),
                arguments("placeholder as event name", "51-[{\"_placeholder\":true,\"num\":0}]"),
                arguments("binary ack object", "61-1{\"_placeholder\":true,\"num\":0}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedText")
    void rejectsMalformedText(String description, String text) {
        assertThrows(PacketParseException.class, () -> decoder.decodeText(text));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"_placeholder\":true,\"num\":5}",
            "{\"_placeholder\":true,\"num\":-1}",
            "{\"_placeholder\":true,\"num\":0.5}",
            "{\"_placeholder\":true,\"num\":\"0\"}",
            "{\"_placeholder\":true,\"num\":99999999999}",
            "{\"_placeholder\":true}"})
    void rejectsPlaceholdersThatNameNoAttachment(String placeholder) throws PacketParseException {
        assertNull(decoder.decodeText("51-[\"a\"," + placeholder + "]"));

        assertThrows(PacketParseException.class, () -> decoder.decodeBinary(new byte[] {1}));
    }

    @Test
    void rejectsBinaryWhenNoneIsAwaited() throws PacketParseException {
        assertThrows(PacketParseException.class, () -> decoder.decodeBinary(new byte[] {1}));
        decoder.decodeText("2[\"a\"]");
        assertThrows(PacketParseException.class, () -> decoder.decodeBinary(new byte[0]));
    }

    @Test
    void rejectsTextWhileAttachmentsAreAwaited() throws PacketParseException {
        assertNull(decoder.decodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0}]"));
        assertNull(decoder.decodeBinary(new byte[] {1}));

        assertThrows(PacketParseException.class, () -> decoder.decodeText("2[\"b\"]"));
    }

    /** Mutated packets must fail only with PacketParseException, never with a stray runtime exception. */
    @Test
    void mutatedInputOnlyEverFailsWithParseException() {
        String alphabet = "0123456789-/,[]{}\":._ae\\ ";
        List<String> seeds = new ArrayList<>();
        PacketFixtures.all().forEach(f -> seeds.add(f.text()));
        malformedText().forEach(a -> seeds.add((String) a.get()[1]));
        Random random = new Random(20240601L);

        for (int round = 0; round < 30_000; round++) {
            StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = text.length() == 0 ? 0 : random.nextInt(text.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, c);
                    case 1 -> { if (text.length() > 0) text.deleteCharAt(at); }
                    default -> { if (text.length() > 0) text.setCharAt(at, c); }
                }
            }
            try {
                if (decoder.decodeText(text.toString()) == null) {
                    while (decoder.awaitingAttachments()) {
                        decoder.decodeBinary(new byte[] {(byte) round});
                    }
                }
            } catch (PacketParseException expected) {
                // the only acceptable failure
            } catch (RuntimeException e) {
                fail("unexpected " + e + " for input " + text, e);
            }
            decoder.reset();
        }
    }
}
