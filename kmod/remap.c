// SPDX-License-Identifier: GPL-2.0
/*
 * remap.c - every bio of a device redirected to a device-mapper device
 * built on that same device, on the fly.
 *
 * A remapped device's table entry (table.c) points to a struct dmf_remap.
 * A bio that reaches the device (after its filters, if any: chain.c) is
 * cloned onto the DM device and the clone is submitted there; the clone's
 * completion completes the original. Clones carry BIO_DMF_SEEN, and so do
 * the bios the dmfilter-linear target at the bottom of the stack sends to
 * the real device (linear.c): neither is redirected again, nor are their
 * split tails. A whole disk's remap takes its partitions' bios too,
 * shifted to disk sectors.
 *
 * Start freezes the source (bdev_freeze: the file system's writes are
 * drained and new ones held), publishes the redirection, thaws. Stop
 * freezes, unpublishes, waits for every clone still in flight through the
 * DM stack, thaws. The DM device stays open while remapped, so DM refuses
 * to remove it ("device is busy").
 *
 * The submit path does not sleep: a clone comes from our bioset with
 * GFP_NOWAIT; when that fails the bio waits on a list for a worker that
 * may sleep (DM's own deferral pattern). Nothing is failed for lack of
 * memory.
 *
 * Why a start is refused goes to the kernel log, rate-limited: a script
 * retrying in a loop (or guest.bad_input's ioctl fuzz) must not flood it.
 *
 * This file is built with -fno-optimize-sibling-calls (see chain.c).
 */
#include "dmfilter.h"

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/device-mapper.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

/* A clone and the remap it counts against. */
struct dmf_clone {
	struct dmf_remap *r;
	struct bio clone;		/* last: the bioset's front_pad ends here */
};

/* Serialises start, stop and disk removal; taken before dmf_table_lock. */
DEFINE_MUTEX(dmf_remap_lock);
static DECLARE_WAIT_QUEUE_HEAD(dmf_remap_drained);
static struct bio_set dmf_remap_bs;
static struct workqueue_struct *dmf_remap_wq;

static void dmf_remap_put(struct dmf_remap *r)
{
	/* The waiter may free r as soon as the count is zero: wake a global queue. */
	if (atomic_dec_and_test(&r->in_flight))
		wake_up_all(&dmf_remap_drained);
}

static void dmf_remap_endio(struct bio *clone)
{
	struct dmf_remap *r = container_of(clone, struct dmf_clone, clone)->r;
	struct bio *bio = clone->bi_private;

	bio->bi_status = clone->bi_status;
	bio_put(clone);
	bio_endio(bio);
	dmf_remap_put(r);
}

/* Clone bio onto r's DM device and submit the clone; false if no memory. */
static bool dmf_remap_submit(struct dmf_remap *r, struct bio *bio, gfp_t gfp)
{
	struct block_device *bdev = bio->bi_bdev;
	struct bio *clone;

	clone = bio_alloc_clone(file_bdev(r->dm), bio, gfp, &dmf_remap_bs);
	if (!clone)
		return false;
	container_of(clone, struct dmf_clone, clone)->r = r;
	/* A partition's bio under its disk's remap: disk sectors. */
	if (bdev->bd_dev != r->dev)
		clone->bi_iter.bi_sector += bdev->bd_start_sect;
	/* DM targets such as snapshot-origin refuse REQ_NOWAIT (kernel-notes.md). */
	clone->bi_opf &= ~(REQ_NOWAIT | REQ_POLLED);
	clone->bi_private = bio;
	clone->bi_end_io = dmf_remap_endio;
	bio_set_flag(clone, BIO_DMF_SEEN);
	atomic64_inc(&r->redirected);
	submit_bio_noacct(clone);
	return true;
}

