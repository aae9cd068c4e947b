package io.bookhook.schemas;

/**
 * Masks phone numbers the way the seed did: the first four and the last four digits stay,
 * {@code ***} replaces the middle ({@code 0912-345-4567 -> 0912***4567}). Separators are dropped so
 * that the mask never leaks how many digits were hidden; a leading {@code +} is kept. A number of
 * eight digits or fewer would be revealed whole by that rule, so it keeps only its last two digits.
 */
public final class PhoneMasker {

    private static final int KEPT_HEAD = 4;
    private static final int KEPT_TAIL = 4;
    private static final int SHORT_KEPT_TAIL = 2;

    private PhoneMasker() {
    }

    public static String mask(String phone) {
        if (phone == null || phone.isBlank()) {
            return phone;
        }
        String digits = phone.replaceAll("\\D", "");
        String sign = phone.strip().startsWith("+") ? "+" : "";
        if (digits.length() > KEPT_HEAD + KEPT_TAIL) {
            return sign + digits.substring(0, KEPT_HEAD) + "***" + digits.substring(digits.length() - KEPT_TAIL);
        }
        int hidden = Math.max(0, digits.length() - SHORT_KEPT_TAIL);
        return sign + "*".repeat(Math.max(hidden, 1)) + digits.substring(hidden);
    }
}
