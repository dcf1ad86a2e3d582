#!/usr/bin/env bash
# Builds a small base image for the relay and the gateway without a registry or a Docker engine: a JRE made with
# jlink from the local JDK 21+, on the glibc of this machine, written as a `docker save` tarball that Jib takes
# with -Dimage.base=tar://<file> (and that `docker load` takes too).
#
#   deploy/base-image.sh [OUTPUT.tar]          default: deploy/target/jre-base.tar
#
# Why the host's glibc, not Alpine or a Debian tree: the relay loads libsecp256k1 through JNI from a glibc
# linux .so, so the base must be glibc; copying exactly the shared libraries that the JRE's own binaries need
# (ldd) gives a working userland in a few seconds, offline, on any glibc distribution, with nothing to download.
# The cost: the libraries are this machine's, so build the image on a maintained system; the published images
# use the eclipse-temurin JRE base instead (see deploy/README.md). debootstrap --variant=minbase would give a
# Debian tree with a package database, at the price of a mirror and a minute or two.
#
# Layers: 1. userland: glibc and the libraries the JRE links, /etc (passwd with the non-root user 65532,
# group, nsswitch.conf, hosts, ld.so.conf and cache), /tmp (1777), /home/nonroot; 2. the JRE in /opt/java.
# No shell, no package manager. Reproducible: the same JDK and libraries give the same image id.
#
# Environment: JAVA_HOME (a JDK 21+ with jlink; else java on the PATH, else the newest /usr/lib/jvm/*),
# JRE_MODULES (the modules to link; default below), BASE_IMAGE_TAG (the name in the tarball).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUTPUT="${1:-$ROOT/deploy/target/jre-base.tar}"

# What the relay (Netty, JDBC, Hikari, Flyway, Micrometer, logback) and the gateway (Spring Boot, which needs
# java.desktop for java.beans, and java.instrument) use, plus jcmd for thread dumps and JFR in a running pod.
DEFAULT_MODULES=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http
DEFAULT_MODULES+=,java.prefs,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa
DEFAULT_MODULES+=,java.xml,jdk.charsets,jdk.crypto.ec,jdk.jcmd,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net
DEFAULT_MODULES+=,jdk.unsupported,jdk.zipfs
MODULES="${JRE_MODULES:-$DEFAULT_MODULES}"
NONROOT_UID=65532

log() { printf '[base-image] %s\n' "$*" >&2; }
die() {
  printf 'base-image: %s\n' "$*" >&2
  exit 1
}

# --- the JDK: the same search as ./nostr, but it must have jlink ----------------------------------------------
jdk_major() {
  local version
  version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release" 2>/dev/null || true)"
  version="${version#1.}"
  printf '%s' "${version%%[.+-]*}"
}

usable_jdk() { # home
  local major
  major="$(jdk_major "$1")"
  [[ -x "$1/bin/jlink" && "$major" =~ ^[0-9]+$ ]] && ((major >= 21))
}

find_jdk() {
  local home best="" best_major=0 major
  if [[ -n "${JAVA_HOME:-}" ]] && usable_jdk "$JAVA_HOME"; then
    printf '%s' "$JAVA_HOME"
    return
  fi
  if command -v java >/dev/null; then
    home="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p')"
    if [[ -n "$home" ]] && usable_jdk "$home"; then
      printf '%s' "$home"
      return
    fi
  fi
  for home in /usr/lib/jvm/*; do
    major="$(jdk_major "$home")"
    if usable_jdk "$home" && ((major > best_major)); then
      best="$home"
      best_major="$major"
    fi
  done
  [[ -n "$best" ]] || die "no JDK 21 or newer with jlink found (looked at JAVA_HOME, java on the PATH and" \
    "/usr/lib/jvm/*); install one, or point JAVA_HOME at it"
  printf '%s' "$best"
}

case "$(uname -m)" in
  x86_64) ARCH=amd64 ;;
  aarch64) ARCH=arm64 ;;
  *) die "unsupported machine $(uname -m): libsecp256k1's JNI library exists for x86_64 and aarch64 only" ;;
esac
[[ "$(uname -s)" == Linux ]] || die "this script copies the host's glibc: run it on Linux"
ldd_version="$(ldd --version 2>&1 || true)"
grep -qiE 'glibc|gnu libc' <<<"$ldd_version" || die "ldd is not glibc's: the base must be glibc"

JDK="$(find_jdk)"
JAVA_VERSION="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$JDK/release")"
TAG="${BASE_IMAGE_TAG:-nostrgate/jre-base:$JAVA_VERSION}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/base-image.XXXXXX")"
trap '[[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"' EXIT
USERLAND="$WORK/userland"
JRE_TREE="$WORK/jre"

# --- layer 2: the JRE ------------------------------------------------------------------------------------------
log "jlink from $JDK ($JAVA_VERSION)"
available="$("$JDK/bin/java" --list-modules | sed 's/@.*//')"
linked=()
IFS=',' read -r -a wanted <<<"$MODULES"
for module in "${wanted[@]}"; do
  # jdk.crypto.ec is empty and deprecated from JDK 22 on; a module missing from this JDK is left out, not fatal.
  if grep -qx "$module" <<<"$available"; then linked+=("$module"); else log "  (no module $module in this JDK)"; fi
done
modules_csv="$(IFS=,; printf '%s' "${linked[*]}")"
mkdir -p "$JRE_TREE/opt"
"$JDK/bin/jlink" --add-modules "$modules_csv" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$JRE_TREE/opt/java"
# A server has no display or sound: drop the libraries that would pull X11 and ALSA into the image.
rm -f "$JRE_TREE"/opt/java/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound}.so

