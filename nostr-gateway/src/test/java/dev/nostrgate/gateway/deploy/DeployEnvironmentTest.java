package dev.nostrgate.gateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every environment variable that deploy/ (Kubernetes manifests and overlays, their ConfigMaps and Secrets, the
 * compose file, env files) and the images (Jib's environment) set for the relay or the gateway is one that program
 * reads: a variable it ignores is a setting that silently does not apply, as SPRING_DATASOURCE_URL did.
 */
class DeployEnvironmentTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern KUBERNETES_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @Test
    void everyVariableSetForTheRelayOrTheGatewayIsOneItReads() throws IOException {
        assertThat(problems(ROOT)).isEmpty();
    }

    @Test
    void readsTheVariablesOfEveryPlaceThatSetsThem() throws IOException {
        assertThat(deployed(ROOT)).extracting(v -> v.app() + " " + v.name() + " @ " + v.where().split(" ")[0])
                .contains(
                        "GATEWAY GATEWAY_DATABASE_URL @ deploy/k8s/base/kustomization.yaml",
                        "GATEWAY GATEWAY_DATABASE_URL @ deploy/k8s/overlays/prod/kustomization.yaml",
                        "GATEWAY GATEWAY_DATABASE_PASSWORD @ deploy/k8s/base/gateway/deployment.yaml",
                        "GATEWAY GATEWAY_DATABASE_URL @ deploy/compose.yaml",
                        "GATEWAY GATEWAY_DATABASE_EMBEDDEDALLOWED @ nostr-gateway/pom.xml",
                        "RELAY NOSTR_RELAY_DB_URL @ deploy/k8s/base/kustomization.yaml",
                        "RELAY NOSTR_RELAY_DB_PASSWORD @ deploy/k8s/base/relay/migrate-job.yaml",
                        "RELAY NOSTR_RELAY_RABBITMQ_URL @ deploy/k8s/base/relay/deployment.yaml",
                        "RELAY NOSTR_RELAY_DB_URL @ deploy/compose.yaml",
                        "RELAY NOSTR_RELAY_DB_EMBEDDED_ALLOWED @ nostr-relay/pom.xml");
    }

    @Test
    void catchesTheSpringDatasourceVariablesTheGatewayIgnored(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("deploy/k8s/base"));
        Files.writeString(root.resolve("deploy/k8s/base/kustomization.yaml"), """
                resources: [gateway.yaml]
                configMapGenerator:
                  - name: nostr-gateway-config
                    literals:
                      - SPRING_DATASOURCE_URL=jdbc:postgresql://cockroachdb-public:26257/nostr
                      - SPRING_RABBITMQ_HOST=rabbitmq
                """);
        Files.writeString(root.resolve("deploy/k8s/base/gateway.yaml"), """
                kind: Deployment
                metadata: {name: nostr-gateway}
                spec:
                  template:
                    spec:
                      containers:
                        - name: gateway
                          image: nostrgate/nostr-gateway
                          envFrom: [{configMapRef: {name: nostr-gateway-config}}]
                          env: [{name: GATEWAY_RELAYPORT, value: "seven"}]
                """);
        Files.writeString(root.resolve("deploy/compose.yaml"), """
                services:
                  gateway:
                    image: nostrgate/nostr-gateway:0.1.0
                    environment: [SPRING_DATASOURCE_USERNAME=nostr, SPRING_RABBITMQ_HOTS=rabbitmq]
                  relay:
                    image: nostrgate/nostr-relay:0.1.0
                    environment: {NOSTR_RELAY_DATABASE_URL: "jdbc:postgresql://db/nostr", JAVA_OPTS: -Xmx1g}
                """);

        assertThat(problems(root)).hasSize(6).anySatisfy(problem -> assertThat(problem)
                .startsWith("deploy/k8s/base/kustomization.yaml configMapGenerator nostr-gateway-config (envFrom of "
                        + "deploy/k8s/base/gateway.yaml Deployment nostr-gateway container gateway): "
                        + "SPRING_DATASOURCE_URL: the gateway does not read spring.datasource.url"))
                .anySatisfy(problem -> assertThat(problem).startsWith("deploy/compose.yaml services.gateway: "
                        + "SPRING_DATASOURCE_USERNAME: the gateway does not read spring.datasource.username"))
                .anySatisfy(problem -> assertThat(problem).contains("SPRING_RABBITMQ_HOTS: the gateway refuses"))
                .anySatisfy(problem -> assertThat(problem).contains("GATEWAY_RELAYPORT: the gateway refuses"))
                .anySatisfy(problem -> assertThat(problem).contains("NOSTR_RELAY_DATABASE_URL: the relay does not"))
                .anySatisfy(problem -> assertThat(problem).contains("JAVA_OPTS: the relay does not read it"));
    }

    @Test
    void acceptsAVariableThatOnlyComposesAnotherInKubernetes() {
        DeployedVariable host = new DeployedVariable(DeployedApp.RELAY, "RABBITMQ_HOST", Optional.of("mq"),
                "a ConfigMap");
        assertThat(VariablesTheAppsRead.problem(host, Set.of("RABBITMQ_HOST"))).isEmpty();
        assertThat(VariablesTheAppsRead.problem(host, Set.of())).isPresent();
    }

    private static List<DeployedVariable> deployed(Path root) throws IOException {
        List<DeployedVariable> all = new ArrayList<>();
        if (Files.isDirectory(root.resolve("deploy/k8s"))) {
            all.addAll(KubernetesVariables.read(root));
        }
        all.addAll(ComposeVariables.read(root));
        all.addAll(ImageVariables.read(root));
        return all;
    }

    private static List<String> problems(Path root) throws IOException {
        List<DeployedVariable> deployed = deployed(root);
        List<String> problems = new ArrayList<>();
        for (DeployedVariable variable : deployed) {
            Set<String> composedFrom = deployed.stream().filter(v -> v.app() == variable.app())
                    .flatMap(v -> v.value().stream()).flatMap(value -> references(value).stream())
                    .collect(Collectors.toSet());
            VariablesTheAppsRead.problem(variable, composedFrom).ifPresent(p -> problems.add(variable + ": " + p));
        }
        return problems;
    }

    private static List<String> references(String value) {
        List<String> names = new ArrayList<>();
        Matcher m = KUBERNETES_REFERENCE.matcher(value);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
