package io.hibiki.engine;

import io.hibiki.testsupport.SampleText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Randomized property tests with fixed seeds: {@link #forAll} runs a check over many samples drawn from
 * {@link Random}s seeded deterministically, so every run tries the same inputs and a failure names the seed that
 * reproduces it. The samples are hostile Engine.IO input: real packets from the wire (the seed corpus), the same
 * packets mutated (characters inserted, deleted, replaced, the record separator moved), strings over the protocol's
 * alphabet, and unrestricted UTF-16 text. The mix keeps most samples close enough to valid input to reach deep
 * decoder states.
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

    /**
     * Characters with a meaning somewhere in the protocol, plus a few troublemakers. Drawn char by char, so the
     * halves of the surrogate pair also come alone.
     */
    private static final String ALPHABET = "0123456789b4" + RS + "+/=-,[]{}\":_/\\\n\r\t \u0000é🌸\uffff";

    private Fuzz() {
    }

    /** A property of one sample; anything it throws fails the test. */
    @FunctionalInterface
    interface Check<T> {
        void accept(T sample) throws Exception;
    }

    /**
     * Runs {@code check} on {@code tries} samples. Try {@code i} draws its sample from {@code new Random(s)}, where
     * {@code s} is the {@code i}-th {@code nextLong()} of {@code new Random(seed)}; a failure reports the seed, the
     * try, {@code s} and the sample, so {@code generator.apply(new Random(s))} gives the failing input back.
     */
    static <T> void forAll(long seed, int tries, Function<Random, T> generator, Check<T> check) {
        Random sampleSeeds = new Random(seed);
        for (int i = 0; i < tries; i++) {
            long sampleSeed = sampleSeeds.nextLong();
            T sample = generator.apply(new Random(sampleSeed));
            try {
                check.accept(sample);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("seed " + seed + ", try " + i + " (sample seed " + sampleSeed + "), input "
                        + describe(sample) + ": " + e, e);
            }
        }
    }

    static String describe(Object o) {
        return SampleText.describe(o);
    }

    static String quote(String s) {
        return SampleText.quote(s);
    }

    // ---- primitives ----

    /** An index chosen with the given relative weights. */
    static int weighted(Random r, int... weights) {
        int n = r.nextInt(Arrays.stream(weights).sum());
        int i = 0;
        while (n >= weights[i]) {
            n -= weights[i++];
        }
        return i;
    }

    static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    static <T> List<T> list(Random r, int minSize, int maxSize, Function<Random, T> element) {
        int size = r.nextInt(minSize, maxSize + 1);
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.apply(r));
        }
        return out;
    }

    static byte[] bytes(Random r, int minSize, int maxSize) {
        byte[] b = new byte[r.nextInt(minSize, maxSize + 1)];
        r.nextBytes(b);
        return b;
    }

    /** A string of {@code minLength} to {@code maxLength} chars taken from {@code alphabet}. */
    static String chars(Random r, String alphabet, int minLength, int maxLength) {
        char[] out = new char[r.nextInt(minLength, maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = alphabet.charAt(r.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    /** Up to {@code maxLength} of any chars (lone surrogates and controls included), a quarter printable ASCII. */
    static String anyChars(Random r, int maxLength) {
        char[] out = new char[r.nextInt(maxLength + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (char) (r.nextInt(4) == 0 ? r.nextInt(0x20, 0x7f) : r.nextInt(0x10000));
        }
        return new String(out);
    }

    // ---- hostile text ----

    /** Any of the kinds of hostile text described above. */
    static String hostileText(Random r) {
        return switch (weighted(r, 2, 5, 3, 2, 1)) {
            case 0 -> pick(r, SEEDS);
            case 1 -> mutated(r, SEEDS);
            case 2 -> chars(r, ALPHABET, 0, 40);
            case 3 -> anyChars(r, 40);
            default -> joined(r);
        };
    }

    /** Several hostile texts joined by the record separator, as one polling payload. */
    static String joined(Random r) {
        return String.join(RS, list(r, 1, 6, x -> chars(x, ALPHABET, 0, 10)));
    }

    /** One of {@code seeds} with one to four random edits: insert, delete or replace one to three characters. */
    static String mutated(Random r, List<String> seeds) {
        StringBuilder s = new StringBuilder(pick(r, seeds));
        int edits = r.nextInt(1, 5);
        for (int e = 0; e < edits; e++) {
            int op = r.nextInt(3);
            int at = r.nextInt(s.length() + 1);
            String text = chars(r, ALPHABET, 1, 3);
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
        return s.toString();
    }

    /** Unicode text without the record separator and without lone surrogates: what a valid message may hold. */
    static String messageText(Random r) {
        int length = r.nextInt(31);
        StringBuilder s = new StringBuilder();
        while (length > 0) {
            int cp = switch (weighted(r, 6, 2, 1)) {
                case 0 -> r.nextInt(0x20, 0x7f);
                case 1 -> r.nextInt(0x10000);
                default -> r.nextInt(0x10000, 0x110000);
            };
            if (cp != 0x1e && (cp < 0xd800 || cp > 0xdfff)) {
                s.appendCodePoint(cp);
                length--;
            }
        }
        return s.toString();
    }
}
