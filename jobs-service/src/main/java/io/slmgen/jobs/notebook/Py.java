package io.slmgen.jobs.notebook;

import java.math.BigDecimal;

/**
 * Python literals built from untrusted values. Every string becomes a double-quoted literal made of
 * printable ASCII only (anything else becomes a Python hex or unicode escape), so no
 * filename, model name or URL can end the literal, start a comment or smuggle a line into the code.
 */
public final class Py {

    private Py() {
    }

    /** A Python str literal, or {@code None} for null. */
    public static String str(String s) {
        if (s == null) {
            return "None";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (cp >= 0x20 && cp < 0x7f) {
                        b.append((char) cp);
                    } else if (cp < 0x100) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A Python float literal in plain notation: 2e-4 → {@code 0.0002}, 3 → {@code 3.0}. */
    public static String real(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        String plain = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    public static String integer(long v) {
        return Long.toString(v);
    }

    public static String bool(boolean v) {
        return v ? "True" : "False";
    }
}
