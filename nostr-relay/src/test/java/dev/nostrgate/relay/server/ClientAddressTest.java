package dev.nostrgate.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.relay.config.AddressRange;
import dev.nostrgate.relay.config.RelayConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the client is behind trusted proxies, and why nobody else's X-Forwarded-For counts. */
class ClientAddressTest {
    private static final RelayConfig.Proxies PROXIES = new RelayConfig.Proxies(
            List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("127.0.0.1")));

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static HttpHeaders forwardedFor(String... values) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String value : values) {
            headers.add(ClientAddress.FORWARDED_FOR, value);
        }
        return headers;
    }

    @Test
    void takesTheRightmostAddressThatIsNotATrustedProxy() throws Exception {
        assertThat(ClientAddress.of(ip("10.1.2.3"), forwardedFor("198.51.100.7, 203.0.113.9, 10.9.9.9"), PROXIES))
                .isEqualTo(ip("203.0.113.9")); // 198.51.100.7 may have been written by the client itself
        assertThat(ClientAddress.of(ip("10.1.2.3"), forwardedFor("198.51.100.7", "203.0.113.9, 10.9.9.9"), PROXIES))
                .isEqualTo(ip("203.0.113.9")); // two headers are one list
        assertThat(ClientAddress.of(ip("127.0.0.1"), forwardedFor("2001:db8::1"), PROXIES))
                .isEqualTo(ip("2001:db8::1"));
    }

    @Test
    void ignoresForwardedForFromAnyoneElse() throws Exception {
        assertThat(ClientAddress.of(ip("198.51.100.7"), forwardedFor("203.0.113.9"), PROXIES))
                .isEqualTo(ip("198.51.100.7"));
        assertThat(ClientAddress.of(ip("10.1.2.3"), forwardedFor("203.0.113.9"), RelayConfig.Proxies.NONE))
                .isEqualTo(ip("10.1.2.3"));
    }

    @Test
    void fallsBackToTheProxyWhenTheHeaderIsMissingOrUnreadableAndNeverLooksUpANames() throws Exception {
        assertThat(ClientAddress.of(ip("10.1.2.3"), new DefaultHttpHeaders(), PROXIES)).isEqualTo(ip("10.1.2.3"));
        assertThat(ClientAddress.of(ip("10.1.2.3"), forwardedFor("203.0.113.9, relay.example.com"), PROXIES))
                .isEqualTo(ip("10.1.2.3"));
        assertThat(ClientAddress.of(ip("10.1.2.3"), forwardedFor("10.4.4.4"), PROXIES)).isEqualTo(ip("10.1.2.3"));
    }

    @Test
    void readsAddressesAndCidrBlocksWithoutDns() throws Exception {
        AddressRange block = AddressRange.parse("192.168.0.0/23");
        assertThat(block.contains(ip("192.168.1.255"))).isTrue();
        assertThat(block.contains(ip("192.168.2.0"))).isFalse();
        assertThat(AddressRange.parse("fd00::/8").contains(ip("fd12::1"))).isTrue();
        assertThat(AddressRange.parse("fd00::/8").contains(ip("10.0.0.1"))).isFalse();
        assertThat(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThatThrownBy(() -> AddressRange.parse("proxy.example.com"))
                .hasMessageContaining("'proxy.example.com' is not an IP address or CIDR block");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("prefix must be 0..32");
    }
}
