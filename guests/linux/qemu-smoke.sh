#!/usr/bin/env bash
# qemu-smoke.sh [build|prebuilt] — boots the Linux guest on QEMU's `virt` machine (the reference
# board wasmvisor copies, with QEMU's default OpenSBI firmware) and checks it:
#   1. console=ttyS0 (16550 UART): wait for the banner, type commands on the console, check
#      uname, /proc/cpuinfo and the sha256 of the disk's files, power off;
#   2. console=hvc0 (SBI console): the same through the SBI legacy getchar/putchar calls;
#   3. wvmode=selftest: the guest runs /etc/wasmvisor/selftest.sh by itself and powers off.
# Prints the wall time from QEMU's start to the banner line for each boot.
# Needs qemu-system-riscv64 (qemu-system-misc). Exit status 0 only if every check passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
which=${1:-build}
TIMEOUT=${SMOKE_TIMEOUT:-120}
BANNER='wasmvisor: user space ready'

work=$(mktemp -d)
qpid=
cleanup() { [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

case "$which" in
  build)
    kernel=$here/build/Image initrd=$here/build/initramfs.cpio.gz
    cp "$here/build/disk.ext2" "$work/disk.orig" ;;
  prebuilt)
    gzip -dc "$here/prebuilt/Image.gz" > "$work/Image"; kernel=$work/Image
    initrd=$here/prebuilt/initramfs.cpio.gz
    gzip -dc "$here/prebuilt/disk.ext2.gz" > "$work/disk.orig" ;;
  *) echo "usage: $0 [build|prebuilt]" >&2; exit 2 ;;
esac
for f in "$kernel" "$initrd" "$work/disk.orig"; do [ -f "$f" ] || { echo "smoke: missing $f (run make -C guests/linux)"; exit 1; }; done
rand_sum=$(awk '$2 == "random.bin" { print $1 }' "$here/disk.sha256")
hello_sum=$(awk '$2 == "hello.txt" { print $1 }' "$here/disk.sha256")

failures=0
pass() { echo "smoke: ok   $*"; }
fail() { echo "smoke: FAIL $*"; failures=$((failures + 1)); }
expect() { # expect LOG WHAT FIXED-STRING
  if grep -qF -- "$3" "$1"; then pass "$2"; else fail "$2 (no '$3' in the output)"; fi
}

now() { date +%s%N; }

# boot NAME APPEND [QEMU-ARGS...]: starts QEMU (on a fresh copy of the disk) with its serial console on a FIFO (stdin) and a log (stdout),
# and waits for the banner. Sets $log, $qpid, and $fifo_fd (write end of the console input).
boot() {
  local name=$1 append=$2; shift 2
  log=$work/$name.log
  cp "$work/disk.orig" "$work/disk.ext2"
  rm -f "$work/in"; mkfifo "$work/in"
  local t0; t0=$(now)
  qemu-system-riscv64 -machine virt -m 256M -smp 1 -nographic -no-reboot \
    -kernel "$kernel" -initrd "$initrd" -append "$append" \
    -drive file="$work/disk.ext2",format=raw,if=none,id=hd0 -device virtio-blk-device,drive=hd0 "$@" \
    < "$work/in" > "$log" 2>&1 &
  qpid=$!
  exec {fifo_fd}> "$work/in"
  local deadline=$(( $(date +%s) + TIMEOUT ))
  until grep -qF "$BANNER" "$log"; do
    if ! kill -0 "$qpid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      fail "$name: no banner within ${TIMEOUT}s"; tail -20 "$log" | sed 's/^/    | /'
      return 1
    fi
    sleep 0.01
  done
  local ms=$(( ($(now) - t0) / 1000000 ))
  local up; up=$(sed -n 's/.*wasmvisor: kernel .*uptime \([0-9.]*\)s.*/\1/p' "$log" | head -1)
  pass "$name: banner after ${ms} ms wall (QEMU start to banner), guest uptime ${up}s"
}

# finish NAME: waits for QEMU to power off (closing the console input first).
finish() {
  local name=$1 deadline=$(( $(date +%s) + TIMEOUT ))
  while kill -0 "$qpid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then fail "$name: QEMU did not power off"; kill "$qpid"; break; fi
    sleep 0.05
  done
  wait "$qpid" 2>/dev/null || true
  qpid=
  exec {fifo_fd}>&-
}

interactive() { # interactive NAME CONSOLE
  local name=$1
  boot "$name" "console=$2" || { finish "$name"; return; }
  sleep 0.5   # let the shell print its prompt
  # $((6*7)) makes the marker differ from the echoed command line.
  printf '%s\n' 'uname -a' 'cat /proc/cpuinfo' 'sha256sum /mnt/random.bin /mnt/hello.txt' \
    'cat /mnt/hello.txt' 'echo SMOKE-$((6*7))' 'poweroff -f' >&"$fifo_fd"
  finish "$name"
  expect "$log" "$name: uname" "Linux wasmvisor 6.1"
  expect "$log" "$name: uname -m" "2025 riscv64"
  expect "$log" "$name: cpuinfo isa" "rv64imafdc"
  expect "$log" "$name: disk mounted" "mounted /dev/vda on /mnt"
  expect "$log" "$name: sha256 random.bin" "$rand_sum  /mnt/random.bin"
  expect "$log" "$name: sha256 hello.txt" "$hello_sum  /mnt/hello.txt"
  expect "$log" "$name: hello.txt" "Hello from the wasmvisor disk image!"
  expect "$log" "$name: shell ran commands" "SMOKE-42"
  expect "$log" "$name: powered off" "reboot: Power down"
}

echo "smoke: booting guests/linux/$which on $(qemu-system-riscv64 --version | head -1)"
interactive ttyS0 ttyS0
interactive hvc0 hvc0
boot selftest "console=ttyS0 wvmode=selftest" -device virtio-rng-device && finish selftest || finish selftest
grep '^selftest:' "$log" | sed 's/^/    /'
expect "$log" "selftest: verdict" "wasmvisor: selftest PASS"

if [ "${SMOKE_KEEP_LOGS:-}" ]; then mkdir -p "$SMOKE_KEEP_LOGS" && cp "$work"/*.log "$SMOKE_KEEP_LOGS"/; fi
if [ $failures = 0 ]; then echo "smoke: all checks passed"; else
  echo "smoke: $failures check(s) failed; last log:"; tail -40 "$log" | sed 's/^/    | /'; exit 1; fi
