package dev.nostrgate.gateway.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/** The variables {@code deploy/compose.yaml} gives the relay's and the gateway's services: environment, env_file. */
final class ComposeVariables {
    private ComposeVariables() {
    }

    static List<DeployedVariable> read(Path root) throws IOException {
        Path file = root.resolve("deploy/compose.yaml");
        Map<?, ?> compose;
        try (Reader in = Files.newBufferedReader(file)) {
            compose = new Yaml().load(in);
        }
        List<DeployedVariable> variables = new ArrayList<>();
        Map<?, ?> services = (Map<?, ?>) compose.get("services");
        for (Map.Entry<?, ?> service : services.entrySet()) {
            Map<?, ?> spec = (Map<?, ?>) service.getValue();
            Optional<DeployedApp> app = spec.get("image") instanceof String image ? DeployedApp.ofImage(image)
                    : Optional.empty();
            if (app.isEmpty()) {
                continue;
            }
            String where = root.relativize(file) + " services." + service.getKey();
            for (EnvEntry entry : environment(spec.get("environment"), where)) {
                variables.add(entry.of(app.get(), "", where));
            }
            for (Object envFile : spec.get("env_file") instanceof List<?> list ? list
                    : spec.get("env_file") == null ? List.of() : List.of(spec.get("env_file"))) {
                Object path = envFile instanceof Map<?, ?> longSyntax ? longSyntax.get("path") : envFile;
                Path resolved = file.resolveSibling(String.valueOf(path));
                for (EnvEntry entry : EnvFile.read(resolved, root.relativize(resolved) + " (" + where + ")")) {
                    variables.add(entry.of(app.get(), "", entry.where()));
                }
            }
        }
        return variables;
    }

    /** Compose takes a map ({@code KEY: value}) or a list ({@code KEY=value}). */
    private static List<EnvEntry> environment(Object node, String where) {
        if (node instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> new EnvEntry(String.valueOf(e.getKey()),
                    Optional.ofNullable(e.getValue()).map(String::valueOf), where)).toList();
        }
        if (node instanceof List<?> list) {
            return list.stream().map(item -> EnvEntry.parse(String.valueOf(item), where)).toList();
        }
        return List.of();
    }
}
