package dev.nostrgate.gateway.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The variables the relay's and the gateway's containers get from {@code deploy/k8s}, read from the files as they
 * are (kustomize is not run): every container's {@code env}, and its {@code envFrom} ConfigMaps and Secrets as the
 * {@code configMapGenerator}s and {@code secretGenerator}s of the base and every overlay build them (literals and
 * env files; an overlay's {@code behavior: merge} adds its keys). Strategic-merge patches are read like any manifest;
 * a container there without an image is known by the name it has in the base. A JSON 6902 patch that touches
 * {@code env} is refused: it names a container by its place, which this reader does not resolve.
 */
final class KubernetesVariables {
    private final Path root;
    private final Map<String, List<EnvEntry>> generated = new HashMap<>();
    private final List<Manifest> manifests = new ArrayList<>();

    private record Manifest(Path file, Map<?, ?> document) {
    }

    private record Container(Manifest manifest, Map<?, ?> spec) {
        String name() {
            return String.valueOf(spec.get("name"));
        }

        Optional<DeployedApp> appByImage() {
            return spec.get("image") instanceof String image ? DeployedApp.ofImage(image) : Optional.empty();
        }
    }

    private KubernetesVariables(Path root) {
        this.root = root;
    }

    /** Every variable set for the relay or the gateway under {@code root/deploy/k8s}. */
    static List<DeployedVariable> read(Path root) throws IOException {
        KubernetesVariables reader = new KubernetesVariables(root);
        try (Stream<Path> files = Files.walk(root.resolve("deploy/k8s"))) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
                reader.load(file);
            }
        }
        return reader.variables();
    }

    private void load(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            for (Object document : new Yaml().loadAll(in)) {
                if (file.getFileName().toString().startsWith("kustomization.")) {
                    loadKustomization(file, (Map<?, ?>) document);
                } else {
                    loadPatchOrManifest(file, document);
                }
            }
        }
    }

    private void loadKustomization(Path file, Map<?, ?> kustomization) throws IOException {
        for (String generator : List.of("configMapGenerator", "secretGenerator")) {
            for (Map<?, ?> entry : maps(kustomization.get(generator))) {
                String name = String.valueOf(entry.get("name"));
                String where = relative(file) + " " + generator + " " + name;
                List<EnvEntry> keys = generated.computeIfAbsent(name, n -> new ArrayList<>());
                for (Object literal : list(entry.get("literals"))) {
                    keys.add(EnvEntry.parse(String.valueOf(literal), where));
                }
                for (Object envFile : list(entry.get("envs"))) {
                    Path path = file.resolveSibling(String.valueOf(envFile));
                    keys.addAll(EnvFile.read(path, relative(path) + " (" + where + ")"));
                }
            }
        }
        for (Map<?, ?> patch : maps(kustomization.get("patches"))) {
            if (patch.get("patch") instanceof String inline) {
                for (Object document : new Yaml().loadAll(inline)) {
                    loadPatchOrManifest(file, document);
                }
            }
        }
    }

    private void loadPatchOrManifest(Path file, Object document) {
        if (document instanceof Map<?, ?> manifest) {
            manifests.add(new Manifest(file, manifest));
        } else if (document instanceof List<?> operations) { // JSON 6902
            for (Map<?, ?> operation : maps(operations)) {
                if (String.valueOf(operation.get("path")).matches(".*/env(From)?(/.*)?")) {
                    throw new IllegalStateException(relative(file) + ": a JSON 6902 patch sets " + operation.get("path")
                            + "; set variables in a ConfigMap or a strategic-merge patch, which this check reads");
                }
            }
        }
    }

    private List<DeployedVariable> variables() {
        List<Container> containers = new ArrayList<>();
        manifests.forEach(manifest -> collectContainers(manifest, manifest.document(), containers));
        Map<String, DeployedApp> appByName = new HashMap<>();
        containers.forEach(c -> c.appByImage().ifPresent(app -> appByName.put(c.name(), app)));

        List<DeployedVariable> variables = new ArrayList<>();
        for (Container container : containers) {
            DeployedApp app = container.appByImage().orElse(appByName.get(container.name()));
            if (app == null) {
                continue; // RabbitMQ, CockroachDB
            }
            String where = relative(container.manifest().file()) + " " + container.manifest().document().get("kind")
                    + " " + name(container.manifest().document()) + " container " + container.name();
            for (Map<?, ?> env : maps(container.spec().get("env"))) {
                variables.add(new DeployedVariable(app, String.valueOf(env.get("name")),
                        Optional.ofNullable(env.get("value")).map(String::valueOf), where));
            }
            for (Map<?, ?> source : maps(container.spec().get("envFrom"))) {
                variables.addAll(fromSource(app, source, where));
            }
        }
        return variables;
    }

    private List<DeployedVariable> fromSource(DeployedApp app, Map<?, ?> source, String where) {
        String prefix = source.get("prefix") instanceof String p ? p : "";
        boolean configMap = source.get("configMapRef") instanceof Map<?, ?>;
        Map<?, ?> ref = (Map<?, ?>) (configMap ? source.get("configMapRef") : source.get("secretRef"));
        String name = String.valueOf(ref.get("name"));
        List<EnvEntry> keys = generated.get(name);
        if (keys == null) {
            if (configMap) {
                throw new IllegalStateException(where + ": envFrom ConfigMap " + name + " is not generated by any "
                        + "kustomization under deploy/k8s, so its keys cannot be checked");
            }
            return List.of(); // a Secret created by hand (deploy/README.md): its keys are not in the repository
        }
        return keys.stream().map(key -> key.of(app, prefix, key.where() + " (envFrom of " + where + ")")).toList();
    }

    private static void collectContainers(Manifest manifest, Object node, List<Container> into) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (("containers".equals(entry.getKey()) || "initContainers".equals(entry.getKey()))
                        && entry.getValue() instanceof List<?> list) {
                    maps(list).forEach(spec -> into.add(new Container(manifest, spec)));
                } else {
                    collectContainers(manifest, entry.getValue(), into);
                }
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectContainers(manifest, item, into));
        }
    }

    private static Object name(Map<?, ?> document) {
        return document.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : "(patch)";
    }

    private String relative(Path file) {
        return root.relativize(file).toString();
    }

    private static List<?> list(Object node) {
        return node instanceof List<?> list ? list : List.of();
    }

    private static List<Map<?, ?>> maps(Object node) {
        return list(node).stream().filter(Map.class::isInstance).<Map<?, ?>>map(Map.class::cast).toList();
    }
}
