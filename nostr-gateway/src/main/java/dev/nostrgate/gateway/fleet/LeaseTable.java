package dev.nostrgate.gateway.fleet;

import static dev.nostrgate.gateway.schema.Tables.GATEWAY_INSTANCES;
import static dev.nostrgate.gateway.schema.Tables.GATEWAY_RELAYS;
import static dev.nostrgate.gateway.schema.Tables.GATEWAY_RELAY_LEASES;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Repository;

/**
 * The {@code gateway_relay_leases} and {@code gateway_instances} tables. Every statement is one conditional write or
 * read on the database's clock ({@code now()}), so that instances whose clocks disagree still agree on who holds
 * what, and each may be retried whole after a serialization failure: a lease is taken only where it is free or
 * expired, renewed only by its owner.
 */
@Repository
public class LeaseTable {
    /** PostgreSQL's and CockroachDB's foreign_key_violation: here, a lease for a relay that is not registered. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private static final Field<OffsetDateTime> NOW = DSL.field("now()", OffsetDateTime.class);

    private final DSLContext dsl;

    /** {@code dsl}: the control plane's (its own pool, see {@code StoreConfiguration}). */
    public LeaseTable(@Qualifier("controlDsl") DSLContext dsl) {
        this.dsl = dsl;
    }

    /** now() + ttl on the database's clock; the ttl is a configured number, rendered inline. */
    private static Field<OffsetDateTime> inFuture(Duration ttl) {
        return DSL.field("now() + cast({0} as interval)", OffsetDateTime.class,
                DSL.inline(ttl.toMillis() + " milliseconds"));
    }

    private static Condition free() {
        return GATEWAY_RELAY_LEASES.OWNER.isNull().or(GATEWAY_RELAY_LEASES.EXPIRES_AT.lt(NOW));
    }

    /** Says this instance is alive for another ttl. */
    public void heartbeat(String instance, Instant startedAt, Duration ttl) {
        dsl.insertInto(GATEWAY_INSTANCES)
                .set(GATEWAY_INSTANCES.ID, instance)
                .set(GATEWAY_INSTANCES.STARTED_AT, startedAt.atOffset(ZoneOffset.UTC))
                .set(GATEWAY_INSTANCES.EXPIRES_AT, inFuture(ttl))
                .onConflict(GATEWAY_INSTANCES.ID)
                .doUpdate()
                .set(GATEWAY_INSTANCES.EXPIRES_AT, DSL.excluded(GATEWAY_INSTANCES.EXPIRES_AT))
                .execute();
    }

    /** The live instances, sorted by id; forgets the expired ones. */
    public List<Instance> liveInstances() {
        dsl.deleteFrom(GATEWAY_INSTANCES).where(GATEWAY_INSTANCES.EXPIRES_AT.lt(NOW)).execute();
        return dsl.selectFrom(GATEWAY_INSTANCES)
                .where(GATEWAY_INSTANCES.EXPIRES_AT.ge(NOW))
                .orderBy(GATEWAY_INSTANCES.ID)
                .fetch(row -> new Instance(row.getId(), row.getStartedAt().toInstant(),
                        row.getExpiresAt().toInstant()));
    }

    /** Gives a lease row to every registered relay that has none (registered by an instance that then died). */
    public void addMissing() {
        dsl.insertInto(GATEWAY_RELAY_LEASES, GATEWAY_RELAY_LEASES.RELAY_ID)
                .select(DSL.select(GATEWAY_RELAYS.ID).from(GATEWAY_RELAYS).whereNotExists(
                        DSL.selectOne().from(GATEWAY_RELAY_LEASES)
                                .where(GATEWAY_RELAY_LEASES.RELAY_ID.eq(GATEWAY_RELAYS.ID))))
                .onConflictDoNothing()
                .execute();
    }

    /** Extends every lease this instance holds; returns the relays it holds. */
    public Set<UUID> renew(String owner, Duration ttl) {
        return new HashSet<>(dsl.update(GATEWAY_RELAY_LEASES)
                .set(GATEWAY_RELAY_LEASES.EXPIRES_AT, inFuture(ttl))
                .where(GATEWAY_RELAY_LEASES.OWNER.eq(owner))
                .returningResult(GATEWAY_RELAY_LEASES.RELAY_ID)
                .fetch(GATEWAY_RELAY_LEASES.RELAY_ID));
    }

    /**
     * Takes up to {@code count} free or expired leases. The outer condition is checked again on the row being
     * updated, so two instances never both take one lease, whatever the isolation level.
     */
    public Set<UUID> take(String owner, Duration ttl, int count) {
        if (count <= 0) {
            return Set.of();
        }
        return new HashSet<>(dsl.update(GATEWAY_RELAY_LEASES)
                .set(GATEWAY_RELAY_LEASES.OWNER, owner)
                .set(GATEWAY_RELAY_LEASES.EXPIRES_AT, inFuture(ttl))
                .set(GATEWAY_RELAY_LEASES.STATE, (String) null)
                .set(GATEWAY_RELAY_LEASES.LAST_ERROR, (String) null)
                .where(GATEWAY_RELAY_LEASES.RELAY_ID.in(DSL.select(GATEWAY_RELAY_LEASES.RELAY_ID)
                        .from(GATEWAY_RELAY_LEASES)
                        .where(free())
                        .orderBy(GATEWAY_RELAY_LEASES.RELAY_ID)
                        .limit(count)))
                .and(free())
                .returningResult(GATEWAY_RELAY_LEASES.RELAY_ID)
                .fetch(GATEWAY_RELAY_LEASES.RELAY_ID));
    }

