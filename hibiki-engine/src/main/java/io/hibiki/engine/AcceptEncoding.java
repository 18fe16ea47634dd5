package io.hibiki.engine;

import java.util.Locale;

/** Which compression a client's {@code Accept-Encoding} lets a response use, by its weights. */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /**
     * gzip or deflate, whichever the client weighs more (gzip on a tie), or {@code null} for neither. A name with
     * {@code q=0} is refused even when {@code *} would allow it; {@code *} speaks for the names not given.
     *
     * @param acceptEncoding the header's value, or {@code null}
     * @return {@code "gzip"}, {@code "deflate"} or {@code null}
     */
    public static String preferred(String acceptEncoding) {
        if (acceptEncoding == null) {
            return null;
        }
        // -1: not named (then "*" speaks for it); 0: refused by name.
        double gzip = -1;
        double deflate = -1;
        double any = 0;
        for (String part : acceptEncoding.split(",")) {
            String[] fields = part.trim().split(";");
            String name = fields[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                String f = fields[i].trim();
                if (f.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(f.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            switch (name) {
                case "gzip", "x-gzip" -> gzip = q;
                case "deflate" -> deflate = q;
                case "*" -> any = q;
                default -> { }
            }
        }
        if (gzip < 0) {
            gzip = any;
        }
        if (deflate < 0) {
            deflate = any;
        }
        if (gzip <= 0 && deflate <= 0) {
            return null;
        }
        return gzip >= deflate ? "gzip" : "deflate";
    }
}
