#!/bin/sh
# The lab has what later tests need: block and DM modules, file systems,
# and the host's tools, usable as root on writable tmpfs.
set -e
modprobe null_blk memory_backed=1 gb=1
for m in null_blk scsi_debug loop dm_mod dm_delay dm_flakey ext4 xfs; do
	modprobe $m
	grep -q "^$m " /proc/modules || { echo "module $m did not load"; exit 1; }
done
for t in fio mkfs.ext4 mkfs.xfs dmsetup python3 bpftool; do
	command -v $t >/dev/null || { echo "tool $t missing"; exit 1; }
done
# A file system on a guest device round-trips data.
mkfs.ext4 -q /dev/nullb0
mount /dev/nullb0 /mnt
echo lab > /mnt/f && sync && [ "$(cat /mnt/f)" = lab ]
umount /mnt
[ -c /dev/dmfilter ] || { echo "/dev/dmfilter missing"; exit 1; }
echo lab-modules: ok
