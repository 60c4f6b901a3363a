#!/bin/sh
# dust, as an application sees it (dm-dust's behaviour, 6.12):
# - 'dmfilter dust' verbs edit the bad-block list live, with dm-dust's
#   errors (a block listed twice, a block not listed, past the end);
# - disabled (the start), bad blocks are bypassed; enabled, a read that
#   touches one fails with EIO; a write heals it, after its write-fail
#   count of failed writes, and says so in the kernel log unless quiet;
# - on a mounted ext4, the file whose block is bad reads EIO, and
#   rewriting it heals it.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 1
d=/dev/nullb0
blocks() { dmfilter dust $d list --json | jq -c '[.blocks[] | [.block, .write_fails]]'; }

run dmfilter attach dust $d
run dmfilter dust $d add 60
run dmfilter dust $d add 67
run dmfilter dust $d add 72 2
expect "list shows the three, with the write-fail count" "$(blocks)" "[[60,0],[67,0],[72,2]]"
expect "count" "$(dmfilter dust $d count --json | jq .count)" 3
expect "query a bad block" "$(dmfilter dust $d query 67)" "$d: block 67 is bad"
expect "query a good one" "$(dmfilter dust $d query 68)" "$d: block 68 is not bad"
expect_fail "a block cannot be added twice" dmfilter dust $d add 60
expect_fail "a block not listed cannot be removed" dmfilter dust $d remove 87
expect_fail "a block past the end is refused" dmfilter dust $d add 2097152
expect_fail "a write-fail count over 255 is refused" dmfilter dust $d add 1 256
expect_fail "an unknown action is refused" dmfilter dust $d frob

expect "disabled: a bad block reads fine" "$(io r $d 67 1)" ok
expect "the JSON says disabled" "$(dmfilter dust $d count --json | jq .enabled)" false
run dmfilter dust $d enable
expect "enabled: reading the bad block fails" "$(io r $d 67 1)" "Input/output error"
expect "a 4 KiB read that covers it fails" "$(io r $d 64 8)" "Input/output error"
expect "the block before it reads fine" "$(io r $d 66 1)" ok
expect "writing block 60 succeeds" "$(io w $d 60 1)" ok
expect "and heals it" "$(dmfilter dust $d query 60)" "$d: block 60 is not bad"
expect "the kernel log says so, as dm-dust's does" \
	"$(dmesg | grep -c 'dmfilter: 253:0: dust: block 60 removed from the bad block list by a write')" 1
expect "a healed block reads fine" "$(io r $d 60 1)" ok
expect "block 72: first write fails" "$(io w $d 72 1)" "Input/output error"
expect "second write fails" "$(io w $d 72 1)" "Input/output error"
expect "still bad, count 0" "$(blocks)" "[[67,0],[72,0]]"
run dmfilter dust $d quiet
expect "quiet is on" "$(dmfilter dust $d count --json | jq .quiet)" true
expect "third write heals it" "$(io w $d 72 1)" ok
expect "quiet: no kernel log line for it" "$(dmesg | grep -c 'dust: block 72 removed')" 0
expect "counters: reads failed" "$(knob $d dust knobs.failed_reads)" 2
expect "counters: writes failed" "$(knob $d dust knobs.failed_writes)" 2
expect "counters: healed" "$(knob $d dust knobs.healed)" 2
run dmfilter dust $d remove 67
expect "removed: reads fine" "$(io r $d 67 1)" ok
run dmfilter dust $d add 5
expect "clear reports what it cleared" "$(dmfilter dust $d clear)" "$d: 1 bad block(s) cleared"
expect "list is empty" "$(dmfilter dust $d list)" "$d: no bad blocks"
run dmfilter detach $d
expect_fail "without a dust filter the verbs fail" dmfilter dust $d list

# A mounted ext4 with 4 KiB blocks: the file's first block goes bad.
run fs_mount ext4 $d /mnt/d
head -c 65536 /dev/urandom > /tmp/f
cp /tmp/f /mnt/d/f && sync
blk=$(debugfs -R "bmap /f 0" $d 2>/dev/null)
expect_ge "the file's first block is known" "$blk" 1
run dmfilter attach dust $d --set blksz=4096
run dmfilter dust $d add "$blk"
run dmfilter dust $d enable
echo 3 > /proc/sys/vm/drop_caches
expect "reading the file fails" "$(outcome dd if=/mnt/d/f of=/dev/null status=none)" "Input/output error"
dd if=/tmp/f of=/mnt/d/f bs=4096 count=1 conv=notrunc oflag=direct status=none
expect "rewriting its first block healed it" "$(dmfilter dust $d count --json | jq .count)" 0
echo 3 > /proc/sys/vm/drop_caches
expect "the file reads back intact" "$(sha256sum < /mnt/d/f)" "$(sha256sum < /tmp/f)"
run dmfilter detach $d
umount /mnt/d
if fs_check ext4 $d; then pass "fsck clean"; else fail "fsck: $(cat /tmp/fsck.nullb0.out)"; fi
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
