package dev.nostrgate.gateway.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.filter.InvalidFilterException;
import java.io.IOException;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code gateway_relays} table: which relays are registered and where each one's cursor stands. */
@Repository
public class RelayRegistry {
    private final JdbcClient jdbc;

    public RelayRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Registers a relay.
     *
     * @throws DuplicateUrlException if the URL is registered already
     */
    public RegisteredRelay add(URI url, String name, List<Filter> filters) {
        RegisteredRelay relay = new RegisteredRelay(UUID.randomUUID(), url, name, filters, false,
                OptionalLong.empty(), Instant.now().truncatedTo(ChronoUnit.MICROS)); // as the database keeps it
        try {
            jdbc.sql("INSERT INTO gateway_relays (id, url, name, filters, paused, cursor, created_at) "
                            + "VALUES (:id, :url, :name, :filters, false, NULL, :createdAt)")
                    .param("id", relay.id())
                    .param("url", url.toString())
                    .param("name", name)
                    .param("filters", filtersJson(filters))
                    .param("createdAt", Timestamp.from(relay.createdAt()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new DuplicateUrlException(url, find(url).map(RegisteredRelay::id).orElse(null));
        }
        return relay;
    }

    public List<RegisteredRelay> all() {
        return jdbc.sql("SELECT * FROM gateway_relays ORDER BY created_at, id").query(this::row).list();
    }

    public Optional<RegisteredRelay> find(UUID id) {
        return jdbc.sql("SELECT * FROM gateway_relays WHERE id = :id").param("id", id).query(this::row).optional();
    }

    public Optional<RegisteredRelay> find(URI url) {
        return jdbc.sql("SELECT * FROM gateway_relays WHERE url = :url").param("url", url.toString())
                .query(this::row).optional();
    }

    /** Saves name, filters and paused (the cursor has its own, forward-only update). */
    public void update(RegisteredRelay relay) {
        jdbc.sql("UPDATE gateway_relays SET name = :name, filters = :filters, paused = :paused WHERE id = :id")
                .param("name", relay.name())
                .param("filters", filtersJson(relay.filters()))
                .param("paused", relay.paused())
                .param("id", relay.id())
                .update();
    }

    /** Moves cursors forward, never back. */
    public void advanceCursors(Map<UUID, Long> cursors) {
        for (Map.Entry<UUID, Long> cursor : cursors.entrySet()) {
            jdbc.sql("UPDATE gateway_relays SET cursor = :cursor WHERE id = :id "
                            + "AND (cursor IS NULL OR cursor < :cursor)")
                    .param("cursor", cursor.getValue())
                    .param("id", cursor.getKey())
                    .update();
        }
    }

    public boolean remove(UUID id) {
        return jdbc.sql("DELETE FROM gateway_relays WHERE id = :id").param("id", id).update() > 0;
    }

    private RegisteredRelay row(ResultSet rows, int number) throws SQLException {
        long cursor = rows.getLong("cursor");
        OptionalLong maybeCursor = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(cursor);
        return new RegisteredRelay(
                rows.getObject("id", UUID.class),
                URI.create(rows.getString("url")),
                rows.getString("name"),
                parseFilters(rows.getString("filters")),
                rows.getBoolean("paused"),
                maybeCursor,
                rows.getTimestamp("created_at").toInstant());
    }

    /** Filters as the JSON array stored in {@code gateway_relays.filters}. */
    public static String filtersJson(List<Filter> filters) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < filters.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            FilterJson.appendTo(out, filters.get(i));
        }
        return out.append(']').toString();
    }

    private static List<Filter> parseFilters(String json) throws SQLException {
        // Written by this class from validated filters: a failure means the row was edited by hand.
        try (JsonParser parser = EventJson.jsonFactory().createParser(json)) {
            List<Filter> filters = new ArrayList<>();
            parser.nextToken();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                filters.add(FilterJson.read(parser));
            }
            return filters;
        } catch (IOException | InvalidFilterException e) {
            throw new SQLException("gateway_relays.filters is not a JSON array of filters: " + e.getMessage(), e);
        }
    }
}