    /**
     * Takes one relay's lease if it is free, expired or this instance's own already (creating the row if the relay
     * has none yet); true if this instance holds it now, false also if the relay is not registered (any more: a
     * removal through another request or instance may have finished meanwhile).
     */
    public boolean claim(UUID relayId, String owner, Duration ttl) {
        try {
            dsl.insertInto(GATEWAY_RELAY_LEASES)
                    .set(GATEWAY_RELAY_LEASES.RELAY_ID, relayId)
                    .onConflictDoNothing()
                    .execute();
        } catch (DataAccessException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.sqlState())) {
                return false;
            }
            throw e;
        }
        return dsl.update(GATEWAY_RELAY_LEASES)
                .set(GATEWAY_RELAY_LEASES.OWNER, owner)
                .set(GATEWAY_RELAY_LEASES.EXPIRES_AT, inFuture(ttl))
                .where(GATEWAY_RELAY_LEASES.RELAY_ID.eq(relayId))
                .and(free().or(GATEWAY_RELAY_LEASES.OWNER.eq(owner)))
                .execute() > 0;
    }

    /** Gives leases back (the relays are stopped here already), so that other instances may take them at once. */
    public void release(String owner, Collection<UUID> relays) {
        if (relays.isEmpty()) {
            return;
        }
        dsl.update(GATEWAY_RELAY_LEASES)
                .set(GATEWAY_RELAY_LEASES.OWNER, (String) null)
                .set(GATEWAY_RELAY_LEASES.EXPIRES_AT, (OffsetDateTime) null)
                .where(GATEWAY_RELAY_LEASES.OWNER.eq(owner))
                .and(GATEWAY_RELAY_LEASES.RELAY_ID.in(relays))
                .execute();
    }

    /** This instance leaves: every lease it holds is given back and its heartbeat row deleted. */
    public void leave(String owner) {
        dsl.update(GATEWAY_RELAY_LEASES)
                .set(GATEWAY_RELAY_LEASES.OWNER, (String) null)
                .set(GATEWAY_RELAY_LEASES.EXPIRES_AT, (OffsetDateTime) null)
                .where(GATEWAY_RELAY_LEASES.OWNER.eq(owner))
                .execute();
        dsl.deleteFrom(GATEWAY_INSTANCES).where(GATEWAY_INSTANCES.ID.eq(owner)).execute();
    }

    /** Every relay's lease, with its settings version and whether it is being removed. */
    public List<Lease> all() {
        Field<Boolean> held = DSL.field(GATEWAY_RELAY_LEASES.OWNER.isNotNull()
                .and(GATEWAY_RELAY_LEASES.EXPIRES_AT.ge(NOW)));
        return dsl.select(GATEWAY_RELAY_LEASES.RELAY_ID, GATEWAY_RELAY_LEASES.OWNER, held,
                        GATEWAY_RELAY_LEASES.STATE, GATEWAY_RELAY_LEASES.LAST_ERROR, GATEWAY_RELAYS.VERSION,
                        GATEWAY_RELAYS.REMOVING)
                .from(GATEWAY_RELAY_LEASES)
                .join(GATEWAY_RELAYS).on(GATEWAY_RELAYS.ID.eq(GATEWAY_RELAY_LEASES.RELAY_ID))
                .fetch(row -> new Lease(row.value1(),
                        Boolean.TRUE.equals(row.value3()) ? Optional.of(row.value2()) : Optional.empty(),
                        Optional.ofNullable(row.value4()), Optional.ofNullable(row.value5()), row.value6(),
                        row.value7()));
    }

    /** A relay's settings version, if it is registered. */
    public Optional<Long> version(UUID relayId) {
        return dsl.select(GATEWAY_RELAYS.VERSION).from(GATEWAY_RELAYS).where(GATEWAY_RELAYS.ID.eq(relayId))
                .fetchOptional(GATEWAY_RELAYS.VERSION);
    }

    /** What the owner sees of its relays, for every other instance's REST API; only for leases it still holds. */
    public void publish(String owner, Map<UUID, Published> states) {
        if (states.isEmpty()) {
            return;
        }
        List<Query> updates = new ArrayList<>(states.size());
        states.forEach((relayId, seen) -> updates.add(dsl.update(GATEWAY_RELAY_LEASES)
                .set(GATEWAY_RELAY_LEASES.STATE, seen.state())
                .set(GATEWAY_RELAY_LEASES.LAST_ERROR, seen.lastError().orElse(null))
                .where(GATEWAY_RELAY_LEASES.RELAY_ID.eq(relayId))
                .and(GATEWAY_RELAY_LEASES.OWNER.eq(owner))));
        dsl.batch(updates).execute();
    }

    /** A relay's state as its owner publishes it. */
    public record Published(String state, Optional<String> lastError) {
    }
}
