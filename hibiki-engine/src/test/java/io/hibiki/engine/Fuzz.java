package io.hibiki.engine;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Arbitraries for hostile Engine.IO input: real packets from the wire (the seed corpus), the same packets mutated
 * (characters inserted, deleted, replaced, the record separator moved), strings over the protocol's alphabet, and
 * unrestricted Unicode. The mix keeps most samples close enough to valid input to reach deep decoder states.
 */
final class Fuzz {

    static final String RS = "\u001e";

    /** Packets and payloads as clients and servers really send them. */
    static final List<String> SEEDS = List.of(
            "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
                    + "\"pingTimeout\":20000,\"maxPayload\":1000000}",
            "1", "2", "3", "2probe", "3probe", "5", "6", "4", "4hello", "4héllo 🌸",
            "40", "40/admin,{\"token\":\"x\"}", "42[\"chat\",\"hi\"]", "4212[\"ack\",{\"a\":[1,2]}]",
            "451-[\"upload\",{\"_placeholder\":true,\"num\":0}]", "bAQID", "b", "bAQ==", "b+/8=",
            "4hello" + RS + "bAQID" + RS + "2", "42[\"a\"]" + RS + "42[\"b\"]", "bAQID\nBA==", "3" + RS + "6");

    /** Characters with a meaning somewhere in the protocol, plus a few troublemakers. */
    private static final String ALPHABET = "0123456789b4" + RS + "+/=-,[]{}\":_/\\\n\r\t \u0000é🌸\uffff";

    private Fuzz() {
    }

    /** Any of the kinds of hostile text described above. */
    static Arbitrary<String> hostileText() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(SEEDS)),
                net.jqwik.api.Tuple.of(5, mutated(Arbitraries.of(SEEDS))),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().withChars(ALPHABET).ofMaxLength(40)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(1, joined()));
    }

    /** Several hostile texts joined by the record separator, as one polling payload. */
    static Arbitrary<String> joined() {
        return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(10)
                .list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(RS, parts));
    }

    /** Each seed with up to four random edits. */
    static Arbitrary<String> mutated(Arbitrary<String> seeds) {
        Arbitrary<Edit> edit = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.strings().withChars(ALPHABET).ofMinLength(1).ofMaxLength(3)).as(Edit::new);
        return Combinators.combine(seeds, edit.list().ofMinSize(1).ofMaxSize(4)).as((seed, edits) -> {
            StringBuilder s = new StringBuilder(seed);
            for (Edit e : edits) {
                e.apply(s);
            }
            return s.toString();
        });
    }

    /** Insert (0), delete (1) or replace (2) at a relative position. */
    private record Edit(int op, double where, String text) {
        void apply(StringBuilder s) {
            int at = (int) (where * s.length());
            switch (op) {
                case 0 -> s.insert(at, text);
                case 1 -> {
                    if (at < s.length()) {
                        s.delete(at, Math.min(s.length(), at + text.length()));
                    }
                }
                default -> {
                    if (at < s.length()) {
                        s.replace(at, Math.min(s.length(), at + text.length()), text);
                    } else {
                        s.append(text);
                    }
                }
            }
        }
    }

    /** Unicode text without the record separator and without lone surrogates: what a valid message may hold. */
    static Arbitrary<String> messageText() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 0xffff)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)))
                .filter(cp -> cp != 0x1e && (cp < 0xd800 || cp > 0xdfff));
        return codePoints.list().ofMaxSize(30).map(cps -> {
            StringBuilder s = new StringBuilder();
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
    }
}
