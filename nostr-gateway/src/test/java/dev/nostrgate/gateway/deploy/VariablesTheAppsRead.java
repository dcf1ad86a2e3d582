package dev.nostrgate.gateway.deploy;

import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.gateway.fleet.FleetProperties;
import dev.nostrgate.gateway.topology.QueueSettings;
import dev.nostrgate.relay.config.RelayConfigReader;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Whether the relay or the gateway reads an environment variable: the relay's names come from
 * {@link RelayConfigReader#keys()}, the gateway's from binding the variable as Spring Boot would, with unknown keys
 * refused, to {@link GatewayProperties} or to the Boot properties it uses ({@code spring.rabbitmq.*},
 * {@code server.*}); {@code management.*} and {@code logging.*} are taken by prefix.
 */
final class VariablesTheAppsRead {
    /**
     * Read by the JVM itself in both images. Not JAVA_OPTS: Jib's entrypoint runs {@code java} directly, and only a
     * launcher script reads that variable, so setting it would silently do nothing.
     */
    static final Set<String> RUNTIME = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "TZ");

    /** Read with {@code @Value} in AmqpConfiguration rather than through GatewayProperties. */
    private static final ConfigurationPropertyName AMQP_CONNECTION_NAME =
            ConfigurationPropertyName.of("gateway.amqp-connection-name");

    /** Spring's own keys the gateway's deployment may set, bound to their properties class to catch typos. */
    private static final Map<String, Class<?>> SPRING_ROOTS = Map.of(
            "gateway", GatewayProperties.class,
            "gateway.fleet", FleetProperties.class,
            "gateway.queues", QueueSettings.class,
            "spring.rabbitmq", RabbitProperties.class,
            "server", ServerProperties.class);
    private static final Set<String> SPRING_PREFIXES = Set.of("management", "logging");
    private static final Set<String> SPRING_KEYS = Set.of("spring.profiles.active");

    private VariablesTheAppsRead() {
    }

    /**
     * Why the app would ignore or refuse this variable; empty when it reads it.
     *
     * @param composedFrom variables that Kubernetes' {@code $(NAME)} expansion uses to build another one: they are
     *     set for that, not for the app
     */
    static Optional<String> problem(DeployedVariable variable, Set<String> composedFrom) {
        if (RUNTIME.contains(variable.name()) || composedFrom.contains(variable.name())) {
            return Optional.empty();
        }
        return switch (variable.app()) {
            case RELAY -> RelayConfigReader.keys().containsValue(variable.name())
                    || RelayConfigReader.CONFIG_ENV.equals(variable.name()) ? Optional.empty()
                    : Optional.of("the relay does not read it (nostr-relay/README.md lists its variables)");
            case GATEWAY -> gatewayProblem(variable);
        };
    }

    private static Optional<String> gatewayProblem(DeployedVariable variable) {
        // a Secret's value is not in the repository: any string stands for it
        ConfigurationPropertySource source = ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(variable.name(), variable.value().orElse("from-a-secret")))).iterator().next();
        Optional<ConfigurationPropertyName> key = ((IterableConfigurationPropertySource) source).stream().findFirst();
        if (key.isEmpty()) {
            return Optional.of("not a Spring Boot property name");
        }
        ConfigurationPropertyName name = key.get();
        if (name.equals(AMQP_CONNECTION_NAME) || SPRING_KEYS.stream().map(ConfigurationPropertyName::of)
                .anyMatch(name::equals)) {
            return Optional.empty();
        }
        if (SPRING_PREFIXES.stream().map(ConfigurationPropertyName::of).anyMatch(p -> p.isAncestorOf(name))) {
            return Optional.empty();
        }
        // the most specific root first: gateway.queues.* belongs to QueueSettings, not to GatewayProperties
        List<Map.Entry<String, Class<?>>> roots = SPRING_ROOTS.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, Class<?>> root) -> root.getKey().length())
                        .reversed())
                .toList();
        for (Map.Entry<String, Class<?>> root : roots) {
            ConfigurationPropertyName prefix = ConfigurationPropertyName.of(root.getKey());
            if (prefix.isAncestorOf(name)) {
                try {
                    new Binder(source).bind(prefix, Bindable.of(root.getValue()), new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
                    return Optional.empty();
                } catch (RuntimeException e) {
                    return Optional.of("the gateway refuses " + name + ": " + rootMessage(e));
                }
            }
        }
        return Optional.of("the gateway does not read " + name + " (nostr-gateway/README.md lists its keys)");
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
