package dev.nostrgate.gateway.sink;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_EVENT_SOURCES;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.unnest;
import static org.jooq.impl.DSL.val;

import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Component;

/** Records which relay carried which event ({@code gateway_event_sources}); the first sighting per relay wins. */
@Component
public class ProvenanceWriter {
    private final DSLContext dsl;

    public ProvenanceWriter(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * One statement for the whole batch, the keys bound as one array whatever their number (so the statement has
     * one shape); rows already there are kept as they are.
     *
     * @throws DataAccessException if the database refuses or is away (nothing of the batch is then written)
     */
    public void seen(UUID relayId, List<UUID> eventKeys, long firstSeen) {
        if (eventKeys.isEmpty()) {
            return;
        }
        Table<?> keys = unnest(val(eventKeys.toArray(UUID[]::new), SQLDataType.UUID.array()))
                .as("keys", "event_key");
        Field<UUID> key = keys.field("event_key", UUID.class);
        dsl.insertInto(GATEWAY_EVENT_SOURCES,
                        GATEWAY_EVENT_SOURCES.EVENT_KEY, GATEWAY_EVENT_SOURCES.RELAY_ID,
                        GATEWAY_EVENT_SOURCES.FIRST_SEEN)
                .select(select(key, val(relayId), val(firstSeen)).from(keys))
                .onConflictDoNothing()
                .execute();
    }
}
