// SPDX-License-Identifier: GPL-2.0
/*
 * gone.c - a disk that goes away takes its filters and remaps with it.
 *
 * The interposer diverts every del_gendisk() here while anything is
 * attached or remapped. Before the block layer starts tearing the disk
 * down, the remaps of the disk and of its partitions stop once their bios
 * in flight are done, and their filters leave the table and end their
 * delayed bios with EIO; the filters' struct_ops links stay until user
 * space detaches them (the loader reaps them: 'dmfilter list').
 */
#include "dmfilter.h"

#include <linux/blkdev.h>

void dmf_del_gendisk(struct gendisk *disk)
{
	LIST_HEAD(remaps);

	this_cpu_inc(dmf_frames);
	mutex_lock(&dmf_remap_lock);
	dmf_table_drop_disk(disk, &remaps);
	dmf_remap_end(&remaps, disk->disk_name);
	mutex_unlock(&dmf_remap_lock);
	del_gendisk(disk);
	this_cpu_dec(dmf_frames);
}
