#!/usr/bin/env bash
# Assembles the root filesystem of the bookhook image, everything but the application itself (Jib adds that):
#   /opt/java        a JRE cut by jlink from the JDK that runs the build (it needs the JDK's jmods)
#   /lib, /usr/lib   the C runtime that JRE links against, and /bin/sh for the launcher: the files of the
#                    build machine's Debian packages named below (dpkg -L), symlinks resolved
#   /etc, /usr/local/bin/bookhook, /tmp, /var/lib/bookhook   from src/image/rootfs
# No registry image is pulled: the only registries this project may use are Maven Central, Debian's and npm's.
# Usage: assemble-runtime.sh OUTPUT_DIR JAVA_HOME
set -euo pipefail
out="$1"
java_home="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Kept in step with what the stages use: TLS (jdk.crypto.ec), SASL/GSSAPI (java.security.jgss, jdk.security.*),
# JMX (java.management), the mock receiver's HTTP server (jdk.httpserver), sun.misc.Unsafe (jdk.unsupported).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http
modules=$modules,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa
modules=$modules,java.xml,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.localedata
modules=$modules,jdk.management,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs
# libc6: libc, libm, the dynamic loader; libgcc-s1 + libstdc++6: libjvm and RocksDB's JNI library; zlib1g: java itself
packages=(libc6 libgcc-s1 libstdc++6 zlib1g dash)

die() { echo "assemble-runtime: $*" >&2; exit 1; }
[ -d "$java_home/jmods" ] || die "$java_home has no jmods: build the image with a full JDK 17 (Debian: openjdk-17-jdk-headless)"
command -v dpkg-query >/dev/null || die "dpkg is needed: the C runtime comes from the build machine's Debian packages"
[ "$(dpkg --print-architecture)" = amd64 ] || die "the image is built for amd64 only"

rm -rf "$out"
mkdir -p "$out"

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$out/opt/java.tmp"
# jlink's legal/ holds symlinks; Jib's layers should hold plain files
cp -rL "$out/opt/java.tmp" "$out/opt/java"
rm -rf "$out/opt/java.tmp"

manifest="$out/usr/share/bookhook/image-packages.txt"
mkdir -p "$(dirname "$manifest")"
echo "# Debian packages whose files are in this image (from the build machine), and the JDK jlink used" > "$manifest"
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Package} ${Version} ${Architecture}\n' "$pkg" >>"$manifest" 2>/dev/null \
      || die "Debian package $pkg is not installed on this machine"
  while IFS= read -r path; do
    case "$path" in
      /usr/share/doc/*/copyright) ;;                          # keep the licences
      /usr/share/*|/etc/*|/usr/lib/x86_64-linux-gnu/gconv/*) continue ;;
    esac
    if [ -f "$path" ]; then                                   # regular files, and symlinks to them, resolved
      mkdir -p "$out$(dirname "$path")"
      cp -L "$path" "$out$path"
    fi
  done < <(dpkg -L "$pkg")
done
echo "jdk $("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')" >>"$manifest"

cp -a "$here/rootfs/." "$out/"
find "$out" -name .keep -delete
# /bin/sh for the launcher
[ -x "$out/bin/dash" ] && [ ! -e "$out/bin/sh" ] && cp "$out/bin/dash" "$out/bin/sh"
[ -x "$out/bin/sh" ] || die "dash did not provide /bin/dash"
[ -f "$out/lib64/ld-linux-x86-64.so.2" ] || die "libc6 did not provide /lib64/ld-linux-x86-64.so.2"
echo "assemble-runtime: $(du -sh "$out" | cut -f1) in $out"
