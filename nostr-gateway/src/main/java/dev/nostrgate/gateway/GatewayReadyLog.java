package dev.nostrgate.gateway;

import dev.nostrgate.gateway.readrelay.ReadRelay;
import dev.nostrgate.relay.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** One INFO line when the gateway is ready: where to connect (REST, NIP-01), where its data lives, which broker. */
@Component
class GatewayReadyLog {
    private static final Logger log = LoggerFactory.getLogger(GatewayReadyLog.class);

    private final ReadRelay readRelay;
    private final Database database;
    private final ConnectionFactory rabbit;

    GatewayReadyLog(ReadRelay readRelay, Database database, ConnectionFactory rabbit) {
        this.readRelay = readRelay;
        this.database = database;
        this.rabbit = rabbit;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready(ApplicationReadyEvent event) {
        String http = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? ":" + web.getWebServer().getPort() + " (/dashboard/, /api, /actuator)" : "off";
        log.info("gateway ready: HTTP {}, NIP-01 read relay ws://{}:{}, data {}, RabbitMQ {}:{}", http,
                readRelay.config().server().bind(), readRelay.port(), database.location(), rabbit.getHost(),
                rabbit.getPort());
    }
}
