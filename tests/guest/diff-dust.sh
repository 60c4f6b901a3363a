#!/bin/sh
# dust against dm-dust (the running kernel's own, built from its
# linux-source by the build, or by scripts/lib/kbuild-chroot for another
# series):
# the same bad blocks, the same sequence of direct reads and writes on
# /dev/mapper/ref (dm-dust on nullb0) and on nullb1 (dust attached). Each
# step's outcome (ok or the errno text), the data read back at the end and
# the bad-block list left must be the same on both.
# Not compared: a multi-block write over a block whose write-fail count is
# not 0 (dm-dust writes the other blocks of it, dust fails it whole; see
# filters/dust.bpf.c).
. "$DMF_REPO/tests/guest/lib.sh"
# The kernel's own dm-dust where it has one (a debug kernel), else the build's.
modprobe dm_dust 2>/dev/null || run insmod "$(built_ko dm-dust)"
nullb_make 2
ref=/dev/mapper/ref ours=/dev/nullb1
head -c 1048576 /dev/urandom > /tmp/seed
for d in /dev/nullb0 $ours; do run io w $d 0 2048 /tmp/seed; done
run dmsetup create ref --table "0 $(blockdev --getsz /dev/nullb0) dust /dev/nullb0 0 512"
run dmfilter attach dust $ours --set blksz=512

# both CMD...: the dm-dust message and the dmfilter verb of one action.
msg() { dmsetup message ref 0 "$@" > /dev/null; }
both_add() { msg addbadblock "$@" && dmfilter dust $ours add "$@" > /dev/null; }
for b in 60 67 72 100 101 500; do run both_add $b; done
run both_add 80 2
run msg enable
run dmfilter dust $ours enable

# The workload: OP SECTOR SECTORS, each run on both devices.
steps="r 60 1|r 59 1|r 56 8|r 64 8|r 96 8|w 60 1|r 60 1|r 56 8|w 80 1|w 80 1|r 80 1|w 80 1
r 80 1|r 96 16|w 96 16|r 96 16|r 500 1|w 496 8|r 500 1|r 67 1|w 200 8|r 200 8|r 72 1"
i=0
echo "$steps" | tr '|' '\n' | while read -r op sector n; do
	i=$((i + 1))
	a=$(io $op $ref $sector $n /tmp/seed)
	b=$(io $op $ours $sector $n /tmp/seed)
	expect "step $i ($op $sector+$n): dm-dust '$a'" "$b" "$a"
done > /tmp/steps.out
cat /tmp/steps.out
grep -q '^FAIL' /tmp/steps.out && failures=$((failures + 1))
expect "every step compared" "$(grep -c . /tmp/steps.out)" 23

ref_list=$(dmsetup message ref 0 listbadblocks | tr '\n' ' ')
our_list=$(dmfilter dust $ours list --json | jq -r '.blocks[].block' | tr '\n' ' ')
expect "the bad blocks left are the same" "$our_list" "$ref_list"
run msg disable
run dmfilter dust $ours disable
expect "the data read back is the same" "$(sectors_sum $ours 0 2048)" "$(sectors_sum $ref 0 2048)"
run dmsetup remove ref
run dmfilter detach $ours
run unload dm_dust dmfilter
finish
