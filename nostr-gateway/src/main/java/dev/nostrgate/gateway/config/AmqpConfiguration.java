package dev.nostrgate.gateway.config;

import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
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
}
