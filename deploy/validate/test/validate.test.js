// The manifests of deploy/k8s are valid, and the validator rejects what it must: each fixture in
// test/fixtures breaks one thing in an otherwise valid app (test/fixtures/valid).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DEPLOY, KUSTOMIZATIONS, validateCompose, validateDashboard, validateKustomization } from "../validate.js";

const FIXTURES = fileURLToPath(new URL("fixtures/", import.meta.url));

describe("deploy/k8s", () => {
  for (const dir of KUSTOMIZATIONS) {
    it(`renders and validates ${dir.slice(DEPLOY.length + 1)}`, async () => {
      const { objects, errors } = await validateKustomization(dir);
      assert.deepEqual(errors, []);
      assert.ok(objects.length > 10);
    });
  }

  it("has what the issue asks for in every overlay", async () => {
    for (const dir of KUSTOMIZATIONS.slice(1)) {
      const { objects } = await validateKustomization(dir);
      const has = (kind, name) => objects.some((o) => o.kind === kind && o.metadata.name.startsWith(name));
      for (const [kind, name] of [["Deployment", "nostr-relay"], ["Service", "nostr-relay"],
        ["PodDisruptionBudget", "nostr-relay"], ["HorizontalPodAutoscaler", "nostr-relay"],
        ["Deployment", "nostr-gateway"], ["Service", "nostr-gateway"], ["StatefulSet", "rabbitmq"],
        ["StatefulSet", "cockroachdb"], ["Job", "cockroachdb-init"], ["Job", "nostr-relay-migrate"],
        ["ConfigMap", "nostr-relay-config"]]) {
        assert.ok(has(kind, name), `${dir}: no ${kind} ${name}`);
      }
      const relay = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "nostr-relay");
      const annotations = relay.spec.template.metadata.annotations;
      assert.equal(annotations["prometheus.io/scrape"], "true");
      const cockroach = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "cockroachdb");
      assert.equal(cockroach.spec.replicas, 3);
      assert.ok(cockroach.spec.volumeClaimTemplates.length > 0);
    }
  });

  it("accepts the valid fixture", async () => {
    assert.deepEqual((await validateKustomization(join(FIXTURES, "valid"))).errors, []);
  });
});

describe("the validator rejects", () => {
  const cases = {
    "unknown-kind": /unknown kind Deploymnet/,
    "wrong-type": /replicas must be integer/,
    "missing-required": /must have required property 'port'|must have required property port/,
    "secret-object": /Secrets do not belong in the manifests/,
    "literal-password": /DB_PASSWORD has a literal value/,
    "dangling-configmap": /no ConfigMap missing-config/,
    "service-selects-nothing": /selects no workload/,
  };
  for (const [fixture, expected] of Object.entries(cases)) {
    it(fixture, async () => {
      const { errors } = await validateKustomization(join(FIXTURES, fixture));
      assert.ok(errors.some((e) => expected.test(e)), `expected ${expected} among: ${errors.join(" | ")}`);
    });
  }

  it("a dashboard panel without a query", () => {
    const file = join(FIXTURES, "dashboard-without-query.json");
    assert.ok(validateDashboard(file).some((e) => /needs targets with a PromQL expr/.test(e)));
  });
});

describe("deploy/grafana and deploy/compose.yaml", () => {
  it("the dashboard is valid", () => assert.deepEqual(validateDashboard(join(DEPLOY, "grafana", "nostrgate.json")), []));
  it("the compose file is valid", () => assert.deepEqual(validateCompose(join(DEPLOY, "compose.yaml")), []));
});