static void dmf_remap_work(struct work_struct *work)
{
	struct dmf_remap *r = container_of(work, struct dmf_remap, work);
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&r->lock);
	bios = r->deferred;
	bio_list_init(&r->deferred);
	spin_unlock_irq(&r->lock);
	/* GFP_NOIO from a mempool does not fail; it may wait, here it can. */
	while ((bio = bio_list_pop(&bios)))
		dmf_remap_submit(r, bio, GFP_NOIO);
}

/*
 * The remap a passed bio goes to: its device's (d), else its disk's
 * (whole); either may be NULL. A remap found is counted in flight before
 * the caller's RCU section ends (stop waits for it), and the caller hands
 * it to dmf_remap_send(). RCU reader.
 */
struct dmf_remap *dmf_remap_get(struct dmf_dev *d, struct dmf_dev *whole)
{
	struct dmf_remap *r = d ? rcu_dereference(d->remap) : NULL;

	if (!r && whole)
		r = rcu_dereference(whole->remap);
	if (r)
		atomic_inc(&r->in_flight);
	return r;
}

/* Send bio, which has been through its filters, to r. Does not sleep. */
void dmf_remap_send(struct dmf_remap *r, struct bio *bio)
{
	unsigned long flags;

	if (!dmf_nowait_fails() && dmf_remap_submit(r, bio, GFP_NOWAIT))
		return;
	spin_lock_irqsave(&r->lock, flags);
	bio_list_add(&r->deferred, bio);
	spin_unlock_irqrestore(&r->lock, flags);
	queue_work(dmf_remap_wq, &r->work);
}

static void dmf_remap_free(struct dmf_remap *r)
{
	if (r->dm)
		bdev_fput(r->dm);
	if (r->src)
		bdev_fput(r->src);
	kfree(r);
}

/*
 * Open both devices and check that dm_dev may take dev's bios: a DM device,
 * not dev itself, of dev's size, built on dev through dmfilter-linear, and
 * without dev as a direct member (which would send bios around in a loop).
 */
static struct dmf_remap *dmf_remap_prepare(dev_t dev, dev_t dm_dev)
{
	struct block_device *src, *dm;
	struct mapped_device *md;
	struct dmf_remap *r;
	int ret = -EINVAL;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->dev = dev;
	r->dm_dev = dm_dev;
	atomic_set(&r->in_flight, 0);
	spin_lock_init(&r->lock);
	bio_list_init(&r->deferred);
	INIT_WORK(&r->work, dmf_remap_work);

	r->src = bdev_file_open_by_dev(dev, BLK_OPEN_READ, NULL, NULL);
	if (IS_ERR(r->src)) {
		ret = PTR_ERR(r->src);
		r->src = NULL;
		pr_err_ratelimited("remap %u:%u: no such block device (%d)\n",
				   MAJOR(dev), MINOR(dev), ret);
		ret = -ENODEV;
		goto err;
	}
	src = file_bdev(r->src);
	md = dm_get_md(dm_dev);
	if (!md) {
		pr_err_ratelimited("remap %u:%u: %u:%u is not a device-mapper device\n",
				   MAJOR(dev), MINOR(dev), MAJOR(dm_dev), MINOR(dm_dev));
		goto err;
	}
	/* Held open: DM refuses to remove a device in use. */
	r->dm = bdev_file_open_by_dev(dm_dev, BLK_OPEN_READ | BLK_OPEN_WRITE, NULL, NULL);
	dm_put(md);
	if (IS_ERR(r->dm)) {
		ret = PTR_ERR(r->dm);
		r->dm = NULL;
		pr_err_ratelimited("remap %u:%u: cannot open %u:%u (%d)\n",
				   MAJOR(dev), MINOR(dev), MAJOR(dm_dev), MINOR(dm_dev), ret);
		goto err;
	}
	dm = file_bdev(r->dm);
	if (bdev_nr_sectors(dm) != bdev_nr_sectors(src)) {
		pr_err_ratelimited("remap %u:%u: %s has %llu sectors, the device %llu\n",
				   MAJOR(dev), MINOR(dev), dm->bd_disk->disk_name,
				   (unsigned long long)bdev_nr_sectors(dm),
				   (unsigned long long)bdev_nr_sectors(src));
		goto err;
	}
	if (!dmf_linear_feeds(dm->bd_disk, src)) {
		pr_err_ratelimited("remap %u:%u: %s is not built on it through dmfilter-linear\n",
				   MAJOR(dev), MINOR(dev), dm->bd_disk->disk_name);
		goto err;
	}
	if (dmf_is_slave(dm->bd_disk, src) ||
	    (bdev_is_partition(src) && dmf_is_slave(dm->bd_disk, bdev_whole(src)))) {
		pr_err_ratelimited("remap %u:%u: %s uses it directly; its bios would come back\n",
				   MAJOR(dev), MINOR(dev), dm->bd_disk->disk_name);
		goto err;
	}
	return r;
err:
	dmf_remap_free(r);
	return ERR_PTR(ret);
}

