package dev.nostrgate.relay.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}, {@code 127.0.0.1}), as written in
 * {@code relay.trustedProxies}. Parsed without DNS: a name is refused, not looked up.
 */
public record AddressRange(byte[] network, int prefixLength) {
    public AddressRange {
        ConfigCheck.check(network != null && (network.length == 4 || network.length == 16),
                "an address range needs an IPv4 or IPv6 address");
        ConfigCheck.check(prefixLength >= 0 && prefixLength <= network.length * 8,
                "an address range's prefix must be 0.." + network.length * 8 + ", was " + prefixLength);
        network = network.clone();
    }

    /** Parses {@code address} or {@code address/prefix}. */
    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        ConfigCheck.check(bytes != null, "relay.trustedProxies: '" + text + "' is not an IP address or CIDR block "
                + "(such as 10.0.0.0/8 or 127.0.0.1)");
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                ConfigCheck.check(false, "relay.trustedProxies: '" + text + "' has no prefix length after the /");
            }
        }
        return new AddressRange(bytes, prefix);
    }

    /** True if the address is in this range (an IPv4 address is never in an IPv6 range, nor the reverse). */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange that && prefixLength == that.prefixLength
                && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return NetUtil.bytesToIpAddress(network) + "/" + prefixLength;
    }
}
