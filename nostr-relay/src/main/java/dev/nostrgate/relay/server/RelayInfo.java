package dev.nostrgate.relay.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nostrgate.core.event.EventJson;
import dev.nostrgate.relay.config.RelayConfig;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The NIP-11 relay information document, written once from the configuration: every limit the relay enforces is
 * advertised with the value it enforces.
 */
public final class RelayInfo {
    /** NIPs this relay implements. */
    public static final List<Integer> SUPPORTED_NIPS = List.of(1, 9, 11, 40, 42, 45, 62, 70, 77);

    private final String json;

    public RelayInfo(RelayConfig config) {
        this.json = write(config);
    }

    /** The document. */
    public String json() {
        return json;
    }

    private static String write(RelayConfig config) {
        RelayConfig.Info info = config.info();
        RelayConfig.Limits limits = config.limits();
        RelayConfig.Auth auth = config.auth();
        StringWriter out = new StringWriter();
        try (JsonGenerator json = EventJson.jsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("name", info.name());
            json.writeStringField("description", info.description());
            optional(json, "pubkey", info.pubkey());
            optional(json, "contact", info.contact());
            optional(json, "icon", info.icon());
            json.writeArrayFieldStart("supported_nips");
            for (int nip : SUPPORTED_NIPS) {
                json.writeNumber(nip);
            }
            json.writeEndArray();
            json.writeStringField("software", "nostrgate");
            json.writeStringField("version", version());
            json.writeObjectFieldStart("limitation");
            json.writeNumberField("max_message_length", limits.maxMessageBytes());
            json.writeNumberField("max_subscriptions", limits.maxSubscriptions());
            json.writeNumberField("max_filters", limits.maxFilters());
            json.writeNumberField("max_limit", limits.maxLimit());
            json.writeNumberField("default_limit", limits.maxLimit());
            json.writeNumberField("max_subid_length", limits.maxSubidLength());
            json.writeNumberField("max_event_tags", limits.maxEventTags());
            json.writeNumberField("max_content_length", limits.maxContentLength());
            json.writeNumberField("min_pow_difficulty", 0);
            // NIP-11: auth_required means authentication before any other action, so both reads and writes.
            json.writeBooleanField("auth_required", auth.requiredForReads() && auth.requiredForWrites());
            json.writeBooleanField("payment_required", false);
            // a read-only relay takes no event at all; NIP-11 has no stronger word than restricted_writes
            json.writeBooleanField("restricted_writes", auth.requiredForWrites() || config.server().readOnly());
            json.writeNumberField("created_at_lower_limit", limits.createdAtLowerLimit());
            json.writeNumberField("created_at_upper_limit", limits.createdAtUpperLimit());
            // Not in NIP-11, advertised all the same (clients ignore fields they do not know).
            json.writeNumberField("max_connections_per_ip", limits.maxConnectionsPerIp());
            json.writeNumberField("events_per_second", limits.eventsPerSecond());
            json.writeNumberField("event_burst", limits.eventBurst());
            json.writeBooleanField("auth_required_for_reads", auth.requiredForReads());
            json.writeBooleanField("auth_required_for_writes", auth.requiredForWrites());
            json.writeBooleanField("read_only", config.server().readOnly());
            json.writeNumberField("negentropy_max_sessions", config.negentropy().maxSessions());
            json.writeNumberField("negentropy_max_items", config.negentropy().maxItems());
            json.writeNumberField("negentropy_frame_size_limit", config.negentropy().frameSizeLimit());
            // relay-wide, all sessions together: past both a NEG-OPEN is "blocked:" until sessions end
            json.writeNumberField("negentropy_memory_budget", config.negentropy().memoryBudget());
            json.writeNumberField("negentropy_disk_budget", config.negentropy().diskBudget());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void optional(JsonGenerator json, String field, String value) throws IOException {
        if (!value.isEmpty()) {
            json.writeStringField(field, value);
        }
    }

    /** The relay's version, from the jar's manifest; "dev" when run from classes. */
    static String version() {
        String version = RelayInfo.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
