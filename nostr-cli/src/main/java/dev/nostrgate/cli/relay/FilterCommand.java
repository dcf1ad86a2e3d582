package dev.nostrgate.cli.relay;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A command that asks relays about the events of one filter (req, count). */
abstract class FilterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FilterOptions filter;

    @Parameters(paramLabel = "RELAY", arity = "1..*", description = "relay URLs (ws:// or wss://)")
    List<String> relays;
}
