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
# 2. ext4 on a loop device's partition under fio write+verify: remap to
#    snapshot-origin over dmfilter-linear, stop, CYCLES times. fio's verify
#    is clean, the bios were redirected (the kernel's counter), fsck is
#    clean.
# 3. A whole disk's remap takes its partitions' bios, in disk sectors: a
#    block written through p2 while the disk is remapped is at p2's start
#    on the disk afterwards.
# 4. A remapped DM device cannot take another device's bios (ELOOP).
# 5. dm-delay through remap adds its delay to reads (fio's mean latency);
#    stopping restores direct I/O; a filter on the source sees the bios
#    first; the DM device cannot be removed while remapped; rmmod is
#    refused while a remap or a dmfilter-linear table exists.
# 6. A remapped disk that is removed (configfs null_blk) ends its remap:
#    the list is empty, the kernel log says so, nothing splats.
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

# --- 2. churn under fio write+verify on a mounted ext4 (a partition) -----
modprobe loop
head -c 200M /dev/zero > /tmp/disk.img
loop=$(losetup -f --show -P /tmp/disk.img)
printf 'start=2048,size=262144\nstart=264192,size=16384\n' | sfdisk -q $loop >/dev/null
partx -u $loop 2>/dev/null || blockdev --rereadpt $loop
p1=${loop}p1 p2=${loop}p2
[ -b $p2 ] && pass "$p1 and $p2" || { fail "no partitions on $loop"; finish; }
psz=$(blockdev --getsz $p1)
run table pbase "0 $psz dmfilter-linear $p1 0"
run fs_mount ext4 $p1 /mnt/src
run table origin "0 $psz snapshot-origin /dev/mapper/pbase"
verify_start /mnt/src
run dmfilter remap start /dev/mapper/origin $p1
expect_fail "a double start" dmfilter remap start /dev/mapper/origin $p1
expect "  says so" "$(head -1 /tmp/expect_fail.err)" "dmfilter: error: $p1 is already remapped"
sleep 1
expect_ge "bios redirected while remapped" "$(dmfilter remap list --json | jq '.remaps[0].redirected')" 1
expect "list --json shows the remap" "$(dmfilter list --json | jq -r '.remaps[0].dm_device')" \
	/dev/dm-$(dmsetup info -c --noheadings -o minor origin)
run dmfilter remap stop $p1
bad=0 i=0
while [ $i -lt "$cycles" ]; do
	dmfilter remap start /dev/mapper/origin $p1 > /dev/null || bad=$((bad + 1))
	dmfilter remap stop $p1 > /dev/null || bad=$((bad + 1))
	i=$((i + 1))
done
expect "$cycles starts and stops under fio succeeded" $bad 0
churn_end /mnt/src $p1 ext4 "$cycles remap start/stop cycles"
run dmsetup remove origin
run dmsetup remove pbase

# --- 3. a whole disk's remap takes its partitions' bios --------------------
lsz=$(blockdev --getsz $loop)
run table lbase "0 $lsz dmfilter-linear $loop 0"
run table ltop "0 $lsz linear /dev/mapper/lbase 0"
head -c 4096 /dev/urandom > /tmp/block
run dmfilter remap start /dev/mapper/ltop $loop
before=$(dmfilter remap list --json | jq '.remaps[0].redirected')
expect "a write through p2 while the disk is remapped" "$(io w $p2 0 8 /tmp/block)" ok
expect_ge "  went through the stack" "$(($(dmfilter remap list --json | jq '.remaps[0].redirected') - before))" 1
expect "  reads back through p2" "$(sectors_sum $p2 0 8)" "$(sha256sum < /tmp/block | cut -c1-64)"
run dmfilter remap stop $loop
expect "  and is at p2's start on the disk" "$(sectors_sum $loop 264192 8)" "$(sha256sum < /tmp/block | cut -c1-64)"

# --- 4. a remapped DM device takes no other device's bios ------------------
run table tbase "0 $lsz dmfilter-linear /dev/mapper/ltop 0"
run dmfilter remap start /dev/mapper/tbase /dev/mapper/ltop
expect_fail "remap onto a DM device that is remapped itself" dmfilter remap start /dev/mapper/ltop $loop
expect "  says so" "$(head -1 /tmp/expect_fail.err)" "dmfilter: error: /dev/mapper/ltop is itself remapped to another device"
run dmfilter remap stop /dev/mapper/ltop
run dmsetup remove tbase
run dmsetup remove ltop
run dmsetup remove lbase
losetup -d $loop

# --- 5. dm-delay through remap; filters first; removal and rmmod refused ---
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

# --- 6. a remapped disk that is removed ends its remap ---------------------
cfg=/sys/kernel/config/nullb
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
mkdir $cfg/gone && echo 64 > $cfg/gone/size && echo 1 > $cfg/gone/memory_backed && echo 1 > $cfg/gone/power
gsz=$(blockdev --getsz /dev/gone)
run table gbase "0 $gsz dmfilter-linear /dev/gone 0"
run dmfilter remap start /dev/mapper/gbase /dev/gone
expect "a write through the remap" "$(io w /dev/gone 0)" ok
echo 0 > $cfg/gone/power && rmdir $cfg/gone
expect "the removed disk's remap is gone" "$(remaps)" 0
dmesg | grep -q 'remap to .* stopped: device gone removed' && pass "  the kernel log says so" ||
	fail "no kernel log line for the removed disk's remap"
run dmsetup remove gbase
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
