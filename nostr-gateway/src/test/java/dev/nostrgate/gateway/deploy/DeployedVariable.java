package dev.nostrgate.gateway.deploy;

import java.util.Optional;

/**
 * One environment variable that deploy/ (or an image) sets for the relay or the gateway.
 *
 * @param value the literal value; empty when it comes from a Secret or another reference
 * @param where the file and the object, for the failure message
 */
record DeployedVariable(DeployedApp app, String name, Optional<String> value, String where) {
    @Override
    public String toString() {
        return where + ": " + name;
    }
}
