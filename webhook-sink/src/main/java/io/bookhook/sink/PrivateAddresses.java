package io.bookhook.sink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which addresses a webhook must not reach unless the operator allows it: loopback, private (RFC 1918, IPv6
 * unique-local), link-local (and with it the 169.254.169.254 / fd00:ec2::254 metadata services), carrier-grade
 * NAT, "this network", broadcast and multicast. An IPv4-mapped or IPv4-compatible IPv6 address is judged by the
 * IPv4 address inside it, so {@code ::ffff:127.0.0.1} is loopback too.
 */
final class PrivateAddresses {

    // Only literals (URI keeps IPv6 ones in brackets): InetAddress.getByName on a name would do a DNS lookup.
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9]+(\\.[0-9]+){0,3}|\\[[0-9a-f:.]+]");

    private PrivateAddresses() {
    }

    static boolean isPrivate(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            InetAddress embedded = embeddedIpv4(v6.getAddress());
            if (embedded != null) {
                return isPrivate(embedded);
            }
            byte[] b = v6.getAddress();
            // fc00::/7 unique-local (includes the fd00:ec2::254 metadata address), which isSiteLocalAddress misses.
            return v6.isLoopbackAddress() || v6.isAnyLocalAddress() || v6.isLinkLocalAddress() || v6.isSiteLocalAddress()
                    || v6.isMulticastAddress() || (b[0] & 0xfe) == 0xfc;
        }
        byte[] b = address.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isSiteLocalAddress()
                || address.isLinkLocalAddress() || address.isMulticastAddress()
                || first == 0                                   // 0.0.0.0/8 "this network"
                || (first == 100 && (second & 0xc0) == 64)      // 100.64.0.0/10 carrier-grade NAT
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 IETF protocol assignments
                || first >= 240;                                // reserved and 255.255.255.255 broadcast
    }

    /** The IPv4 address inside {@code ::ffff:a.b.c.d} (mapped) or {@code ::a.b.c.d} (compatible); null otherwise. */
    private static InetAddress embeddedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return null;
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && (b[12] != 0 || b[13] != 0);
        if (!mapped && !compatible) {
            return null;
        }
        try {
            return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The start-up check on the configured host: {@code localhost} and private literals in any numeric form the
     * resolver accepts ({@code 2130706433},
     * {@code [::ffff:7f00:1]}; the JDK rejects hex forms outright). Names are
     * not resolved here; every connection is checked again (see {@link PublicOnlySockets}).
     */
    static boolean isLiteralPrivate(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(lower).matches()) {
            return false;
        }
        try {
            return isPrivate(InetAddress.getByName(lower.startsWith("[") ? lower.substring(1, lower.length() - 1) : lower));
        } catch (UnknownHostException notALiteral) {
            return false;
        }
    }
}