/* Publish r in the table; -EBUSY if dev is remapped or is a remap's DM device. */
static int dmf_remap_publish(struct dmf_remap *r)
{
	struct block_device *src = file_bdev(r->src);
	struct dmf_dev *d;
	int ret = 0;

	mutex_lock(&dmf_table_lock);
	d = dmf_table_find(r->dev);
	if (d && rcu_access_pointer(d->remap)) {
		pr_err_ratelimited("remap %u:%u: already remapped\n",
				   MAJOR(r->dev), MINOR(r->dev));
		ret = -EBUSY;
		goto out;
	}
	d = dmf_table_find(r->dm_dev);
	if (d && rcu_access_pointer(d->remap)) {
		pr_err_ratelimited("remap %u:%u: %u:%u is remapped itself\n",
				   MAJOR(r->dev), MINOR(r->dev), MAJOR(r->dm_dev), MINOR(r->dm_dev));
		ret = -ELOOP;
		goto out;
	}
	d = dmf_table_get(r->dev, src->bd_disk->diskseq);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
		goto out;
	}
	rcu_assign_pointer(d->remap, r);
out:
	mutex_unlock(&dmf_table_lock);
	return ret;
}

int dmf_remap_start(dev_t dev, dev_t dm_dev)
{
	struct dmf_remap *r;
	int ret;

	if (dev == dm_dev)
		return -EINVAL;
	r = dmf_remap_prepare(dev, dm_dev);
	if (IS_ERR(r))
		return PTR_ERR(r);

	mutex_lock(&dmf_remap_lock);
	ret = bdev_freeze(file_bdev(r->src));
	if (ret) {
		pr_err_ratelimited("remap %u:%u: cannot freeze it (%d)\n",
				   MAJOR(dev), MINOR(dev), ret);
		goto out_unlock;
	}
	ret = dmf_remap_publish(r);
	bdev_thaw(file_bdev(r->src));
	if (!ret) {
		__module_get(THIS_MODULE);
		pr_info("%u:%u: remapped to %u:%u\n", MAJOR(dev), MINOR(dev),
			MAJOR(dm_dev), MINOR(dm_dev));
	}
out_unlock:
	mutex_unlock(&dmf_remap_lock);
	if (ret)
		dmf_remap_free(r);
	return ret;
}

/* dev's remap, or NULL. It stays while dmf_remap_lock is held. */
static struct dmf_remap *dmf_remap_find(dev_t dev)
{
	struct dmf_remap *r = NULL;
	struct dmf_dev *d;

	mutex_lock(&dmf_table_lock);
	d = dmf_table_find(dev);
	if (d)
		r = rcu_dereference_protected(d->remap, lockdep_is_held(&dmf_table_lock));
	mutex_unlock(&dmf_table_lock);
	return r;
}

