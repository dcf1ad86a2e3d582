package dev.nostrgate.gateway.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nostrgate.core.filter.Filter;
import java.net.URI;
import org.junit.jupiter.api.Test;

class RelayInformationTest {

    @Test
    void theDocumentIsReadFromTheHttpFormOfTheRelaysUrl() {
        assertThat(RelayInformation.httpForm(URI.create("wss://relay.example.com/path?x=1")))
                .isEqualTo(URI.create("https://relay.example.com/path?x=1"));
        assertThat(RelayInformation.httpForm(URI.create("ws://127.0.0.1:7447")))
                .isEqualTo(URI.create("http://127.0.0.1:7447"));
    }

    @Test
    void readsSupportedNipsAndIgnoresWhatIsNoNumber() {
        assertThat(RelayInformation.nips("{\"name\":\"r\",\"supported_nips\":[1, 11, \"x\", 77]}"))
                .containsExactlyInAnyOrder(1, 11, 77);
        assertThat(RelayInformation.nips("{\"name\":\"r\"}")).isEmpty();
        assertThatThrownBy(() -> RelayInformation.nips("<html>")).hasMessageContaining("not JSON");
    }

    @Test
    void aCatchUpWindowBoundsTheFilterAndDropsItsLimit() {
        Filter filter = Filter.builder().kinds(1).since(500).limit(10).build();

        assertThat(NegentropyCatchUp.window(filter, 100, 2_000))
                .isEqualTo(Filter.builder().kinds(1).since(500).until(2_000).build());
        assertThat(NegentropyCatchUp.window(Filter.builder().until(900).build(), 1_000, 2_000).since())
                .hasValue(1_000); // since past until: the catch-up skips this filter
    }
}
