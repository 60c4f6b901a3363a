// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - the attachment table: which devices have filters, and in which
 * order the filters of a device run.
 *
 * An xarray maps a kernel dev_t to its struct dmf_dev; each dmf_dev holds
 * its filters in attach order on an RCU list. The submit path only reads
 * (RCU); attach and detach are serialised by dmf_table_lock. The first
 * filter takes the hook and the last gives it back (hook.c decides when
 * text is patched).
 */
#include "dmfilter.h"

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/xarray.h>

/* Protects dmf_devs updates and every dmf_dev.filters list update. */
DEFINE_MUTEX(dmf_table_lock);
static DEFINE_XARRAY(dmf_devs);
/* Filters whose disk was removed, until their link is detached. */
static LIST_HEAD(dmf_orphans);

struct dmf_dev *dmf_table_find(dev_t dev)
{
	return xa_load(&dmf_devs, dev);
}

/*
 * The filters of exactly this device: its number, on the disk instance
 * they were attached to. A disk created later with the same number (a new
 * null_blk, say) has another diskseq and is not filtered. RCU reader.
 */
struct dmf_dev *dmf_table_lookup(struct block_device *bdev)
{
	struct dmf_dev *d = dmf_table_find(bdev->bd_dev);

	return d && d->diskseq == bdev->bd_disk->diskseq ? d : NULL;
}

bool dmf_table_empty(void)
{
	return xa_empty(&dmf_devs);
}

static struct dmf_filter *dmf_dev_filter(struct dmf_dev *d, const char *name,
					 struct dmfilter_ops *ops)
{
	struct dmf_filter *f;

	list_for_each_entry(f, &d->filters, node)
		if (f->ops == ops || (name && !strcmp(f->name, name)))
			return f;
	return NULL;
}

/* Does dev name an existing block device? Its disk's diskseq if so. */
static int dmf_check_device(dev_t dev, u64 *diskseq)
{
	struct file *file;

	file = bdev_file_open_by_dev(dev, BLK_OPEN_READ, NULL, NULL);
	if (IS_ERR(file))
		return PTR_ERR(file);
	*diskseq = file_bdev(file)->bd_disk->diskseq;
	bdev_fput(file);
	return 0;
}

static struct dmf_dev *dmf_dev_get_or_add(dev_t dev, u64 diskseq)
{
	struct dmf_dev *d = dmf_table_find(dev);
	int ret;

	/* Filters of a removed disk that had this number, not yet dropped. */
	if (d && d->diskseq != diskseq)
		return ERR_PTR(-EBUSY);
	if (d)
		return d;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->dev = dev;
	d->diskseq = diskseq;
	INIT_LIST_HEAD(&d->filters);
	ret = xa_err(xa_store(&dmf_devs, dev, d, GFP_KERNEL));
	if (ret) {
		kfree(d);
		return ERR_PTR(ret);
	}
	return d;
}

/* Drop a device entry that has no filters and no remap left. */
static void dmf_dev_put_empty(struct dmf_dev *d)
{
	if (!list_empty(&d->filters) || rcu_access_pointer(d->remap))
		return;
	xa_erase(&dmf_devs, d->dev);
	kfree_rcu(d, rcu);
}

static struct dmf_filter *dmf_filter_alloc(struct dmf_dev *d, struct dmfilter_ops *ops)
{
	struct dmf_filter *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	f->stats = alloc_percpu(struct dmf_stats);
	if (!f->stats) {
		kfree(f);
		return NULL;
	}
	f->dev = d;
	f->ops = ops;
	strscpy(f->name, ops->name, sizeof(f->name));
	dmf_queue_init(&f->queue);
	return f;
}

static void dmf_filter_free(struct dmf_filter *f)
{
	free_percpu(f->stats);
	kfree(f);
}

/*
 * The entry of dev on the disk instance diskseq, added if new; the
 * table's first entry takes the hook. The caller holds dmf_table_lock,
 * fills the entry, and gives it back with dmf_table_put() if it does not.
 */
struct dmf_dev *dmf_table_get(dev_t dev, u64 diskseq)
{
	bool first = dmf_table_empty();
	struct dmf_dev *d;
	int ret;

	d = dmf_dev_get_or_add(dev, diskseq);
	if (IS_ERR(d) || !first)
		return d;
	ret = dmf_hook_get();
	if (ret) {
		dmf_dev_put_empty(d);
		return ERR_PTR(ret);
	}
	return d;
}

/*
 * Filters or the remap of d were unlinked: drop d if it has none left (d
 * may be freed after this), and give the hook back with the last entry.
 * The caller holds dmf_table_lock.
 */
void dmf_table_put(struct dmf_dev *d)
{
	dmf_dev_put_empty(d);
	if (dmf_table_empty())
		dmf_hook_put();
}

int dmf_table_attach(struct dmfilter_ops *ops)
{
	dev_t dev = ops->dev;
	struct dmf_filter *f;
	struct dmf_dev *d;
	u64 diskseq;
	int ret;

	ret = dmf_check_device(dev, &diskseq);
	if (ret) {
		pr_err("%u:%u: filter '%s' rejected: no such block device (%d)\n",
		       MAJOR(dev), MINOR(dev), ops->name, ret);
		return -ENODEV;
	}

	mutex_lock(&dmf_table_lock);
	d = dmf_table_find(dev);
	if (d && dmf_dev_filter(d, ops->name, NULL)) {
		pr_err("%u:%u: filter '%s' rejected: a filter of that name is attached\n",
		       MAJOR(dev), MINOR(dev), ops->name);
		ret = -EEXIST;
		goto out_unlock;
	}
	d = dmf_table_get(dev, diskseq);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
		if (ret == -EBUSY)
			pr_err("%u:%u: filter '%s' rejected: filters of a removed disk with this number are still attached\n",
			       MAJOR(dev), MINOR(dev), ops->name);
		goto out_unlock;
	}
	f = dmf_filter_alloc(d, ops);
	if (!f) {
		ret = -ENOMEM;
		dmf_table_put(d);
		goto out_unlock;
	}
	list_add_tail_rcu(&f->node, &d->filters);
	mutex_unlock(&dmf_table_lock);
	pr_info("%u:%u: filter '%s' attached\n", MAJOR(dev), MINOR(dev), f->name);
	return 0;

