package dev.nostrgate.gateway.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A {@code KEY=value} file as kustomize's {@code envs} and compose's {@code env_file} read it. */
final class EnvFile {
    private EnvFile() {
    }

    static List<EnvEntry> read(Path file, String where) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> EnvEntry.parse(line, where)).toList();
    }
}