/* Take r out of the table: no new bio finds it. dmf_remap_lock is held. */
static void dmf_remap_unpublish(struct dmf_remap *r)
{
	struct dmf_dev *d;

	mutex_lock(&dmf_table_lock);
	d = dmf_table_find(r->dev);
	RCU_INIT_POINTER(d->remap, NULL);
	dmf_table_put(d);
	mutex_unlock(&dmf_table_lock);
	/* Every submitter that found r counted itself before this returns. */
	synchronize_rcu();
}

/* Wait for r's bios in flight through the DM stack (and deferred ones). */
static void dmf_remap_drain(struct dmf_remap *r)
{
	wait_event(dmf_remap_drained, !atomic_read(&r->in_flight));
	flush_work(&r->work);
}

static void dmf_remap_release(struct dmf_remap *r)
{
	dmf_remap_free(r);
	module_put(THIS_MODULE);
}

int dmf_remap_stop(dev_t dev)
{
	struct block_device *src;
	struct dmf_remap *r;
	int frozen;

	mutex_lock(&dmf_remap_lock);
	r = dmf_remap_find(dev);
	if (!r) {
		mutex_unlock(&dmf_remap_lock);
		return -ENOENT;
	}
	src = file_bdev(r->src);
	frozen = bdev_freeze(src);
	if (frozen)
		pr_warn("%u:%u: cannot freeze it (%d); stopping the remap anyway\n",
			MAJOR(dev), MINOR(dev), frozen);
	dmf_remap_unpublish(r);
	dmf_remap_drain(r);
	if (!frozen)
		bdev_thaw(src);
	dmf_remap_release(r);
	mutex_unlock(&dmf_remap_lock);
	pr_info("%u:%u: remap stopped\n", MAJOR(dev), MINOR(dev));
	return 0;
}

/*
 * The remaps of a disk being deleted, unpublished by dmf_table_drop_disk()
 * (on the list through r->gone), end once their bios in flight are done:
 * those end as the dying disk ends them. dmf_remap_lock is held.
 */
void dmf_remap_end(struct list_head *remaps, const char *disk_name)
{
	struct dmf_remap *r, *tmp;

	list_for_each_entry_safe(r, tmp, remaps, gone) {
		dmf_remap_drain(r);
		pr_info("%u:%u: remap to %u:%u stopped: device %s removed\n",
			MAJOR(r->dev), MINOR(r->dev), MAJOR(r->dm_dev), MINOR(r->dm_dev),
			disk_name);
		dmf_remap_release(r);
	}
}

static int dmf_remap_list_one(struct dmf_dev *d, void *out)
{
	struct dmfilter_remap_info info = {};
	struct dmf_remap *r;

	r = rcu_dereference_protected(d->remap, lockdep_is_held(&dmf_table_lock));
	if (!r)
		return 0;
	info.dev = r->dev;
	info.dm_dev = r->dm_dev;
	info.redirected = atomic64_read(&r->redirected);
	info.in_flight = atomic_read(&r->in_flight);
	return dmf_list_emit(out, &info);
}

/* Emit an entry for every remapped device (DMFILTER_IOC_REMAP_LIST). */
int dmf_remap_list(struct dmf_list_out *out)
{
	return dmf_table_for_each_dev(dmf_remap_list_one, out);
}

int dmf_remap_init(void)
{
	int ret;

	ret = bioset_init(&dmf_remap_bs, BIO_POOL_SIZE, offsetof(struct dmf_clone, clone), 0);
	if (ret)
		return ret;
	dmf_remap_wq = alloc_workqueue("dmfilter_remap", WQ_PERCPU | WQ_MEM_RECLAIM, 0);
	if (!dmf_remap_wq) {
		bioset_exit(&dmf_remap_bs);
		return -ENOMEM;
	}
	return 0;
}

/* Module exit: no remap is left (each holds a module reference). */
void dmf_remap_exit(void)
{
	destroy_workqueue(dmf_remap_wq);
	bioset_exit(&dmf_remap_bs);
}
