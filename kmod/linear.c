// SPDX-License-Identifier: GPL-2.0
/*
 * linear.c - the DM target "dmfilter-linear <dev> <offset>": dm-linear
 * (drivers/md/dm-linear.c of 6.12, whose map and status it copies) that
 * opens its device without an exclusive claim, so it can sit on a mounted
 * device, at the bottom of a remap stack (remap.c).
 *
 * The bios it maps carry BIO_DMF_SEEN: they, and the tails the block
 * layer splits off them, reach the real device and are not redirected to
 * the DM stack again (nor filtered: filters saw the original bio).
 *
 * Not taking dm_get_device() means DM does not know the device: the target
 * fills in its own struct dm_dev for iterate_devices (queue limits stack
 * through it) and leaves flush_bypasses_map off, so flushes come through
 * map. There is no holder link in sysfs either (bd_link_disk_holder wants
 * a claimed device).
 *
 * Every instance is listed, so that remap start can check that a DM device
 * is built on the source through this target (dmf_linear_feeds).
 */
#include "dmfilter.h"

#include <linux/blkdev.h>
#include <linux/device-mapper.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#define DM_MSG_PREFIX "dmfilter-linear"

struct dmf_linear {
	struct dm_dev dev;		/* filled in here, not by dm_get_device() */
	sector_t start;
	struct mapped_device *md;	/* the DM device this instance belongs to */
	struct list_head node;		/* in dmf_linears */
};

static LIST_HEAD(dmf_linears);
static DEFINE_MUTEX(dmf_linears_lock);

/*
 * Open dev for the table's mode without a claim. A kernel with
 * bdev_allow_write_mounted=0 refuses a writable open of a mounted device:
 * open it read-only then; the bios the target sends still write.
 */
static struct file *dmf_linear_open(dev_t dev, blk_mode_t *mode)
{
	struct file *file;

	file = bdev_file_open_by_dev(dev, *mode, NULL, NULL);
	if (IS_ERR(file) && (*mode & BLK_OPEN_WRITE)) {
		*mode &= ~BLK_OPEN_WRITE;
		file = bdev_file_open_by_dev(dev, *mode, NULL, NULL);
	}
	return file;
}

/* Construct: <dev_path> <offset>, as dm-linear. */
static int dmf_linear_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct dmf_linear *lc;
	unsigned long long tmp;
	blk_mode_t mode;
	struct file *file;
	char dummy;
	dev_t dev;
	int ret;

	if (argc != 2) {
		ti->error = "Invalid argument count (want <dev_path> <offset>)";
		return -EINVAL;
	}
	if (sscanf(argv[1], "%llu%c", &tmp, &dummy) != 1 || tmp != (sector_t)tmp) {
		ti->error = "Invalid device sector";
		return -EINVAL;
	}
	ret = dm_devt_from_path(argv[0], &dev);
	if (ret) {
		ti->error = "Device lookup failed";
		return ret;
	}
	lc = kzalloc(sizeof(*lc), GFP_KERNEL);
	if (!lc) {
		ti->error = "Cannot allocate linear context";
		return -ENOMEM;
	}
	mode = dm_table_get_mode(ti->table);
	file = dmf_linear_open(dev, &mode);
	if (IS_ERR(file)) {
		kfree(lc);
		ti->error = "Cannot open the device";
		return PTR_ERR(file);
	}
	lc->dev.bdev_file = file;
	lc->dev.bdev = file_bdev(file);
	lc->dev.mode = mode;
	format_dev_t(lc->dev.name, dev);
	lc->start = tmp;
	if (lc->start + ti->len > bdev_nr_sectors(lc->dev.bdev)) {
		bdev_fput(file);
		kfree(lc);
		ti->error = "Device too small for the target";
		return -EINVAL;
	}
	lc->md = dm_table_get_md(ti->table);

	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_secure_erase_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->private = lc;

	mutex_lock(&dmf_linears_lock);
	list_add(&lc->node, &dmf_linears);
	mutex_unlock(&dmf_linears_lock);
	return 0;
}

static void dmf_linear_dtr(struct dm_target *ti)
{
	struct dmf_linear *lc = ti->private;

	mutex_lock(&dmf_linears_lock);
	list_del(&lc->node);
	mutex_unlock(&dmf_linears_lock);
	bdev_fput(lc->dev.bdev_file);
	kfree(lc);
}

static int dmf_linear_map(struct dm_target *ti, struct bio *bio)
{
	struct dmf_linear *lc = ti->private;

	bio_set_dev(bio, lc->dev.bdev);
	bio->bi_iter.bi_sector = lc->start + dm_target_offset(ti, bio->bi_iter.bi_sector);
	bio_set_flag(bio, BIO_DMF_SEEN);
	return DM_MAPIO_REMAPPED;
}

static void dmf_linear_status(struct dm_target *ti, status_type_t type,
			      unsigned int status_flags, char *result, unsigned int maxlen)
{
	struct dmf_linear *lc = ti->private;
	size_t sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		result[0] = '\0';
		break;
	case STATUSTYPE_TABLE:
		DMEMIT("%s %llu", lc->dev.name, (unsigned long long)lc->start);
		break;
	case STATUSTYPE_IMA:
		DMEMIT_TARGET_NAME_VERSION(ti->type);
		DMEMIT(",device_name=%s,start=%llu;", lc->dev.name,
		       (unsigned long long)lc->start);
		break;
	}
}

static int dmf_linear_iterate_devices(struct dm_target *ti,
				      iterate_devices_callout_fn fn, void *data)
{
	struct dmf_linear *lc = ti->private;

	return fn(ti, &lc->dev, lc->start, ti->len, data);
}

static struct target_type dmf_linear_target = {
	.name = "dmfilter-linear",
	.version = { 1, 0, 0 },
	.module = THIS_MODULE,
	.ctr = dmf_linear_ctr,
	.dtr = dmf_linear_dtr,
	.map = dmf_linear_map,
	.status = dmf_linear_status,
	.iterate_devices = dmf_linear_iterate_devices,
};

/* Is lower a direct member of top's table (top's sysfs slaves/ names it)? */
bool dmf_is_slave(struct gendisk *top, struct block_device *lower)
{
	struct kernfs_node *kn;

	if (!top->slave_dir)
		return false;
	kn = kernfs_find_and_get(top->slave_dir->sd, kobject_name(bdev_kobj(lower)));
	kernfs_put(kn);
	return kn;
}

/*
 * Is top built on src through dmfilter-linear: an instance on src in
 * top's own table, or in the table of a DM device that is a direct member
 * of top's (snapshot-origin, verity, delay... on the base)? Deeper stacks
 * are not recognised.
 */
bool dmf_linear_feeds(struct gendisk *top, struct block_device *src)
{
	struct dmf_linear *lc;
	struct gendisk *disk;
	bool found = false;

	mutex_lock(&dmf_linears_lock);
	list_for_each_entry(lc, &dmf_linears, node) {
		if (lc->dev.bdev != src)
			continue;
		disk = dm_disk(lc->md);
		if (disk == top || dmf_is_slave(top, disk->part0)) {
			found = true;
			break;
		}
	}
	mutex_unlock(&dmf_linears_lock);
	return found;
}

int dmf_linear_init(void)
{
	return dm_register_target(&dmf_linear_target);
}

void dmf_linear_exit(void)
{
	dm_unregister_target(&dmf_linear_target);
}
