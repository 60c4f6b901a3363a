#!/bin/sh
# Remap: the bios of a mounted, busy device go through a device-mapper
# stack built on it, on the fly, and come back, losing nothing.
#
#   remap.sh [CYCLES]    (default 50)
#
# 1. Bad input is refused with a clear error and changes nothing: a DM
#    device not built on the source (plain linear; dmfilter-linear on
#    another disk), not DM at all, of another size, using the source
#    directly, a double start, a stop of what is not remapped, a caller
#    without root.
# 2. ext4 on nullb0 under fio write+verify: remap to snapshot-origin over
#    dmfilter-linear, stop, CYCLES times. fio's verify is clean, the bios
#    were redirected (the kernel's counter), fsck is clean.
# 3. dm-delay through remap adds its delay to reads (fio's mean latency);
#    stopping restores direct I/O; a filter on the source sees the bios
#    first; the DM device cannot be removed while remapped; rmmod is
#    refused while a remap or a dmfilter-linear table exists.
. "$DMF_REPO/tests/guest/lib.sh"
cycles=${1:-50}
nullb_make 2
sz=$(blockdev --getsz /dev/nullb0)
remaps() { dmfilter remap list --json | jq '.remaps | length'; }
# table NAME TABLE: a DM device from a one-line table.
table() { echo "$2" | dmsetup create "$1"; }
# read_ms DEV: mean latency of 4k direct reads, whole ms (fio's figure).
read_ms() {
	fio --name=lat --filename="$1" --rw=randread --bs=4k --size=4M --direct=1 \
		--ioengine=psync --number_ios=20 --output-format=json |
		jq -r '.jobs[0].read.clat_ns.mean / 1e6 | floor'
}

# --- 1. bad input ---------------------------------------------------------
run table base "0 $sz dmfilter-linear /dev/nullb0 0"
run table plain "0 $sz linear /dev/nullb1 0"
run table other "0 $sz dmfilter-linear /dev/nullb1 0"
run table short "0 $((sz - 8)) dmfilter-linear /dev/nullb0 0"
half=$((sz / 2))
printf '0 %s dmfilter-linear /dev/nullb1 0\n%s %s linear /dev/nullb1 %s\n' $half $half $half $half |
	dmsetup create mixed
expect_fail "a DM device on another disk" dmfilter remap start /dev/mapper/plain /dev/nullb0
expect "  the message names both" "$(grep -c 'refused to remap /dev/nullb0 to /dev/mapper/plain' /tmp/expect_fail.err)" 1
expect_fail "dmfilter-linear on another disk" dmfilter remap start /dev/mapper/other /dev/nullb0
dmesg | grep -q 'dmfilter: remap .* is not built on it through dmfilter-linear' &&
	pass "  the kernel log says why" || fail "no kernel log line for the stack not on the source"
expect_fail "not a DM device" dmfilter remap start /dev/nullb1 /dev/nullb0
expect "  says so" "$(head -1 /tmp/expect_fail.err)" "dmfilter: error: /dev/nullb1 is not a device-mapper device"
expect_fail "another size" dmfilter remap start /dev/mapper/short /dev/nullb0
expect "  says so" "$(head -1 /tmp/expect_fail.err)" \
	"dmfilter: error: /dev/mapper/short has $((sz - 8)) sectors, /dev/nullb0 has $sz: a remap needs the same size"
expect_fail "a table that uses the source directly" dmfilter remap start /dev/mapper/mixed /dev/nullb1
expect_fail "the device onto itself" dmfilter remap start /dev/nullb0 /dev/nullb0
expect_fail "stop of a device not remapped" dmfilter remap stop /dev/nullb0
expect "  says so" "$(head -1 /tmp/expect_fail.err)" "dmfilter: error: /dev/nullb0 is not remapped"
expect_fail "without root" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$DMF_BUILD/loader/dmfilter" remap start /dev/mapper/base /dev/nullb0
expect "nothing remapped after the refusals" "$(remaps)" 0
run dmsetup remove plain
run dmsetup remove other
run dmsetup remove short
run dmsetup remove mixed

# --- 2. churn under fio write+verify on a mounted ext4 --------------------
run fs_mount ext4 /dev/nullb0 /mnt/src
run table origin "0 $sz snapshot-origin /dev/mapper/base"
verify_start /mnt/src
run dmfilter remap start /dev/mapper/origin /dev/nullb0
expect_fail "a double start" dmfilter remap start /dev/mapper/origin /dev/nullb0
expect "  says so" "$(head -1 /tmp/expect_fail.err)" "dmfilter: error: /dev/nullb0 is already remapped"
sleep 1
expect_ge "bios redirected while remapped" "$(dmfilter remap list --json | jq '.remaps[0].redirected')" 1
expect "list --json shows the remap" "$(dmfilter list --json | jq -r '.remaps[0].dm_device')" \
	/dev/dm-$(dmsetup info -c --noheadings -o minor origin)
run dmfilter remap stop /dev/nullb0
bad=0 i=0
while [ $i -lt "$cycles" ]; do
	dmfilter remap start /dev/mapper/origin /dev/nullb0 > /dev/null || bad=$((bad + 1))
	dmfilter remap stop /dev/nullb0 > /dev/null || bad=$((bad + 1))
	i=$((i + 1))
done
expect "$cycles starts and stops under fio succeeded" $bad 0
if verify_stop /mnt/src; then pass "fio verify clean"; else fail "fio verify failed"; fi
umount /mnt/src
if fs_check ext4 /dev/nullb0; then pass "ext4 check clean"; else fail "ext4 check: $(cat /tmp/fsck.nullb0.out)"; fi
run dmsetup remove origin

# --- 3. dm-delay through remap; filters first; removal and rmmod refused ---
run table slow "0 $sz delay /dev/mapper/base 0 50"
before=$(read_ms /dev/nullb0)
run dmfilter attach pass /dev/nullb0
run dmfilter remap start /dev/mapper/slow /dev/nullb0
during=$(read_ms /dev/nullb0)
expect_ge "dm-delay's 50 ms is on the source's reads (ms, was $before)" "$during" 45
expect_ge "the filter saw the reads before the redirect" "$(knob /dev/nullb0 pass counters.seen)" 20
expect_fail "the DM device of a live remap cannot be removed" dmsetup remove slow
expect_fail "rmmod is refused while remapped" rmmod dmfilter
run dmfilter remap stop /dev/nullb0
after=$(read_ms /dev/nullb0)
if [ "$after" -lt 20 ]; then pass "direct I/O again after stop ($after ms)"; else fail "reads still take $after ms"; fi
run dmfilter detach /dev/nullb0
expect "nothing remapped at the end" "$(remaps)" 0
run dmsetup remove slow
expect_fail "rmmod is refused while a dmfilter-linear table exists" rmmod dmfilter
run dmsetup remove base
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
