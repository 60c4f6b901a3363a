#!/bin/sh
# The stacks users build with remap: a snapshot of a mounted, busy ext4,
# and dm-verity in front of an existing device.
# 1. snapshot: ext4 on nullb0 under fio write+verify, three files written
#    and their sha256 taken with the file system frozen; 'dmfilter snapshot
#    create' (COW on nullb1); the files are rewritten on the origin; the
#    snapshot fscks clean and, mounted read-only, has the old files; the
#    COW use shows in 'snapshot status --json'; remove is refused while the
#    snapshot is mounted and then unwinds everything; the origin keeps the
#    new files and fio's verify is clean.
# 2. dm-verity: a loop device with random data and its hash tree
#    (veritysetup format) on another; 'dmfilter dm DEV -- verity ...': reads
#    through DEV verify; a block changed underneath (in the loop's backing
#    file) fails with EIO, its neighbour still reads; '--remove' restores
#    plain reads.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 2
dm_count() { dmsetup ls | grep -c '^dmfilter-'; }

# --- 1. snapshot of a mounted, busy ext4 ----------------------------------
run fs_mount ext4 /dev/nullb0 /mnt/src
for f in a b c; do dd if=/dev/urandom of=/mnt/src/$f bs=1M count=4 status=none; done
verify_start /mnt/src
fsfreeze -f /mnt/src
(cd /mnt/src && sha256sum a b c) > /tmp/at-snapshot.sum
fsfreeze -u /mnt/src
run dmfilter snapshot create /dev/nullb0 --cow /dev/nullb1
snap=$(dmfilter snapshot status /dev/nullb0 --json | jq -r .snapshot)
expect "status --json names the snapshot device" "$snap" /dev/mapper/dmfilter-nullb0-snap
expect_fail "a second snapshot of the same device" dmfilter snapshot create /dev/nullb0 --cow /dev/nullb1
expect "  says why" "$(head -1 /tmp/expect_fail.err)" \
	"dmfilter: error: a device-mapper device named dmfilter-nullb0-base exists already"
expect_fail "COW on the device itself" dmfilter snapshot create /dev/nullb1 --cow /dev/nullb1
for f in a b c; do dd if=/dev/urandom of=/mnt/src/$f bs=1M count=4 conv=notrunc status=none; done
sync
(cd /mnt/src && sha256sum a b c) > /tmp/rewritten.sum
cmp -s /tmp/at-snapshot.sum /tmp/rewritten.sum && fail "the rewrite changed nothing" || pass "the files were rewritten on the origin"
expect_ge "the COW holds the overwritten chunks (sectors)" \
	"$(dmfilter snapshot status /dev/nullb0 --json | jq .cow_used_sectors)" 24576
if fsck.ext4 -fn "$snap" > /tmp/fsck.snap.out 2>&1; then pass "the snapshot fscks clean"; else fail "snapshot fsck: $(tail -3 /tmp/fsck.snap.out)"; fi
run mkdir -p /mnt/snap
run mount -o ro "$snap" /mnt/snap
expect "the snapshot has the files as they were at snapshot time" \
	"$(cd /mnt/snap && sha256sum a b c)" "$(cat /tmp/at-snapshot.sum)"
expect_fail "remove while the snapshot is mounted" dmfilter snapshot remove /dev/nullb0
expect "  changes nothing" "$(dmfilter remap list --json | jq '.remaps | length')" 1
run umount /mnt/snap
run dmfilter snapshot remove /dev/nullb0
expect "remove unwinds every device" "$(dm_count)" 0
expect "and the remap" "$(dmfilter remap list --json | jq '.remaps | length')" 0
if verify_stop /mnt/src; then pass "fio verify clean"; else fail "fio verify failed"; fi
run umount /mnt/src
echo 3 > /proc/sys/vm/drop_caches
run mount /dev/nullb0 /mnt/src
expect "the origin keeps the rewritten files" "$(cd /mnt/src && sha256sum a b c)" "$(cat /tmp/rewritten.sum)"
run umount /mnt/src
if fs_check ext4 /dev/nullb0; then pass "the origin fscks clean"; else fail "origin fsck: $(cat /tmp/fsck.nullb0.out)"; fi

# --- 2. dm-verity in front of an existing device --------------------------
modprobe loop
run dd if=/dev/urandom of=/tmp/data.img bs=1M count=16 status=none
run truncate -s 1M /tmp/hash.img
data=$(losetup -f --show /tmp/data.img)
hash=$(losetup -f --show /tmp/hash.img)
veritysetup format "$data" "$hash" > /tmp/verity.out || { fail "veritysetup format"; finish; }
root=$(sed -n 's/^Root hash:[[:space:]]*//p' /tmp/verity.out)
salt=$(sed -n 's/^Salt:[[:space:]]*//p' /tmp/verity.out)
sum=$(sha256sum < /tmp/data.img | cut -c1-64)
expect_fail "a table that does not use DEV" dmfilter dm "$data" -- delay "$data" 0 50
expect "  changes nothing" "$(dm_count)" 0
# verity 1 <data> <hash> <data bs> <hash bs> <data blocks> <hash start> sha256 <root> <salt>;
# the hash tree starts after veritysetup's superblock (block 1).
run dmfilter dm "$data" -- verity 1 DEV "$hash" 4096 4096 4096 1 sha256 "$root" "$salt"
expect "reads through the device verify" "$(sectors_sum "$data" 0 32768)" "$sum"
printf 'X' | dd of=/tmp/data.img bs=1 seek=$((100 * 4096 + 7)) conv=notrunc status=none
expect "a block changed underneath fails to read" "$(io r "$data" 800)" "Input/output error"
expect "its neighbour reads" "$(io r "$data" 792)" ok
dmesg | grep -q 'verity.*data block 100 is corrupted' && pass "  dm-verity logged block 100" ||
	fail "no dm-verity log line for block 100"
run dmfilter dm "$data" --remove
expect "after --remove the changed block reads again" "$(io r "$data" 800)" ok
expect "  and nothing is left" "$(dm_count)" 0
losetup -d "$data" "$hash"
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
