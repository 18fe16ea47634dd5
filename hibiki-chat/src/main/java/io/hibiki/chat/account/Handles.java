package io.hibiki.chat.account;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Handles: what people sign in with and mention each other by. Unique once normalised ({@link #key}: NFKC and case
 * folded, so {@code Alice}, {@code ALICE} and full-width {@code ａｌｉｃｅ} are one handle), made of letters, marks,
 * digits, {@code _ . -}, and letters of one script only, so that a Cyrillic {@code а} cannot stand in for a Latin
 * {@code a} inside an otherwise Latin handle.
 */
public final class Handles {

    public static final int MIN_LENGTH = 2;
    public static final int MAX_LENGTH = 32;
    private static final Pattern SHAPE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}_.-]*");

    private Handles() {
    }

    /** The handle as typed, in NFKC and trimmed: how it is shown. */
    public static String normalize(String handle) {
        return Normalizer.normalize(handle, Normalizer.Form.NFKC).strip();
    }

    /** The form two handles are compared in: equal keys are the same handle. */
    public static String key(String handle) {
        String lower = normalize(handle).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(lower, Normalizer.Form.NFKC);
    }

    /** Why a handle is refused, or null when it may be taken. */
    public static String problem(String handle) {
        if (handle == null || handle.isBlank()) {
            return "choose a handle";
        }
        String h = normalize(handle);
        if (DisplayNames.INVISIBLE.matcher(h).find()) {
            return "handles cannot contain invisible or control characters";
        }
        int length = h.codePointCount(0, h.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return "handles are " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        if (!SHAPE.matcher(h).matches()) {
            return "handles are letters, digits, '_', '.' and '-', starting with a letter or digit";
        }
        if (mixesScripts(h)) {
            return "a handle's letters must all be of one script";
        }
        return null;
    }

    private static boolean mixesScripts(String h) {
        UnicodeScript seen = null;
        for (int i = 0; i < h.length(); ) {
            int cp = h.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            UnicodeScript s = UnicodeScript.of(cp);
            if (s == UnicodeScript.COMMON || s == UnicodeScript.INHERITED) {
                continue;
            }
            // Japanese mixes Han, Hiragana and Katakana in one name; they are one writing system.
            if (s == UnicodeScript.HIRAGANA || s == UnicodeScript.KATAKANA) {
                s = UnicodeScript.HAN;
            }
            if (seen != null && seen != s) {
                return true;
            }
            seen = s;
        }
        return false;
    }
}
