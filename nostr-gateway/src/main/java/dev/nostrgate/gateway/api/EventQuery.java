package dev.nostrgate.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.filter.InvalidFilterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/**
 * What {@code GET /api/events} was asked: one NIP-01 filter, the page size and where the previous page ended.
 *
 * <p>The filter comes either whole ({@code filter=<URL-encoded JSON>}) or as parameters: {@code ids},
 * {@code authors}, {@code kinds} and {@code #<letter>} (URL-encoded as {@code %23e}), each repeated or
 * comma-separated, and {@code since}, {@code until}. Parameters are turned into the same JSON, so both ways are read
 * by nostr-core's strict {@link FilterJson} and refused with the same messages. Unknown parameters are refused too:
 * a typo ({@code kind=1}) must not silently mean "everything".
 *
 * @param limit events per page: {@code limit}, else the filter's own limit, else {@value #DEFAULT_LIMIT}
 */
record EventQuery(Filter filter, int limit, Optional<PageCursor> after) {
    static final int DEFAULT_LIMIT = 100;
    private static final Set<String> LISTS = Set.of("ids", "authors", "kinds");
    private static final Set<String> NUMBERS = Set.of("since", "until");
    private static final String KNOWN = "filter, ids, authors, kinds, #<letter> (as %23e), since, until, limit, cursor";

    /**
     * Reads the query parameters.
     *
     * @param maxLimit the largest page ({@code gateway.database.max-limit})
     * @throws InvalidRequestException naming the parameter and the fix
     */
    static EventQuery parse(MultiValueMap<String, String> parameters, int maxLimit) {
        ObjectNode fromParameters = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            boolean tag = name.startsWith("#");
            if (LISTS.contains(name) || tag) {
                ArrayNode array = fromParameters.putArray(name);
                for (String value : split(values)) {
                    if (name.equals("kinds")) {
                        array.add(number(value));
                    } else {
                        array.add(value);
                    }
                }
            } else if (NUMBERS.contains(name)) {
                fromParameters.set(name, number(single(name, values)));
            } else if (!name.equals("filter") && !name.equals("limit") && !name.equals("cursor")) {
                throw new InvalidRequestException(name, "unknown parameter \""
                        + RelayStatsController.shorten(name) + "\"; the parameters are " + KNOWN);
            }
        }
        Filter filter;
        if (parameters.containsKey("filter")) {
            if (!fromParameters.isEmpty()) {
                throw new InvalidRequestException("filter", "give the filter either whole (filter=<JSON>) or as "
                        + "parameters (" + String.join(", ", iterable(fromParameters)) + "), not both");
            }
            filter = filter("filter", single("filter", parameters.get("filter")),
                    "filter is not a valid NIP-01 filter: ");
        } else {
            filter = filter(null, fromParameters.toString(), "the parameters do not make a valid NIP-01 filter: ");
        }
        if (filter.search().isPresent()) {
            throw new InvalidRequestException("search", "search (NIP-50) is not supported: remove it from the "
                    + "filter");
        }
        int limit = limit(parameters, filter, maxLimit);
        Optional<PageCursor> after = parameters.containsKey("cursor")
                ? Optional.of(PageCursor.decode(single("cursor", parameters.get("cursor"))))
                : Optional.empty();
        return new EventQuery(filter.toBuilder().noLimit().build(), limit, after);
    }

    private static Filter filter(String field, String json, String prefix) {
        try {
            return FilterJson.parse(json);
        } catch (InvalidFilterException e) {
            throw new InvalidRequestException(field, prefix + e.getMessage());
        }
    }

    private static int limit(MultiValueMap<String, String> parameters, Filter filter, int maxLimit) {
        String range = "an integer from 1 to " + maxLimit + " (gateway.database.max-limit)";
        if (parameters.containsKey("limit")) {
            return PageLimit.parse(single("limit", parameters.get("limit")), maxLimit, range);
        }
        if (filter.limit().isPresent()) {
            int limit = filter.limit().getAsInt();
            if (limit < 1 || limit > maxLimit) {
                throw new InvalidRequestException("limit", "the filter's limit must be " + range + ", was "
                        + limit);
            }
            return limit;
        }
        return Math.min(DEFAULT_LIMIT, maxLimit);
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) {
            throw new InvalidRequestException(name, name + " is given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    private static List<String> split(List<String> values) {
        List<String> parts = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                parts.add(part.strip());
            }
        }
        return parts;
    }

    /** A JSON number if the text is an integer, else a JSON string (which FilterJson refuses, saying so). */
    private static com.fasterxml.jackson.databind.JsonNode number(String text) {
        String value = text.strip();
        return value.matches("-?\\d{1,18}") ? JsonNodeFactory.instance.numberNode(Long.parseLong(value))
                : JsonNodeFactory.instance.textNode(value);
    }

    private static List<String> iterable(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
