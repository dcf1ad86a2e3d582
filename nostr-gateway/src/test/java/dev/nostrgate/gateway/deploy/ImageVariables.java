package dev.nostrgate.gateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The variables Jib bakes into the relay's and the gateway's images: the {@code jib.container.environment}
 * property ({@code KEY=value,KEY=value}) and any {@code <environment>} of a jib-maven-plugin configuration, in the
 * modules' poms.
 */
final class ImageVariables {
    private ImageVariables() {
    }

    static List<DeployedVariable> read(Path root) throws IOException {
        List<DeployedVariable> variables = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path pom : modules.map(m -> m.resolve("pom.xml")).filter(Files::isRegularFile).sorted().toList()) {
                Element project = parse(pom);
                Optional<DeployedApp> app = DeployedApp.ofArtifact(childText(project, "artifactId"));
                if (app.isEmpty()) {
                    continue;
                }
                String where = root.relativize(pom).toString();
                NodeList properties = project.getElementsByTagName("jib.container.environment");
                for (int i = 0; i < properties.getLength(); i++) {
                    Arrays.stream(properties.item(i).getTextContent().split(",")).map(String::strip)
                            .filter(pair -> !pair.isEmpty())
                            .forEach(pair -> variables.add(EnvEntry.parse(pair, where + " jib.container.environment")
                                    .of(app.get(), "", where + " jib.container.environment")));
                }
                NodeList environments = project.getElementsByTagName("environment");
                for (int i = 0; i < environments.getLength(); i++) {
                    for (Node n = environments.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                        if (n instanceof Element variable) {
                            variables.add(new DeployedVariable(app.get(), variable.getTagName(),
                                    Optional.of(variable.getTextContent().strip()), where + " jib <environment>"));
                        }
                    }
                }
            }
        }
        return variables;
    }

    private static Element parse(Path pom) throws IOException {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException(pom + ": " + e.getMessage(), e);
        }
    }

    private static String childText(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }
}
