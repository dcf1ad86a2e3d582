package dev.nostrgate.gateway.config;

import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.boot.autoconfigure.amqp.RabbitTemplateCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** RabbitMQ: Boot configures the connection, template and listener factory from {@code spring.rabbitmq.*}. */
@Configuration(proxyBeanMethods = false)
public class AmqpConfiguration {

    /** The name the gateway's connections show in RabbitMQ's management UI and {@code rabbitmqctl}. */
    @Bean
    ConnectionNameStrategy connectionNameStrategy(
            @Value("${gateway.amqp-connection-name:nostr-gateway}") String name) {
        return connectionFactory -> name;
    }

    /**
     * Publishes on a connection of its own, apart from the consumers'. RabbitMQ blocks a connection that publishes
     * while it is short of memory or disk; the consumers that would drain the queues must not be blocked with it.
     * It also halves the channels on each connection: with a thousand relays, a thousand consumer channels and the
     * publishers' would otherwise share one connection's limit (2047 by default).
     */
    @Bean
    RabbitTemplateCustomizer publishOnItsOwnConnection() {
        return template -> template.setUsePublisherConnection(true);
    }
}
