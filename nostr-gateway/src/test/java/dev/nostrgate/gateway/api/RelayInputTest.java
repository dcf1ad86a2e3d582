package dev.nostrgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayInputTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "wss://relay.example.com, wss://relay.example.com",
        "wss://relay.example.com/, wss://relay.example.com",
        "WSS://Relay.Example.COM:443/, wss://relay.example.com",
        "ws://relay.example.com:80, ws://relay.example.com",
        "ws://relay.example.com:443, ws://relay.example.com:443",
        "wss://relay.example.com//nostr//, wss://relay.example.com/nostr",
        "wss://relay.example.com/Path?b=2&a=1, wss://relay.example.com/Path?b=2&a=1",
        "' wss://relay.example.com ', wss://relay.example.com",
        "ws://127.0.0.1:7777, ws://127.0.0.1:7777",
        "ws://[::1]:7777/, ws://[::1]:7777",
    })
    void normalizesUrlsAsNostrToolsDoes(String given, String normalized) {
        assertThat(RelayInput.url(given)).isEqualTo(URI.create(normalized));
    }

    @Test
    void namesARelayByItsHostUnlessNamed() {
        assertThat(RelayInput.name(null, URI.create("wss://relay.example.com"))).isEqualTo("relay.example.com");
        assertThat(RelayInput.name(null, URI.create("ws://localhost:7777"))).isEqualTo("localhost:7777");
        assertThat(RelayInput.name(" Mine ", URI.create("wss://relay.example.com"))).isEqualTo("Mine");
    }

    @Test
    void saysWhichFieldIsWrong() {
        assertThatThrownBy(() -> RelayInput.url("ftp://relay.example.com"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).contains("url"))
                .hasMessageContaining("was \"ftp\"");
        assertThatThrownBy(() -> RelayInput.name("", URI.create("wss://a.example")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).contains("name"));
    }
}
