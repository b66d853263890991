#!/usr/bin/env bash
# check-prebuilt.sh: compares build/ (a fresh rebuild) with the committed prebuilt/ copies:
# the full kernel .config, the busybox .config, the kernel Image, initramfs.cpio.gz, disk.ext2.
# With the Debian package versions recorded in prebuilt/VERSIONS every one must match bit for
# bit. After a Debian update (linux-source-6.1, the cross gcc/glibc, busybox, e2fsprogs) they
# can't all match, so then differences are reported as notes only (`make prebuilt` refreshes the
# copies); the QEMU boot check that `make check` runs next still has to pass.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
make -s --no-print-directory versions > "$tmp/VERSIONS"
strict=1
if ! cmp -s "$tmp/VERSIONS" prebuilt/VERSIONS; then
  strict=0
  echo "check: note Debian package versions differ from prebuilt/VERSIONS (mismatches are not errors):"
  diff prebuilt/VERSIONS "$tmp/VERSIONS" | sed 's/^/    /' || true
fi
gzip -dc prebuilt/Image.gz > "$tmp/Image"
gzip -dc prebuilt/disk.ext2.gz > "$tmp/disk.ext2"
status=0
same() { # same WHAT BUILT PREBUILT
  if cmp -s "$2" "$3"; then echo "check: ok   $1 is bit-exact"
  elif [ $strict = 1 ]; then echo "check: FAIL $1 differs from prebuilt"; status=1
  else echo "check: note $1 differs from prebuilt"; fi
}
same "kernel .config"    build/kernel.config.full    prebuilt/kernel.config
same "busybox .config"   build/src/busybox/.config   prebuilt/busybox.config
same "kernel Image"      build/Image                 "$tmp/Image"
same "initramfs.cpio.gz" build/initramfs.cpio.gz     prebuilt/initramfs.cpio.gz
same "disk.ext2"         build/disk.ext2             "$tmp/disk.ext2"
exit $status
