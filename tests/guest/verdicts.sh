#!/bin/sh
# Verdicts and chains, as an application sees them.
# - COMPLETE(errno): the error filter's errno reaches the syscall (ENOSPC
#   comes back as ENOSPC); live knobs narrow it to an op or a sector range.
# - A chain runs in attach order and the first verdict other than PASS
#   wins: a pass filter before error sees the bios, one after it none.
# - Filters on two devices at once act on their own device only.
# - A partition's filter covers only that partition; a whole disk's
#   covers its partitions, in disk sectors.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 2
d0=/dev/nullb0 d1=/dev/nullb1

run dmfilter attach error $d0 --set errno=ENOSPC
expect "a write fails with the chosen errno" "$(io w $d0 0)" "No space left on device"
expect "so does a read" "$(io r $d0 0)" "No space left on device"
expect "the filter counted both" "$(knob $d0 error knobs.failed)" 2
expect "the module counted them as completed" "$(knob $d0 error counters.completed)" 2
run dmfilter set $d0 error reads=0
expect "reads=0: reads pass" "$(io r $d0 0)" ok
expect "writes still fail" "$(io w $d0 0)" "No space left on device"
run dmfilter set $d0 error errno=5 start=2048 sectors=8
expect "outside [2048, 2056): the write passes" "$(io w $d0 0)" ok
expect "inside it: EIO" "$(io w $d0 2048)" "Input/output error"
expect "a write ending inside it fails too" "$(io w $d0 2044)" "Input/output error"
expect "nullb1 has no filter: unaffected" "$(io w $d1 2048)" ok
run dmfilter detach $d0

# Chains: attach order decides.
run dmfilter attach pass $d0
run dmfilter attach error $d0
expect "pass, then error: the write fails" "$(io w $d0 0)" "Input/output error"
expect "pass saw it and passed it on" "$(knob $d0 pass counters.passed)" 1
expect "error completed it" "$(knob $d0 error counters.completed)" 1
expect "list shows the order" "$(dmfilter status $d0 --json | jq -r '[.attachments[] | "\(.position):\(.filter)"] | join(" ")')" "0:pass 1:error"
run dmfilter detach $d0
run dmfilter attach error $d0
run dmfilter attach pass $d0
expect "error, then pass: the write fails" "$(io w $d0 0)" "Input/output error"
expect "pass, second, never saw it" "$(knob $d0 pass counters.seen)" 0
run dmfilter detach $d0

# Two devices, a filter each.
run dmfilter attach error $d0 --set errno=ETIMEDOUT
run dmfilter attach error $d1 --set errno=61   # a number works too
expect "nullb0 fails with its errno" "$(io w $d0 0)" "Connection timed out"
expect "nullb1 with its own" "$(io w $d1 0)" "No data available"
run dmfilter detach --all

# Partitions: a loop device with two, 8 MiB each.
modprobe loop
head -c 32M /dev/zero > /tmp/disk.img
loop=$(losetup -f --show -P /tmp/disk.img)
printf 'start=2048,size=16384\nstart=18432,size=16384\n' | sfdisk -q $loop >/dev/null
partx -u $loop 2>/dev/null || blockdev --rereadpt $loop
[ -b ${loop}p2 ] && pass "${loop}p1 and p2" || { fail "no partitions on $loop"; finish; }
run dmfilter attach error ${loop}p1
expect "p1's filter fails p1" "$(io w ${loop}p1 0)" "Input/output error"
expect "and leaves p2 alone" "$(io w ${loop}p2 0)" ok
expect "and the whole disk" "$(io w $loop 0)" ok
run dmfilter detach ${loop}p1
# The whole disk's filter covers its partitions, in disk sectors: fail
# disk sectors [18432, 18440), which is sector 0 of p2.
run dmfilter attach error $loop --set start=18432 --set sectors=8
expect "the disk's filter fails p2's first block" "$(io w ${loop}p2 0)" "Input/output error"
expect "but not p2's next one" "$(io w ${loop}p2 8)" ok
expect "nor p1's first" "$(io w ${loop}p1 0)" ok
expect "and on the disk itself, the same sector" "$(io w $loop 18432)" "Input/output error"
run dmfilter detach $loop
losetup -d $loop
run rmmod dmfilter
finish
