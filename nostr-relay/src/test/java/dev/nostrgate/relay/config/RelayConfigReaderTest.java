package dev.nostrgate.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayConfigReaderTest {

    @Test
    void givesTheDefaultsWhenNothingIsConfigured() {
        RelayConfig config = RelayConfigReader.fromEnvironment(Map.of());
        assertThat(config).isEqualTo(RelayConfig.DEFAULTS);
        assertThat(config.server().port()).isEqualTo(7447);
        assertThat(config.server().bind()).isEqualTo("0.0.0.0");
        assertThat(config.database().url()).isEmpty();
        assertThat(config.rabbit().url()).isEmpty();
        assertThat(config.server().readOnly()).isFalse();
    }

    @Test
    void readsAPropertiesFileAndLetsTheEnvironmentWin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("relay.properties");
        Files.writeString(file, """
                relay.port = 8080
                relay.publicUrl = wss://relay.example.com
                limits.maxFilters = 7
                limits.maxMessageBytes = 128KiB
                limits.createdAtUpperLimit = 5m
                query.timeout = 750ms
                writer.maxDelay = PT0.01S
                auth.requiredForWrites = yes
                database.url = jdbc:postgresql://db:5432/nostr
                relay.readOnly = true
                """);
        RelayConfig config = RelayConfigReader.read(file, Map.of("NOSTR_RELAY_PORT", "9000",
                "NOSTR_RELAY_RABBITMQ_URL", "amqp://guest:guest@rabbit:5672", "NOSTR_RELAY_MAX_LIMIT", "250"));
        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.server().publicUrl()).hasValue("wss://relay.example.com");
        assertThat(config.limits().maxFilters()).isEqualTo(7);
        assertThat(config.limits().maxMessageBytes()).isEqualTo(128 * 1024);
        assertThat(config.limits().createdAtUpperLimit()).isEqualTo(300);
        assertThat(config.limits().maxLimit()).isEqualTo(250);
        assertThat(config.store().maxLimit()).isEqualTo(250);
        assertThat(config.query().timeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.store().queryTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.writer().maxDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.auth().requiredForWrites()).isTrue();
        assertThat(config.database().url()).hasValue("jdbc:postgresql://db:5432/nostr");
        assertThat(config.rabbit().url()).hasValue("amqp://guest:guest@rabbit:5672");
        assertThat(config.server().readOnly()).isTrue();
        assertThat(RelayConfigReader.fromEnvironment(Map.of("NOSTR_RELAY_READ_ONLY", "yes")).server().readOnly())
                .isTrue();
    }

    @Test
    void refusesAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> RelayConfigReader.read(Map.of("limits.maxFilter", "3"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown configuration key [limits.maxFilter]")
                .hasMessageContaining("limits.maxFilters");
    }

    @Test
    void refusesAMalformedValueNamingTheKeyOrVariable() {
        assertThatThrownBy(() -> RelayConfigReader.read(Map.of("relay.port", "eighty"), Map.of()))
                .hasMessage("relay.port must be a whole number such as 7447, was \"eighty\"");
        assertThatThrownBy(() -> RelayConfigReader.fromEnvironment(Map.of("NOSTR_RELAY_QUERY_TIMEOUT", "soon")))
                .hasMessageStartingWith("environment variable NOSTR_RELAY_QUERY_TIMEOUT must be a duration");
    }

    @Test
    void refusesAValueOutOfRangeNamingTheKeyAndTheFix() {
        assertThatThrownBy(() -> RelayConfigReader.fromEnvironment(Map.of("NOSTR_RELAY_PORT", "70000")))
                .hasMessage("relay.port must be 0..65535 (0 = any free port), was 70000");
        assertThatThrownBy(() -> RelayConfigReader.fromEnvironment(Map.of("NOSTR_RELAY_MAX_SUBID_LENGTH", "65")))
                .hasMessageContaining("limits.maxSubidLength must be 1..64");
        assertThatThrownBy(() -> RelayConfigReader.fromEnvironment(Map.of("NOSTR_RELAY_PUBLIC_URL", "https://x")))
                .hasMessageContaining("relay.publicUrl must be a ws:// or wss:// URL");
        assertThatThrownBy(() -> new RelayConfig.Rabbit(Optional.of("http://guest:secret@host"), "x"))
                .hasMessageContaining("rabbitmq.url must be an amqp://").hasMessageNotContaining("secret");
    }

    @Test
    void refusesToStartWithoutADatabaseUrlWhereTheEmbeddedDatabaseIsNotAllowed() {
        Map<String, String> image = Map.of(RelayConfigReader.EMBEDDED_ALLOWED_ENV, "false");
        assertThatThrownBy(() -> RelayConfigReader.fromEnvironment(image))
                .hasMessageStartingWith("NOSTR_RELAY_DB_URL (database.url) is not set")
                .hasMessageContaining("set NOSTR_RELAY_DB_URL to a jdbc:postgresql: URL");
        assertThatThrownBy(() -> RelayConfigReader.read(Map.of("database.embeddedAllowed", "no"), Map.of()))
                .hasMessageStartingWith("NOSTR_RELAY_DB_URL (database.url) is not set");
    }

    @Test
    void startsWithTheGivenUrlWhereTheEmbeddedDatabaseIsNotAllowed() {
        RelayConfig config = RelayConfigReader.fromEnvironment(Map.of(RelayConfigReader.EMBEDDED_ALLOWED_ENV, "false",
                "NOSTR_RELAY_DB_URL", "jdbc:postgresql://db:5432/nostr"));
        assertThat(config.database().url()).hasValue("jdbc:postgresql://db:5432/nostr");
        assertThat(RelayConfigReader.fromEnvironment(Map.of(RelayConfigReader.EMBEDDED_ALLOWED_ENV, "true"))
                .database().url()).isEmpty();
    }

    @Test
    void everyKeyIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        RelayConfigReader.keys().forEach((key, env) -> {
            assertThat(readme).as("README row for " + key).contains("`" + key + "`");
            assertThat(readme).as("README row for " + env).contains("`" + env + "`");
        });
    }
}
