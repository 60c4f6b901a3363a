#!/bin/sh
# Bad input gets a clear error, leaves nothing behind and no kernel splat
# (issue "Benchmarks ... reliability and security suite", bad input):
# - filter objects that are truncated, random bytes or empty, and a
#   program the verifier refuses for looping;
# - things that are not block devices (a character device, a regular
#   file, a directory, a missing path);
# - knob values out of range, of the wrong kind, or unknown;
# - callers without root, for every command that changes the kernel;
# - random ioctls on /dev/dmfilter (ioctl-fuzz.py) while a filter is
#   attached: it stays attached, the device's data is intact.
# (user-filter.sh covers a program that writes a read-only field.)
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 2
dev=/dev/nullb0
pass_o=$DMF_BUILD/filters/pass.bpf.o
mkdir -p /tmp/bad

# refused DESC CMD...: CMD fails, says "error:", and leaves nothing attached.
refused() {
	desc=$1; shift
	if "$@" > /tmp/bad/out 2>&1; then
		fail "$desc: '$*' succeeded"
	elif grep -q "error: " /tmp/bad/out; then
		pass "$desc: $(grep -m1 'error: ' /tmp/bad/out)"
	else
		fail "$desc: no error line: $(head -3 /tmp/bad/out)"
	fi
	expect "$desc: nothing attached" "$(dmfilter list --json | jq '.attachments | length')" 0
}

head -c 2000 "$pass_o" > /tmp/bad/truncated.bpf.o
head -c 8192 /dev/urandom > /tmp/bad/random.bpf.o
: > /tmp/bad/empty.bpf.o
refused "a truncated object" dmfilter attach /tmp/bad/truncated.bpf.o $dev
refused "random bytes" dmfilter attach /tmp/bad/random.bpf.o $dev
refused "an empty object" dmfilter attach /tmp/bad/empty.bpf.o $dev
refused "a looping program" dmfilter attach "$DMF_REPO/tests/guest/filters/loops.bpf.c" $dev
grep -qiE "loop|back-edge|too large|complexity" /tmp/bad/out &&
	pass "the verifier's reason for the loop is shown" || fail "no verifier reason: $(tail -3 /tmp/bad/out)"

: > /tmp/bad/file
refused "a character device" dmfilter attach pass /dev/null
refused "a regular file" dmfilter attach pass /tmp/bad/file
refused "a directory" dmfilter attach pass /tmp/bad
refused "a missing path" dmfilter attach pass /dev/no-such-disk
refused "remap of a character device" dmfilter remap start /dev/null /dev/null

refused "a delay past u64" dmfilter attach delay $dev --set ms=99999999999999999999999
refused "a negative delay" dmfilter attach delay $dev --set ms=-1
refused "a word for a number" dmfilter attach delay $dev --set ms=fast
refused "an unknown knob" dmfilter attach delay $dev --set nosuch=1
refused "a knob without a value" dmfilter attach delay $dev --set ms
run dmfilter attach delay $dev --set ms=1
refused_set() { # the same through 'set' on an attached filter; it stays as it was
	if dmfilter set $dev delay "$1" > /tmp/bad/out 2>&1; then fail "set $1 succeeded"
	else pass "set $1: $(grep -m1 'error: ' /tmp/bad/out)"; fi
	expect "set $1: ms unchanged" "$(knob $dev delay knobs.ms)" 1
}
refused_set ms=99999999999999999999999
refused_set ms=fast
refused_set nosuch=1
run dmfilter detach $dev

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
run dmfilter attach pass $dev
for cmd in "attach delay $dev" "detach $dev" "set $dev pass x=1" "remap stop $dev" \
	"dust $dev list" "list"; do
	# shellcheck disable=SC2086
	if nobody dmfilter $cmd > /tmp/bad/out 2>&1; then fail "without root: 'dmfilter $cmd' succeeded"
	else pass "without root: 'dmfilter $cmd': $(grep -m1 'error: ' /tmp/bad/out)"; fi
done
expect "without root: the filter is still attached" "$(dmfilter list --json | jq -r '.attachments[0].filter')" pass

head -c 1048576 /dev/urandom > /tmp/bad/seed
run io w $dev 0 2048 /tmp/bad/seed
if python3 "$DMF_REPO/tests/guest/ioctl-fuzz.py" 8000 1 $dev /dev/nullb1 /dev/null; then
	pass "ioctl fuzz: every call failed cleanly or succeeded"
else
	fail "ioctl fuzz: unexpected errors"
fi
expect "after the fuzz: the filter is still attached" "$(dmfilter list --json | jq -r '.attachments[0].filter')" pass
expect "after the fuzz: nothing remapped" "$(dmfilter remap list --json | jq '.remaps | length')" 0
expect "after the fuzz: the data is intact" "$(sectors_sum $dev 0 2048)" "$(sha256sum < /tmp/bad/seed | cut -c1-64)"
run dmfilter detach $dev
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
expect "nothing pinned" "$(find /sys/fs/bpf/dmfilter -mindepth 1 2>/dev/null | wc -l)" 0
run unload dmfilter
finish
