package dev.nostrgate.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nostrgate.core.Backoff;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.gateway.connector.RelayLifecycle;
import dev.nostrgate.gateway.registry.ListPosition;
import dev.nostrgate.gateway.registry.RegisteredRelay;
import dev.nostrgate.gateway.registry.RelayRegistry;
import dev.nostrgate.gateway.stats.RelayCounters;
import dev.nostrgate.gateway.stats.StatsRepository;
import dev.nostrgate.relay.store.Retry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The relays an operator aggregates: register, list, inspect, pause / resume / re-filter, remove. The registry
 * (the {@code gateway_relays} table) is changed first, then {@link RelayLifecycle} makes the running parts follow;
 * if they cannot (RabbitMQ down), the registry change is undone and the answer is 503.
 */
@RestController
@RequestMapping(path = "/api/relays", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "relays", description = "Register and manage the relays to aggregate")
public class RelayController {
    private static final Logger log = LoggerFactory.getLogger(RelayController.class);
    static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final RelayRegistry registry;
    private final RelayLifecycle lifecycle;
    private final RelayCounters counters;
    private final StatsRepository stats;
    private final ObjectMapper json;
    /**
     * Deleting a relay's statistics can meet a serialization failure on a SERIALIZABLE database (CockroachDB, the
     * tests' PostgreSQL) while they are being written; the delete is idempotent, so it is tried again rather than
     * answered with a 503. (The registry retries its own delete.)
     */
    private final Retry retry = Retry.within(Duration.ofSeconds(5),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(500)), () -> false).forIdempotentStep();

    public RelayController(RelayRegistry registry, RelayLifecycle lifecycle, RelayCounters counters,
                           StatsRepository stats, ObjectMapper json) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.counters = counters;
        this.stats = stats;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Register a relay", description = "Declares its exchange and queue, starts its consumer "
            + "and its connector. The Location header is the new relay's URL. Where another gateway instance takes "
            + "the relay, or this one's lease keeper is starting it already, the answer does not wait for that "
            + "start; a start that fails there is tried again at the keeper's next round.")
    @ApiResponse(responseCode = "201", description = "registered")
    @ApiResponse(responseCode = "400", description = "invalid url, name or filters")
    @ApiResponse(responseCode = "409", description = "a relay with this URL is registered already (existingId)")
    @ApiResponse(responseCode = "503", description = "RabbitMQ or the database is unavailable; nothing registered")
    public ResponseEntity<RelayView> create(@RequestBody RelayRequests.Create body) {
        URI url = RelayInput.url(body.url());
        String name = RelayInput.name(body.name(), url);
        List<Filter> filters = RelayInput.filters(body.filters(), json);
        RegisteredRelay relay = registry.add(url, name, filters);
        try {
            lifecycle.start(relay);
        } catch (RuntimeException e) {
            undoStart(relay, e);
            throw new RelayStartException("the relay could not be started (" + e.getMessage() + "), so it was not "
                    + "registered; check RabbitMQ and retry", e);
        }
        log.info("relay registered: {} {} ({})", relay.id(), relay.url(), relay.name());
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}")
                .buildAndExpand(relay.id()).toUri();
        return ResponseEntity.created(location).body(view(relay));
    }

    private void undoStart(RegisteredRelay relay, RuntimeException cause) {
        try {
            removeRunning(relay.id());
        } catch (RuntimeException cleanup) {
            cause.addSuppressed(cleanup);
        }
        registry.remove(relay.id());
    }

    @GetMapping
    @Operation(summary = "List the registered relays, oldest first",
            description = "A page holds limit relays (default " + DEFAULT_LIMIT + ", at most " + MAX_LIMIT + "); "
                    + "next is the cursor of the following page (null on the last). A relay registered while "
                    + "paging comes on the last page; none is listed twice.")
    @ApiResponse(responseCode = "200", description = "a page of relays")
    @ApiResponse(responseCode = "400", description = "an invalid limit or cursor")
    public RelayView.Page list(
            @Parameter(description = "relays per page: 1.." + MAX_LIMIT + ", default " + DEFAULT_LIMIT)
            @RequestParam(name = "limit", required = false) String limit,
            @Parameter(description = "the next value of the previous page")
            @RequestParam(name = "cursor", required = false) String cursor) {
        int size = limit == null ? DEFAULT_LIMIT
                : PageLimit.parse(limit, MAX_LIMIT, "an integer from 1 to " + MAX_LIMIT);
        Optional<ListPosition> after = Optional.ofNullable(cursor).map(RelayListCursor::decode);
        // one more than the page: whether a next page exists without a second query
        List<RegisteredRelay> relays = registry.page(after, size + 1);
        String next = null;
        if (relays.size() > size) {
            relays = relays.subList(0, size);
            next = RelayListCursor.encode(ListPosition.of(relays.get(size - 1)));
        }
        return new RelayView.Page(relays.stream().map(this::view).toList(), next);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One relay: settings, connector state, cursor, last error, queue depth, counters")
    @ApiResponse(responseCode = "200", description = "the relay")
    @ApiResponse(responseCode = "404", description = "no relay has this id")
    public RelayView get(@PathVariable("id") UUID id) {
        return view(find(id));
    }

    @PatchMapping(path = "/{id}", consumes = {MediaType.APPLICATION_JSON_VALUE, MERGE_PATCH_JSON})
    @Operation(summary = "Pause, resume, re-filter or rename a relay",
            description = "Fields absent or null are left as they are. Pausing closes the upstream connection "
                    + "(what is queued is still stored); resuming reconnects from the cursor; new filters "
                    + "re-subscribe.")
    @ApiResponse(responseCode = "200", description = "the relay as changed")
    @ApiResponse(responseCode = "400", description = "nothing to change, or an invalid field")
    @ApiResponse(responseCode = "404", description = "no relay has this id")
    @ApiResponse(responseCode = "503", description = "RabbitMQ is unavailable; the change is undone (a change "
            + "another request saved meanwhile stands)")
    public RelayView update(@PathVariable("id") UUID id, @RequestBody RelayRequests.Update body) {
        RegisteredRelay before = find(id);
        if (body.paused() == null && body.filters() == null && body.name() == null) {
            throw new InvalidRequestException(null, "nothing to change: give paused (true or false), filters or "
                    + "name");
        }
        RegisteredRelay after = before;
        if (body.paused() != null) {
            after = after.withPaused(body.paused());
        }
        if (body.filters() != null) {
            after = after.withFilters(RelayInput.filters(body.filters(), json));
        }
        if (body.name() != null) {
            after = after.withName(RelayInput.name(body.name(), before.url()));
        }
        long written = registry.update(after).orElseThrow(() -> new UnknownRelayException(id));
        try {
            lifecycle.change(after);
        } catch (RuntimeException e) {
            String fate = registry.undo(before, written) ? "undone" : "replaced by a later change";
            throw new RelayStartException("the change could not be applied (" + e.getMessage() + "), so it was "
                    + fate + "; check RabbitMQ and retry", e);
        }
        log.info("relay changed: {} paused={} filters={}", id, after.paused(),
                RelayRegistry.filtersJson(after.filters()));
        return view(find(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a relay", description = "Stops its connector, lets its consumer store what is "
            + "queued (bounded wait), deletes its queue and exchange, then its registration and statistics. The "
            + "events stay in the aggregate, with their provenance.")
    @ApiResponse(responseCode = "204", description = "removed")
    @ApiResponse(responseCode = "404", description = "no relay has this id")
    @ApiResponse(responseCode = "503", description = "RabbitMQ is unavailable; the relay stays registered")
    public ResponseEntity<Void> delete(@PathVariable("id") UUID id) {
        RegisteredRelay relay = find(id);
        try {
            removeRunning(id);
        } catch (RuntimeException e) {
            throw new RelayStartException("the relay's consumer, queue or exchange could not be removed ("
                    + e.getMessage() + "); it is still registered: check RabbitMQ and retry", e);
        }
        registry.remove(id); // retries its serialization failures itself
        retry.call("removing the relay's statistics", () -> stats.deleteRelay(id));
        log.info("relay removed: {} {}", id, relay.url());
        return ResponseEntity.noContent().build();
    }

    /**
     * Removes what runs for the relay and waits for it on this request's thread: the removal itself does not hold
     * other requests up, and the answer still says whether the queue and exchange are gone.
     */
    private void removeRunning(UUID id) {
        try {
            lifecycle.remove(id).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    RegisteredRelay find(UUID id) {
        return registry.find(id).orElseThrow(() -> new UnknownRelayException(id));
    }

    private RelayView view(RegisteredRelay relay) {
        return RelayView.of(relay, lifecycle.status(relay.id()), counters.totals(relay.id()));
    }
}
