package dev.nostrgate.gateway.deploy;

import java.util.Optional;

/** A {@code KEY=value} line (a kustomize literal, an env file's line, a compose list item) before its app is known. */
record EnvEntry(String name, Optional<String> value, String where) {

    static EnvEntry parse(String line, String where) {
        int equals = line.indexOf('=');
        return equals < 0 ? new EnvEntry(line, Optional.empty(), where)
                : new EnvEntry(line.substring(0, equals), Optional.of(line.substring(equals + 1)), where);
    }

    DeployedVariable of(DeployedApp app, String prefix, String where) {
        return new DeployedVariable(app, prefix + name, value, where);
    }
}
