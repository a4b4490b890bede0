package com.oneclick.deploy.ops;

import java.nio.charset.StandardCharsets;

/** What the ops commands print of data they did not write: no control characters reach the terminal. */
final class Text {

    private Text() {
    }

    /** The string with every control character (escape sequences, newlines) shown as {@code \\uXXXX}. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    static String printable(byte[] utf8) {
        return utf8 == null ? "(none)" : printable(new String(utf8, StandardCharsets.UTF_8));
    }

    /** Cut to at most {@code max} characters, with an ellipsis. */
    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }
}
