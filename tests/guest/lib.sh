# Shared helpers for guest test scripts (sourced). Every check prints one
# line; finish exits non-zero when any check failed.
failures=0

pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; failures=$((failures + 1)); }

# expect DESC GOT WANT
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# expect_ge DESC GOT MIN (integers)
expect_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then pass "$1 ($2)"; else fail "$1: got '$2', want >= $3"; fi
}

# run CMD...: must succeed; a failure ends the test here.
run() {
	if "$@"; then pass "$*"; else fail "$* (exit $?)"; finish; fi
}

# expect_fail DESC CMD...: CMD must fail.
expect_fail() {
	desc=$1; shift
	if "$@" 2>/tmp/expect_fail.err; then fail "$desc: '$*' succeeded"; else pass "$desc: $(head -1 /tmp/expect_fail.err)"; fi
}

finish() {
	echo "$failures check(s) failed"
	exit $((failures > 0))
}

# outcome CMD...: run CMD (a dd, a cat), print "ok" or its error text
# after the last ': ' (the strerror of the errno the syscall got).
outcome() {
	"$@" 2>/tmp/io.err && echo ok || sed 's/.*: //' /tmp/io.err
}

# io r|w DEV SECTOR [SECTORS [FROM]]: one direct read or write (one
# syscall, one bio unless the block layer splits it) of SECTORS
# (default 8, 4 KiB) at SECTOR, writing FROM (default zeros); prints its
# outcome.
io() {
	case $1 in
	r) outcome dd if="$2" of=/dev/null bs=$((${4:-8} * 512)) skip=$(($3 * 512)) count=1 \
		iflag=direct,skip_bytes status=none ;;
	w) outcome dd if="${5:-/dev/zero}" of="$2" bs=$((${4:-8} * 512)) seek=$(($3 * 512)) count=1 \
		oflag=direct,seek_bytes conv=notrunc status=none ;;
	esac
}

# sectors_sum DEV SECTOR COUNT: sha256 of COUNT sectors read directly at SECTOR.
sectors_sum() {
	dd if="$1" bs=$(($3 * 512)) skip=$(($2 * 512)) count=1 iflag=direct,skip_bytes status=none |
		sha256sum | cut -c1-64
}

# knob DEV FILTER FIELD: a field of the filter's 'status --json' entry
# (knobs.NAME, counters.NAME, ...).
knob() { dmfilter status "$1" --json | jq -r ".attachments[] | select(.filter == \"$2\") | .$3"; }

# unload MODULE...: rmmod each, in order, retried for up to 10 s. A filter
# that calls the module's kfuncs holds the module until the kernel frees
# its programs, which it does after an RCU grace period, a moment after
# the detach. (One rmmod of several would remove the first and then, on
# retry, fail on it: gone.)
unload() {
	for m; do
		i=0
		until rmmod "$m" 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 50 ] || { rmmod "$m"; return; }
			sleep 0.2
		done
	done
}

# built_ko NAME: the build's NAME.ko for the running kernel: the one
# scripts/lib/kbuild-chroot made for a fetched kernel, else the 6.12 build's.
built_ko() {
	ko=$DMF_BUILD/kernels/$(uname -r)/upstream/$1.ko
	[ -e "$ko" ] || ko=$DMF_BUILD/tests/guest/$1.ko
	echo "$ko"
}

# --- a mounted file system under a fio write+verify job -------------------
# Used by the churn tests, scripts/stress and tests/guest/mttcg-control.sh.

# nullb_make N: null_blk devices nullb0..nullb(N-1), memory backed, 1 GiB.
nullb_make() { modprobe null_blk nr_devices="$1" memory_backed=1 gb=1; }

# fs_mount FSTYPE DEV MNT: a fresh ext4 or xfs on DEV, mounted at MNT.
fs_mount() {
	case $1 in
	ext4) mkfs.ext4 -q -F "$2" ;;
	xfs) mkfs.xfs -q -f "$2" ;;
	esac && mkdir -p "$3" && mount "$2" "$3"
}

# fs_check FSTYPE DEV: the file system's own read-only check (unmounted DEV).
fs_check() {
	case $1 in
	ext4) fsck.ext4 -fn "$2" ;;
	xfs) xfs_repair -n "$2" ;;
	esac > "/tmp/fsck.$(basename "$2").out" 2>&1
}

# verify_start DIR [IOPS]: random 4k writes with crc32c verification
# (backlog 256, fsync every 16) into DIR/verify.dat until verify_stop, as
# fast as it goes or capped at IOPS writes a second; the job runs in the
# background, its output in /tmp/verify.$(basename DIR).out.
verify_start() {
	fio --name=churn --directory="$1" --filename=verify.dat --rw=randwrite \
		--bs=4k --size=64M --ioengine=psync --verify=crc32c --do_verify=1 \
		--verify_backlog=256 --verify_state_save=0 --fsync=16 --time_based --runtime=3600 \
		${2:+--rate_iops=$2} \
		> "/tmp/verify.$(basename "$1").out" 2>&1 &
	echo $! > "/tmp/verify.$(basename "$1").pid"
	sleep 1
}

# verify_stop DIR: end the job; succeed only if fio's summary says err= 0
# and fio reported no verify failure. fio exits non-zero after SIGINT even
# on a healthy device, so its summary is the judge.
verify_stop() {
	out=/tmp/verify.$(basename "$1").out
	pid=$(cat "/tmp/verify.$(basename "$1").pid")
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if grep -qiE 'verify failed|bad magic|bad header|verify type mismatch' "$out"; then
		grep -iE 'verify failed|bad magic|bad header|mismatch' "$out" | head -5
		return 1
	fi
	grep -q 'err= 0' "$out" || { tail -20 "$out"; return 1; }
}

# churn_end MNT DEV FSTYPE WHAT: end the fio verify job on MNT, unmount
# it and check DEV; print the summary line scripts/stress reads, "churn:
# DEV FSTYPE: WHAT, verify ok|FAILED, fsck ok|FAILED", and check both.
churn_end() {
	if verify_stop "$1"; then v=ok; else v=FAILED; fi
	umount "$1"
	if fs_check "$3" "$2"; then c=ok; else c=FAILED; cat "/tmp/fsck.$(basename "$2").out"; fi
	echo "churn: $(basename "$2") $3: $4, verify $v, fsck $c"
	expect "$(basename "$2"): fio verify clean" $v ok
	expect "$(basename "$2"): $3 check clean" $c ok
}

# kernel_log_clean: no splat in dmesg (scripts/guest checks this too; a
# script that reports its own line says which step went wrong).
kernel_log_clean() {
	! dmesg | grep -qEf "$DMF_REPO/scripts/lib/splats"
}
