// SPDX-License-Identifier: GPL-2.0
/*
 * gone.c - a disk that goes away takes its filters with it.
 *
 * The interposer diverts every del_gendisk() here while anything is
 * attached. Before the block layer starts tearing the disk down, the
 * filters of the disk and of its partitions leave the table and end their
 * delayed bios with EIO; their struct_ops links stay until user space
 * detaches them (the loader reaps them: 'dmfilter list').
 */
#include "dmfilter.h"

#include <linux/blkdev.h>

void dmf_del_gendisk(struct gendisk *disk)
{
	this_cpu_inc(dmf_frames);
	dmf_table_drop_disk(disk);
	del_gendisk(disk);
	this_cpu_dec(dmf_frames);
}
