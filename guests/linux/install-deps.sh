#!/usr/bin/env bash
# Installs every Debian package (and Debian source package) that `make -C guests/linux` needs.
# Idempotent; run as root (CI runs it on a fresh Debian 12 "bookworm" machine).
#   - linux-source-6.1      kernel source tarball in /usr/src
#   - gcc-riscv64-linux-gnu + libc6-dev-riscv64-cross   cross compiler and glibc for static busybox
#   - busybox (source)      fetched with `apt-get source`, which needs a deb-src line
#   - e2fsprogs             disk image (mke2fs -d, debugfs); the initramfs is packed by the kernel's gen_init_cpio
#   - qemu-system-misc      reference machine (with its OpenSBI) for qemu-smoke.sh
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo

# Source lines: reuse the suites of the machine's own deb822 file when it exists.
SRC=/etc/apt/sources.list.d/wasmvisor-deb-src.sources
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  echo "install-deps: adding deb-src entries ($SRC)"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $SUDO tee "$SRC" >/dev/null
  else
    $SUDO tee "$SRC" >/dev/null <<'SRCEOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRCEOF
  fi
fi

echo "install-deps: apt-get update"
$SUDO apt-get update -qq
echo "install-deps: installing packages"
$SUDO apt-get install -y -qq --no-install-recommends \
  linux-source-6.1 gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross \
  gcc libc6-dev make bc bison flex perl python3 xz-utils gzip e2fsprogs \
  dpkg-dev ca-certificates qemu-system-misc >/dev/null
riscv64-linux-gnu-gcc --version | head -1
ls /usr/src/linux-source-6.1.tar.xz >/dev/null
echo "install-deps: done"
