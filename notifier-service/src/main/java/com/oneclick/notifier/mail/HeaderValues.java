package com.oneclick.notifier.mail;

import java.util.regex.Pattern;

/**
 * Makes values safe for mail headers: no CR, LF or other control character can end a header and
 * start another one. Request values are validated upstream; this is the second line of defence.
 */
public final class HeaderValues {

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");
    static final int SUBJECT_MAX = 200;

    private HeaderValues() {
    }

    /** One line of text: control characters become a space, the result is trimmed and capped. */
    public static String singleLine(String value) {
        if (value == null) {
            return "";
        }
        String line = CONTROL.matcher(value).replaceAll(" ").strip();
        return line.length() > SUBJECT_MAX ? line.substring(0, SUBJECT_MAX - 1) + "…" : line;
    }

    /** An address: control characters and white space removed. */
    public static String address(String value) {
        if (value == null) {
            return "";
        }
        return CONTROL.matcher(value).replaceAll("").strip();
    }
}
