package dev.nostrgate.gateway;

import dev.nostrgate.core.event.EventVerifier;
import dev.nostrgate.gateway.config.GatewayProperties;
import dev.nostrgate.gateway.fleet.FleetProperties;
import dev.nostrgate.gateway.topology.QueueSettings;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jooq.JooqAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The aggregator gateway: {@code java -jar nostr-gateway-exec.jar} (or {@code ./nostr gateway}). Its jOOQ
 * {@code DSLContext} is built in {@code StoreConfiguration}, so Boot's jOOQ auto-configuration stays out.
 */
@SpringBootApplication(exclude = JooqAutoConfiguration.class)
@EnableConfigurationProperties({GatewayProperties.class, FleetProperties.class, QueueSettings.class})
@EnableScheduling
public class GatewayApplication {

    /** One signature checker for every relay's consumer: thread-safe, built once. */
    @Bean
    EventVerifier eventVerifier() {
        return new EventVerifier();
    }

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