out_unlock:
	mutex_unlock(&dmf_table_lock);
	return ret;
}

static struct dmf_filter *dmf_orphan_find(struct dmfilter_ops *ops)
{
	struct dmf_filter *f;

	list_for_each_entry(f, &dmf_orphans, gone)
		if (f->ops == ops)
			return f;
	return NULL;
}

void dmf_table_detach(struct dmfilter_ops *ops)
{
	struct dmf_filter *f = NULL;
	struct dmf_dev *d;
	bool orphan;

	mutex_lock(&dmf_table_lock);
	d = dmf_table_find(ops->dev);
	if (d)
		f = dmf_dev_filter(d, NULL, ops);
	orphan = !f;
	if (f) {
		list_del_rcu(&f->node);
		dmf_table_put(d);
	} else {
		/* Its disk was removed: the queue is closed already. */
		f = dmf_orphan_find(ops);
		if (f)
			list_del(&f->gone);
	}
	mutex_unlock(&dmf_table_lock);
	if (!f) {
		pr_warn("%u:%u: detach of unknown filter '%s'\n",
			MAJOR(ops->dev), MINOR(ops->dev), ops->name);
		return;
	}
	if (!orphan) {
		/* No handler runs f's program or parks on its queue after this. */
		synchronize_rcu();
		dmf_queue_close(&f->queue, 0);
	}
	/* Its end_io program runs until the reads it watches complete. */
	dmf_data_wait(f);
	pr_info("%u:%u: filter '%s' detached\n", MAJOR(ops->dev), MINOR(ops->dev), f->name);
	dmf_filter_free(f);
}

/*
 * disk is about to be deleted: take the entries of the disk and of its
 * partitions out of the table, in one walk. Their filters move to the
 * orphan list and end their delayed bios with EIO, as the removed disk
 * would; their links stay until user space detaches them (the loader
 * reaps them). Their remaps, unpublished, go on remaps for
 * dmf_remap_end(). Called from dmf_del_gendisk() with dmf_remap_lock
 * held; may sleep.
 */
void dmf_table_drop_disk(struct gendisk *disk, struct list_head *remaps)
{
	struct block_device *part;
	struct dmf_filter *f, *tmp;
	struct dmf_remap *r;
	struct dmf_dev *d;
	unsigned long idx;
	LIST_HEAD(gone);

	mutex_lock(&dmf_table_lock);
	xa_for_each(&disk->part_tbl, idx, part) {
		d = dmf_table_find(part->bd_dev);
		if (!d)
			continue;
		list_for_each_entry_safe(f, tmp, &d->filters, node) {
			list_del_rcu(&f->node);
			list_add_tail(&f->gone, &gone);
		}
		r = rcu_dereference_protected(d->remap, lockdep_is_held(&dmf_table_lock));
		if (r) {
			RCU_INIT_POINTER(d->remap, NULL);
			list_add_tail(&r->gone, remaps);
		}
		dmf_table_put(d);
	}
	if (list_empty(&gone) && list_empty(remaps))
		goto out_unlock;

	/* No submitter runs these filters or counts a bio against these remaps after this. */
	synchronize_rcu();
	list_for_each_entry(f, &gone, gone) {
		dmf_queue_close(&f->queue, -EIO);
		pr_info("%u:%u: filter '%s' dropped: device %s removed\n",
			MAJOR(f->ops->dev), MINOR(f->ops->dev), f->name, disk->disk_name);
	}
	list_splice_tail(&gone, &dmf_orphans);
out_unlock:
	mutex_unlock(&dmf_table_lock);
}

/* Call fn for every device entry, with dmf_table_lock held. */
int dmf_table_for_each_dev(int (*fn)(struct dmf_dev *d, void *arg), void *arg)
{
	struct dmf_dev *d;
	unsigned long dev;
	int ret = 0;

	mutex_lock(&dmf_table_lock);
	xa_for_each(&dmf_devs, dev, d) {
		ret = fn(d, arg);
		if (ret)
			break;
	}
	mutex_unlock(&dmf_table_lock);
	return ret;
}

struct dmf_filter_walk {
	int (*fn)(struct dmf_filter *f, u32 pos, void *arg);
	void *arg;
};

static int dmf_walk_filters(struct dmf_dev *d, void *arg)
{
	struct dmf_filter_walk *w = arg;
	struct dmf_filter *f;
	u32 pos = 0;
	int ret;

	list_for_each_entry(f, &d->filters, node) {
		ret = w->fn(f, pos++, w->arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* Call fn for every attached filter, device by device, with dmf_table_lock held. */
int dmf_table_for_each(int (*fn)(struct dmf_filter *f, u32 pos, void *arg), void *arg)
{
	struct dmf_filter_walk w = { fn, arg };

	return dmf_table_for_each_dev(dmf_walk_filters, &w);
}
