#!/bin/sh
# The control experiment behind the lab's single-threaded TCG default (not
# in the default suite; docs/guest.md). With no dmfilter loaded, the
# kernel's own function tracer is switched on and off on submit_bio_noacct
# while fio writes and verifies on a mounted ext4. Each switch patches
# kernel text live. Under multi-threaded TCG the guest panics ("Oops: int3"
# at submit_bio_noacct+0x5) within a few dozen switches; under
# single-threaded TCG (or KVM) it survives them all.
#
#   scripts/guest --no-module --tcg multi  -- tests/guest/mttcg-control.sh [N]
#   scripts/guest --no-module --tcg single -- tests/guest/mttcg-control.sh [N]
. "$DMF_REPO/tests/guest/lib.sh"
n=${1:-200}
t=/sys/kernel/tracing
nullb_make 1
run fs_mount ext4 /dev/nullb0 /mnt/a
verify_start /mnt/a
echo submit_bio_noacct > $t/set_ftrace_filter
i=0
while [ $i -lt "$n" ]; do
	echo function > $t/current_tracer
	echo nop > $t/current_tracer
	i=$((i + 1))
done
pass "$n tracer on/off switches survived"
run verify_stop /mnt/a
umount /mnt/a
run fs_check ext4 /dev/nullb0
finish
