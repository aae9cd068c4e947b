package io.bookhook.sink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A first, start-up-time guard against posting into the sink's own network: it refuses hosts that are
 * written as loopback, private or link-local literals (and {@code localhost}). It resolves no names, so
 * a public name pointing at a private address passes here; the connect-time check belongs to the
 * SSRF work that replaces this.
 */
final class PrivateTargets {

    // Only literals (URI keeps IPv6 ones in brackets): InetAddress.getByName on a name would do a DNS lookup.
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]+(\\.[0-9]+){3}|\\[[0-9a-fA-F:.]+]");

    private PrivateTargets() {
    }

    static boolean isLiteralPrivate(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(lower).matches()) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(lower.startsWith("[") ? lower.substring(1, lower.length() - 1) : lower);
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || isUniqueLocalV6(address);
        } catch (UnknownHostException notALiteral) {
            return false;
        }
    }

    // fc00::/7: the IPv6 counterpart of 10/8 etc., which isSiteLocalAddress does not cover.
    private static boolean isUniqueLocalV6(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
