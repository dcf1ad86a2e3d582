package dev.nostrgate.cli.relay;

import dev.nostrgate.cli.CliException;
import dev.nostrgate.cli.keys.KeyInput;
import dev.nostrgate.core.filter.Filter;
import dev.nostrgate.core.filter.FilterJson;
import dev.nostrgate.core.filter.InvalidFilterException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** A NIP-01 filter from flags, as nak spells them, or from {@code --filter JSON}. */
public final class FilterOptions {
    @Option(names = {"-i", "--id"}, paramLabel = "ID", description = "event id (hex, note, nevent); repeatable")
    List<String> ids = new ArrayList<>();

    @Option(names = {"-a", "--author"}, paramLabel = "PUBKEY", description = "author (hex, npub); repeatable")
    List<String> authors = new ArrayList<>();

    @Option(names = {"-k", "--kind"}, paramLabel = "KIND", description = "kind; repeatable")
    List<Integer> kinds = new ArrayList<>();

    @Option(names = {"-t", "--tag"}, paramLabel = "L=VALUE", description = "tag condition, e.g. -t e=<id> -t t=nostr; "
            + "repeatable")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-s", "--since"}, paramLabel = "UNIX", description = "created_at at or after")
    Long since;

    @Option(names = {"-u", "--until"}, paramLabel = "UNIX", description = "created_at at or before")
    Long until;

    @Option(names = {"-l", "--limit"}, paramLabel = "N", description = "at most N events (the relay may cap it)")
    Integer limit;

    @Option(names = "--search", paramLabel = "TEXT", description = "NIP-50 search")
    String search;

    @Option(names = {"-f", "--filter"}, paramLabel = "JSON", description = "a whole filter as JSON (the other "
            + "filter flags are then not allowed)")
    String json;

    /** The filter the flags describe. */
    public Filter filter() {
        if (json != null) {
            if (!ids.isEmpty() || !authors.isEmpty() || !kinds.isEmpty() || !tags.isEmpty() || since != null
                    || until != null || limit != null || search != null) {
                throw new CliException("--filter takes the whole filter: give either it or the filter flags");
            }
            try {
                return FilterJson.parse(json);
            } catch (InvalidFilterException e) {
                throw new CliException("--filter: " + e.getMessage());
            }
        }
        Filter.Builder filter = Filter.builder();
        if (!ids.isEmpty()) {
            filter.ids(ids.stream().map(id -> KeyInput.eventId(id).hex()).toList());
        }
        if (!authors.isEmpty()) {
            filter.authors(authors.stream().map(author -> KeyInput.publicKey(author).hex()).toList());
        }
        if (!kinds.isEmpty()) {
            filter.kinds(kinds);
        }
        for (String tag : tags) {
            int equals = tag.indexOf('=');
            if (equals != 1) {
                throw new CliException("a tag condition is L=VALUE with a one-letter name, was \"" + tag + "\"");
            }
            filter.tag(tag.charAt(0), tag.substring(2));
        }
        if (since != null) {
            filter.since(since);
        }
        if (until != null) {
            filter.until(until);
        }
        if (limit != null) {
            filter.limit(limit);
        }
        if (search != null) {
            filter.search(search);
        }
        try {
            return filter.build();
        } catch (IllegalArgumentException e) {
            throw new CliException("filter: " + e.getMessage());
        }
    }
}
