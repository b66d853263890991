#!/bin/sh
# wasmvisor guest self-test (run by /init when the kernel command line says wvmode=selftest).
# Prints one "selftest: ok|FAIL <what>" line per check; exits non-zero if any check failed.
fail=0
ok()  { echo "selftest: ok   $*"; }
bad() { echo "selftest: FAIL $*"; fail=1; }
check() { what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }

check "uname is Linux riscv64"   sh -c '[ "$(uname -s) $(uname -m)" = "Linux riscv64" ]'
check "/proc/cpuinfo has a hart" grep -q '^hart' /proc/cpuinfo
check "isa has rv64 imafdc"      sh -c 'grep -q "^isa.*: rv64imafdc" /proc/cpuinfo'
check "/dev/console exists"      test -c /dev/console
check "rtc0 reads a date"        sh -c '[ -e /dev/rtc0 ] && hwclock -r -f /dev/rtc0'
check "time advances"            sh -c 'a=$(cut -d" " -f1 /proc/uptime); sleep 0.2; b=$(cut -d" " -f1 /proc/uptime); [ "$a" != "$b" ]'
if grep -q virtio /sys/class/misc/hw_random/rng_available 2>/dev/null; then
	check "virtio-rng gives data" sh -c '[ "$(head -c 64 /dev/hwrng | wc -c)" = 64 ]'
else
	echo "selftest: skip virtio-rng (no device)"
fi
check "tmpfs write/read"         sh -c 'seq 1 2000 > /tmp/t && [ "$(md5sum < /tmp/t)" = "$(seq 1 2000 | md5sum)" ]'
check "awk arithmetic"           sh -c '[ "$(awk "BEGIN { s = 0; for (i = 1; i <= 1000; i++) s += i * 0.5; print s }")" = 250250 ]'
if [ -f /mnt/hello.txt ]; then
	check "disk: sha256 of every file" sh -c 'cd /mnt && sha256sum -c /etc/wasmvisor/disk.sha256'
	check "disk: write, sync, read back" sh -c \
		'[ ! -w /mnt ] || { seq 1 5000 > /mnt/.selftest && sync && [ "$(md5sum < /mnt/.selftest)" = "$(seq 1 5000 | md5sum)" ] && rm /mnt/.selftest; }'
else
	echo "selftest: skip disk checks (no /mnt/hello.txt)"
fi
exit $fail
