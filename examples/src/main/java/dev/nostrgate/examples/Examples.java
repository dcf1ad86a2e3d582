package dev.nostrgate.examples;

import java.util.Arrays;

/**
 * Runs one example by name: {@code java -jar examples/target/examples.jar <name> [args]}.
 */
public final class Examples {
    private static final String USAGE = """
            usage: java -jar examples.jar <example> [args]
              PublishHelloWorld <relay-url> [secret-key-hex]   publish a "hello world" note, print it and the OK
              SubscribePrinter <relay-url> <filter-json>       print matching events as JSON lines until Ctrl-C""";

    private Examples() {
    }

    public static void main(String[] args) throws InterruptedException {
        String name = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (name) {
            case "PublishHelloWorld" -> PublishHelloWorld.main(rest);
            case "SubscribePrinter" -> SubscribePrinter.main(rest);
            default -> {
                System.err.println(name.isEmpty() ? USAGE : "no example named \"" + name + "\"\n" + USAGE);
                System.exit(2);
            }
        }
    }
}
