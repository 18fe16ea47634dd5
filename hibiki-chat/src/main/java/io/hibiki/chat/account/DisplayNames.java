package io.hibiki.chat.account;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * The rule for names people see (display names, guests' nicknames): NFKC, trimmed, and nothing that does not show
 * or changes how the rest shows, so that {@code alice} and {@code alice}+U+200B cannot be two people who look
 * the same.
 */
public final class DisplayNames {

    public static final int MAX_LENGTH = 32;
    /**
     * Controls, format characters (zero-width spaces and joiners, bidirectional overrides, the BOM), private-use and
     * unassigned code points, and the Hangul, braille and combining blanks that render as nothing.
     */
    static final Pattern INVISIBLE = Pattern.compile(
            "[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\u115F\\u1160\\u2800\\u3164\\uFFA0\\u034F\\uFE00-\\uFE0F]");

    private DisplayNames() {
    }

    /** The name as the chat keeps it: NFKC (full-width forms become the usual ones), trimmed. */
    public static String normalize(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).strip();
    }

    /** Why a name is refused, or null when it is fine. */
    public static String problem(String name, String what) {
        if (name == null) {
            return what + " missing";
        }
        String n = normalize(name);
        if (INVISIBLE.matcher(n).find()) {
            return what + " contains invisible or control characters";
        }
        if (n.length() > MAX_LENGTH) {
            return what + " is longer than " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** The name without anything invisible (for paths where a refusal has already had its chance). */
    public static String strip(String name) {
        return INVISIBLE.matcher(normalize(name)).replaceAll("").strip();
    }
}
