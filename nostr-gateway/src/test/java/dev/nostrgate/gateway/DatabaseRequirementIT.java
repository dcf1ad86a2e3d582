package dev.nostrgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nostrgate.relay.store.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Where an embedded database would be a mistake (the container image, the production profile), a gateway without
 * {@code gateway.database.url} stops at startup saying which variable to set; on a laptop it starts an embedded
 * PostgreSQL as it always did.
 */
class DatabaseRequirementIT {
    private static final String FIX = "set GATEWAY_DATABASE_URL to a jdbc:postgresql: URL";

    @TempDir
    Path dataDir;

    @Test
    void refusesToStartWithTheProductionProfileAndNoDatabaseUrl() {
        Throwable failure = catchThrowable(() -> gateway(Map.of(), "--spring.profiles.active=production").close());

        assertThat(messages(failure)).anySatisfy(message -> assertThat(message).contains(FIX));
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void refusesToStartWithTheContainerImagesEnvironmentAndNoDatabaseUrl() {
        // what the image's environment (jib.container.environment in nostr-gateway/pom.xml) sets
        Throwable failure = catchThrowable(() -> gateway(Map.of("GATEWAY_DATABASE_EMBEDDEDALLOWED", "false")).close());

        assertThat(messages(failure)).anySatisfy(message -> assertThat(message).contains(FIX));
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void startsAnEmbeddedDatabaseWithoutAUrlOnALaptop() {
        try (ConfigurableApplicationContext gateway = gateway(Map.of())) {
            assertThat(gateway.getBean(Database.class).location()).contains("embedded").contains(dataDir.toString());
        }
    }

    @Test
    void startsWithTheProductionProfileWhenGivenADatabaseUrl() {
        String url = GatewayTestSchema.create();
        try (ConfigurableApplicationContext gateway = gateway(Map.of("GATEWAY_DATABASE_URL", url),
                "--spring.profiles.active=production")) {
            assertThat(gateway.getBean(Database.class).location()).doesNotContain("embedded");
            assertThat(dataDir).isEmptyDirectory();
        } finally {
            GatewayTestSchema.drop(url);
        }
    }

    /** A gateway whose process environment is exactly {@code env}, as a container's would be. */
    private ConfigurableApplicationContext gateway(Map<String, Object> env, String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--gateway.relay-port=0",
                "--gateway.database.data-dir=" + dataDir));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(GatewayApplication.class).environment(environment)
                .run(all.toArray(String[]::new));
    }

    private static List<String> messages(Throwable failure) {
        assertThat(failure).as("the gateway refused to start").isNotNull();
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