# --- layer 1: glibc and what the JRE links ---------------------------------------------------------------------
mkdir -p "$USERLAND"/{etc,tmp,home/nonroot}
chmod 1777 "$USERLAND/tmp"
chmod 0755 "$USERLAND/home/nonroot"

copy_lib() { # absolute path on the host: copied to the same path, symlinks resolved
  local target="$USERLAND$1"
  [[ -e "$target" ]] && return
  mkdir -p "$(dirname "$target")"
  cp -L "$1" "$target"
  chmod 0755 "$target"
}

jre_libs="$(find "$JRE_TREE/opt/java/lib" -name '*.so' -printf '%f\n')"
while IFS= read -r elf; do
  # ldd lines: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)",
  # "libjvm.so => not found" (the JRE's own, found at run time through its RUNPATH or dlopen).
  while read -r name arrow path _; do
    if [[ "$arrow" == "=>" && "$path" == not ]]; then
      grep -qx "$name" <<<"$jre_libs" || die "$elf needs $name, which this machine does not have"
    elif [[ "$arrow" == "=>" && "$path" == "$JRE_TREE"/* ]]; then
      continue # the JRE's own (libjli.so through the launcher's RPATH)
    elif [[ "$arrow" == "=>" && "$path" == /* ]]; then
      copy_lib "$path"
    elif [[ "$name" == /* ]]; then
      copy_lib "$name"
    fi
  done < <(ldd "$elf" 2>/dev/null || true)
done < <(find "$JRE_TREE/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \))

libc="$(ldd "$JRE_TREE/opt/java/bin/java" | awk '$1 == "libc.so.6" { print $3 }')"
[[ -n "$libc" ]] || die "cannot find the libc that java links"
libdir="$(dirname "$libc")"
# Loaded by name at run time rather than linked: libgcc_s for stack unwinding (thread cancellation, crash
# reports), the NSS modules and libresolv where glibc is older than 2.34 and still keeps them apart. JNI libraries
# such as libsecp256k1's need only libc.
for lib in libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libgcc_s.so.1 libnss_files.so.2 libnss_dns.so.2 \
  libresolv.so.2; do
  [[ -e "$libdir/$lib" ]] && copy_lib "$libdir/$lib"
done

cat >"$USERLAND/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:$NONROOT_UID:$NONROOT_UID:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$USERLAND/etc/group" <<EOF
root:x:0:
nonroot:x:$NONROOT_UID:
EOF
cat >"$USERLAND/etc/nsswitch.conf" <<'EOF'
passwd: files
group:  files
hosts:  files dns
EOF
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$USERLAND/etc/hosts"
printf '%s\n' "$libdir" /lib /usr/lib >"$USERLAND/etc/ld.so.conf"
ldconfig_bin="$(command -v ldconfig || true)"
[[ -z "$ldconfig_bin" && -x /sbin/ldconfig ]] && ldconfig_bin=/sbin/ldconfig
if [[ -n "$ldconfig_bin" ]]; then
  "$ldconfig_bin" -r "$USERLAND" 2>/dev/null || log "  (ldconfig -r failed: the loader's built-in paths will do)"
fi
chmod -R u+rwX,go+rX,go-w "$USERLAND/etc" "$JRE_TREE/opt"

# --- does it run? ----------------------------------------------------------------------------------------------
# As root, run java in a chroot of the two layers, with its own /proc (the launcher finds libjli.so through
# $ORIGIN, which the loader reads from /proc/self/exe), in a mount namespace that dies with it.
if [[ "$(id -u)" == 0 ]] && command -v unshare >/dev/null && command -v chroot >/dev/null; then
  check="$WORK/check"
  mkdir -p "$check/proc"
  cp -a "$USERLAND/." "$JRE_TREE/." "$check/"
  if ! unshare --mount --pid --fork --mount-proc="$check/proc" \
    chroot --userspec="$NONROOT_UID:$NONROOT_UID" "$check" /opt/java/bin/java -version >"$WORK/check.log" 2>&1; then
    cat "$WORK/check.log" >&2
    die "the JRE does not start on the copied userland (above: java -version in a chroot of the image)"
  fi
  log "checked: java -version runs as uid $NONROOT_UID in a chroot of the image"
  rm -rf "$check"
fi

# --- docker save layout ----------------------------------------------------------------------------------------
OUT="$WORK/image"
mkdir -p "$OUT"
TAR_OPTS=(--sort=name --mtime=@0 --numeric-owner --format=gnu)

layer() { # tree, name of the layer: prints the diff id (sha256 of the uncompressed tar)
  local tree="$1" tmp="$OUT/$2.tar" digest
  # shellcheck disable=SC2046 # top-level names of our own trees: no spaces
  if [[ "$2" == userland ]]; then
    # Everything root-owned but the non-root user's home.
    tar -C "$tree" "${TAR_OPTS[@]}" --owner=0 --group=0 --exclude=home/nonroot -cf "$tmp" $(ls -A "$tree")
    tar -C "$tree" "${TAR_OPTS[@]}" --owner="$NONROOT_UID" --group="$NONROOT_UID" -rf "$tmp" home/nonroot
  else
    tar -C "$tree" "${TAR_OPTS[@]}" --owner=0 --group=0 -cf "$tmp" $(ls -A "$tree")
  fi
  digest="$(sha256sum "$tmp" | cut -d' ' -f1)"
  mkdir -p "$OUT/$digest"
  mv "$tmp" "$OUT/$digest/layer.tar"
  printf '%s' "$digest"
}

userland_id="$(layer "$USERLAND" userland)"
jre_id="$(layer "$JRE_TREE" jre)"

created="1970-01-01T00:00:00Z"
config="$(
  cat <<EOF
{"architecture":"$ARCH","os":"linux","created":"$created",
 "config":{"User":"$NONROOT_UID","WorkingDir":"/","Env":["PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","JAVA_VERSION=$JAVA_VERSION","LANG=C.UTF-8"],
  "Labels":{"dev.nostrgate.base-image":"jlink JRE $JAVA_VERSION on the glibc of the build host (deploy/base-image.sh)"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:$userland_id","sha256:$jre_id"]},
 "history":[{"created":"$created","created_by":"deploy/base-image.sh: glibc and libraries from the build host, /etc, /tmp"},
            {"created":"$created","created_by":"deploy/base-image.sh: jlink --add-modules $modules_csv"}]}
EOF
)"
config_id="$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)"
printf '%s' "$config" >"$OUT/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar","%s/layer.tar"]}]\n' \
  "$config_id" "$TAG" "$userland_id" "$jre_id" >"$OUT/manifest.json"

mkdir -p "$(dirname "$OUTPUT")"
# Names without a leading ./, as docker save writes them. (Word splitting is safe: hex names and manifest.json.)
# shellcheck disable=SC2046
tar -C "$OUT" "${TAR_OPTS[@]}" --owner=0 --group=0 -cf "$OUTPUT.partial" $(ls -A "$OUT")
mv "$OUTPUT.partial" "$OUTPUT"
log "wrote $OUTPUT ($TAG, $ARCH, $(du -h "$OUTPUT" | cut -f1), image id sha256:$config_id)"
printf '%s\n' "$OUTPUT"
