package dev.nostrgate.gateway.deploy;

import java.util.Arrays;
import java.util.Optional;

/** The two programs deploy/ runs, known by their Maven artifact, which is also their image's name. */
enum DeployedApp {
    RELAY("nostr-relay"), GATEWAY("nostr-gateway");

    final String artifactId;

    DeployedApp(String artifactId) {
        this.artifactId = artifactId;
    }

    /** The app an image reference ({@code nostrgate/nostr-relay:0.1.0}, {@code registry/x/nostr-gateway}) runs. */
    static Optional<DeployedApp> ofImage(String image) {
        String repository = image.replaceFirst("[:@].*$", "");
        return Arrays.stream(values()).filter(app -> repository.endsWith("/" + app.artifactId)).findFirst();
    }

    static Optional<DeployedApp> ofArtifact(String artifactId) {
        return Arrays.stream(values()).filter(app -> app.artifactId.equals(artifactId)).findFirst();
    }
}
