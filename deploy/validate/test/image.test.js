// Checks an image tarball made by `jib:buildTar` (docker save layout): layers present, entrypoint, exposed
// ports, non-root user, a JRE on the PATH, a writable /tmp, glibc. As root, it also unpacks the layers and runs
// the image's JVM with MigrateMain in a chroot against the local PostgreSQL, as the uid the image names.
//
//   IMAGE_TAR=nostr-relay/target/jib-image.tar  (the default)   REQUIRE_IMAGE=1: fail, not skip, without it
// .ci/run builds the tarball on deploy/base-image.sh's base and runs this with REQUIRE_IMAGE=1.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEPLOY } from "../validate.js";

const IMAGE_TAR = resolve(process.env.IMAGE_TAR ?? join(DEPLOY, "..", "nostr-relay", "target", "jib-image.tar"));
const MAIN_CLASS = process.env.IMAGE_MAIN_CLASS ?? "dev.nostrgate.relay.RelayMain";
const PORTS = (process.env.IMAGE_PORTS ?? "7447").split(",").map((p) => `${p}/tcp`);
const present = existsSync(IMAGE_TAR);
if (!present && process.env.REQUIRE_IMAGE === "1") {
  throw new Error(`no image tarball at ${IMAGE_TAR} (REQUIRE_IMAGE=1): build it first, see deploy/README.md`);
}

// Jib's layers carry libarchive's PAX keywords, which GNU tar reads fine but warns about.
const tar = (...args) => execFileSync("tar", ["--warning=no-unknown-keyword", ...args],
  { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });

describe(`image ${IMAGE_TAR}`, { skip: present ? false : `no image tarball at ${IMAGE_TAR}` }, () => {
  let dir;
  let manifest;
  let config;
  /** path in the image -> { type, mode, uid } from the layers' listings, later layers winning. */
  const files = new Map();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "image-test-"));
    tar("-xf", IMAGE_TAR, "-C", dir);
    [manifest] = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    config = JSON.parse(readFileSync(join(dir, manifest.Config), "utf8"));
    for (const layer of manifest.Layers) {
      // GNU tar's verbose listing: "drwxrwxrwt 0/0 0 1970-01-01 00:00 tmp/"
      for (const line of tar("--numeric-owner", "-tvf", join(dir, layer)).split("\n").filter(Boolean)) {
        const [mode, owner, , , , ...rest] = line.split(/\s+/);
        const name = rest.join(" ").replace(/ -> .*$/, "").replace(/ link to .*$/, "").replace(/^\.\//, "")
          .replace(/\/$/, "");
        files.set(name, { type: mode[0], mode, uid: Number(owner.split("/")[0]) });
      }
    }
  });

  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("has its layers, each present and listed in the config", () => {
    assert.ok(manifest.Layers.length >= 3, "a base and the application's layers");
    assert.equal(config.rootfs.diff_ids.length, manifest.Layers.length);
    for (const layer of manifest.Layers) assert.ok(existsSync(join(dir, layer)), `missing layer ${layer}`);
    assert.ok(manifest.RepoTags?.length, "the image has a name");
  });

  it("starts java with the native-access flag, the classpath file and the main class", () => {
    const entrypoint = config.config.Entrypoint;
    assert.equal(entrypoint[0], "java");
    assert.ok(entrypoint.includes("--enable-native-access=ALL-UNNAMED"), entrypoint.join(" "));
    assert.deepEqual(entrypoint.slice(-3), ["-cp", "@/app/jib-classpath-file", MAIN_CLASS]);
  });

  it("exposes its ports", () => {
    assert.deepEqual(Object.keys(config.config.ExposedPorts ?? {}).sort(), [...PORTS].sort());
  });

  it("runs as a non-root user", () => {
    const user = String(config.config.User ?? "");
    const uid = user.split(":")[0];
    assert.match(uid, /^[0-9]+$/, `User "${user}" should be numeric, so that runAsNonRoot can check it`);
    assert.notEqual(Number(uid), 0);
  });

  it("has a JRE on the PATH, glibc and a writable /tmp", () => {
    const path = (config.config.Env ?? []).find((e) => e.startsWith("PATH="))?.slice(5) ?? "";
    const java = path.split(":").map((d) => `${d.replace(/^\//, "")}/java`).find((p) => files.has(p));
    assert.ok(java, `no java in PATH ${path}`);
    assert.ok([...files.keys()].some((f) => /(^|\/)libc\.so\.6$/.test(f)), "no glibc (libc.so.6): musl cannot load libsecp256k1");
    assert.equal(files.get("tmp")?.mode, "drwxrwxrwt", "/tmp must be world-writable and sticky");
  });

  it("has the application and the migrations program", () => {
    assert.ok(files.has("app/jib-classpath-file"));
    assert.ok(files.has("app/classes/dev/nostrgate/relay/store/MigrateMain.class"));
    assert.ok([...files.keys()].some((f) => /^app\/libs\/nostr-core-.*\.jar$/.test(f)));
  });

  it("has its main class", (t) => {
    const file = `app/classes/${MAIN_CLASS.replaceAll(".", "/")}.class`;
    if (!files.has(file)) {
      t.skip(`${MAIN_CLASS} is not in this build yet (the relay server adds it)`);
      return;
    }
    assert.ok(files.has(file));
  });

  const canChroot = process.getuid?.() === 0 && spawnSync("unshare", ["--version"]).status === 0
    && spawnSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c", "SELECT 1"]).status === 0;
  it("migrates a database with its own JVM, as its user, in a chroot", { skip: canChroot ? false
    : "needs root, unshare and the local PostgreSQL" }, () => {
    const root = join(dir, "rootfs");
    mkdirSync(root);
    for (const layer of manifest.Layers) tar("-xf", join(dir, layer), "-C", root, "--no-same-owner");
    mkdirSync(join(root, "proc"), { recursive: true });
    const env = Object.fromEntries((config.config.Env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    const javaDir = env.PATH.split(":").find((d) => existsSync(join(root, d, "java")));
    const schema = `image_${process.pid}`;
    const psql = (sql) => execFileSync("psql", ["-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-tAc", sql],
      { encoding: "utf8" }).trim();
    psql(`CREATE SCHEMA ${schema}`);
    try {
      const entrypoint = config.config.Entrypoint;
      const command = [`${javaDir}/java`, ...entrypoint.slice(1, -1), "dev.nostrgate.relay.store.MigrateMain"];
      // The process gets the image's environment: find the host's tools first.
      const which = (tool) => execFileSync("sh", ["-c", `command -v ${tool} || echo /usr/sbin/${tool}`],
        { encoding: "utf8" }).trim();
      const run = spawnSync(which("unshare"), ["--mount", "--pid", "--fork", `--mount-proc=${join(root, "proc")}`,
        which("chroot"), `--userspec=${config.config.User}:${config.config.User}`, root, ...command], {
        encoding: "utf8",
        timeout: 120_000,
        env: { ...env, NOSTR_RELAY_DB_URL: `jdbc:postgresql://127.0.0.1:5432/test?currentSchema=${schema}`,
          NOSTR_RELAY_DB_USER: "postgres" },
      });
      assert.equal(run.status, 0, `MigrateMain exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
      assert.ok(Number(psql(`SELECT count(*) FROM ${schema}.flyway_schema_history WHERE success`)) > 0);
    } finally {
      psql(`DROP SCHEMA ${schema} CASCADE`);
    }
  });
});
