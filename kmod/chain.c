// SPDX-License-Identifier: GPL-2.0
/*
 * chain.c - what happens to a diverted bio: build the program context, run
 * the device's filters in attach order (a partition's own filters first,
 * then its disk's), and apply the first verdict that is not PASS. A bio
 * that passes goes to its device, or to the DM device it is remapped to
 * (remap.c): filters see the bios as submitted, before any redirection.
 *
 * This file is built with -fno-optimize-sibling-calls: dmf_submit_bio()
 * must *call* submit_bio_noacct(), so that the ftrace callback sees a
 * return address inside this module and lets the bio through.
 */
#include "dmfilter.h"

#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/cgroup.h>
#include <linux/delay.h>
#include <linux/sched.h>

static_assert(BIO_DMF_SEEN < 8 * sizeof_field(struct bio, bi_flags),
	      "no spare bi_flags bit for BIO_DMF_SEEN on this kernel (dmfilter.h)");

/* Tasks inside dmf_submit_bio() or dmf_del_gendisk(): module text must outlive them. */
DEFINE_PER_CPU(long, dmf_frames);

struct dmf_flag_map {
	blk_opf_t req;
	u32 dmf;
};

static const struct dmf_flag_map dmf_flags[] = {
	{ REQ_SYNC, DMFILTER_F_SYNC },
	{ REQ_META, DMFILTER_F_META },
	{ REQ_PRIO, DMFILTER_F_PRIO },
	{ REQ_FUA, DMFILTER_F_FUA },
	{ REQ_PREFLUSH, DMFILTER_F_PREFLUSH },
	{ REQ_NOWAIT, DMFILTER_F_NOWAIT },
	{ REQ_RAHEAD, DMFILTER_F_RAHEAD },
};

static u64 dmf_current_cgroup_id(void)
{
	u64 id;

	if (!in_task())
		return 0;
	rcu_read_lock();
	id = cgroup_id(task_dfl_cgroup(current));
	rcu_read_unlock();
	return id;
}

static void dmf_fill_ctx(struct dmfilter_bio_kern *k, struct bio *bio)
{
	struct dmfilter_bio *c = &k->ctx;
	unsigned int i;

	memset(k, 0, sizeof(*k));
	k->bio = bio;
	c->dev = bio->bi_bdev->bd_dev;
	c->op = bio_op(bio);
	for (i = 0; i < ARRAY_SIZE(dmf_flags); i++)
		if (bio->bi_opf & dmf_flags[i].req)
			c->flags |= dmf_flags[i].dmf;
	if (bdev_is_partition(bio->bi_bdev))
		c->flags |= DMFILTER_F_PARTITION;
	c->bytes = bio->bi_iter.bi_size;
	c->sector = bio->bi_iter.bi_sector;
	c->segments = bio_segments(bio);
	c->ioprio = bio->bi_ioprio;
	if (in_task()) {
		c->pid = current->pid;
		c->tgid = current->tgid;
	}
	c->cgroup_id = dmf_current_cgroup_id();
	c->submit_ns = ktime_get_ns();
}

/* A program's verdict, made safe: unknown verdicts pass, errnos are errnos. */
static int dmf_sanitize(struct dmf_filter *f, struct dmfilter_bio *c, int verdict)
{
	switch (verdict) {
	case DMFILTER_COMPLETE:
	case DMFILTER_DELAY:
		if (c->status > 0 || c->status < -MAX_ERRNO)
			c->status = -EIO;
		if (c->delay_ns > DMFILTER_MAX_DELAY_NS)
			c->delay_ns = DMFILTER_MAX_DELAY_NS;
		return verdict;
	case DMFILTER_PASS:
		return verdict;
	default:
		pr_warn_ratelimited("%u:%u: filter '%s' returned invalid verdict %d, passing the bio\n",
				    MAJOR(f->dev->dev), MINOR(f->dev->dev), f->name, verdict);
		return DMFILTER_PASS;
	}
}

/*
 * Run one device's chain. Returns the first verdict other than PASS and
 * the filter that gave it (in *by), or PASS. The first filter with an
 * end_io program that asks to see this read complete is *watch. Called
 * under rcu_read_lock().
 */
static int dmf_run_chain(struct dmf_dev *d, struct dmfilter_bio_kern *k,
			 struct dmf_filter **by, struct dmf_filter **watch)
{
	struct dmf_filter *f;
	int verdict;

	list_for_each_entry_rcu(f, &d->filters, node) {
		k->ctx.status = 0;
		k->ctx.delay_ns = 0;
		k->ctx.end_io = 0;
		k->f = f;
		this_cpu_inc(f->stats->seen);
		this_cpu_add(f->stats->bytes, k->ctx.bytes);
		verdict = dmf_sanitize(f, &k->ctx, f->ops->submit(&k->ctx));
		if (k->ctx.end_io && f->ops->end_io && !*watch && !op_is_write(bio_op(k->bio)))
			*watch = f;
		if (verdict != DMFILTER_PASS) {
			*by = f;
			return verdict;
		}
		this_cpu_inc(f->stats->passed);
	}
	return DMFILTER_PASS;
}

/* End a bio the way a device would have, with status (0 or -errno). */
static void dmf_end_bio(struct bio *bio, int status)
{
	bio->bi_status = errno_to_blk_status(status);
	bio_endio(bio);
}

/*
 * The table entries a bio of bdev answers to: its own and, for a
 * partition, its disk's (either may be NULL). RCU reader.
 */
static void dmf_lookup(struct block_device *bdev, struct dmf_dev **d, struct dmf_dev **whole)
{
	*d = dmf_table_lookup(bdev);
	*whole = bdev_is_partition(bdev) ? dmf_table_lookup(bdev_whole(bdev)) : NULL;
}

/*
 * Send a bio on past the filters: to the DM device of r (taken with
 * dmf_remap_get()), or to its device when r is NULL.
 */
static void dmf_pass_bio(struct bio *bio, struct dmf_remap *r)
{
	bio_set_flag(bio, BIO_DMF_SEEN);
	if (r)
		dmf_remap_send(r, bio);
	else
		submit_bio_noacct(bio);
}

/* Release a bio whose delay is over: pass it (status 0) or complete it. */
void dmf_release_bio(struct bio *bio, int status)
{
	struct dmf_dev *d, *whole;
	struct dmf_remap *r;

	if (status) {
		dmf_end_bio(bio, status);
		return;
	}
	/* Its remap may have started or stopped while it waited. */
	rcu_read_lock();
	dmf_lookup(bio->bi_bdev, &d, &whole);
	r = dmf_remap_get(d, whole);
	rcu_read_unlock();
	dmf_pass_bio(bio, r);
}

/*
 * The replacement for submit_bio_noacct() on filtered devices, entered
 * from the ftrace callback with the original arguments.
 */
void dmf_submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	struct dmf_filter *by = NULL, *watch = NULL;
	struct dmf_remap *r = NULL;
	struct dmfilter_bio_kern k;
	int verdict = DMFILTER_PASS;
	struct dmf_dev *d, *whole;

	this_cpu_inc(dmf_frames);
	dmf_fill_ctx(&k, bio);

	rcu_read_lock();
	dmf_lookup(bdev, &d, &whole);
	if (d)
		verdict = dmf_run_chain(d, &k, &by, &watch);
	if (verdict == DMFILTER_PASS && whole) {
		/* The disk's filters address the disk: shift to its sectors. */
		k.ctx.sector += bdev->bd_start_sect;
		verdict = dmf_run_chain(whole, &k, &by, &watch);
	}
	if (verdict == DMFILTER_COMPLETE) {
		dmf_data_drop(&k);
	} else {
		if (watch)
			dmf_data_watch(watch, &k);
		/* A write a program changed goes on as its copy. */
		bio = dmf_data_bio(&k);
	}
	if (verdict == DMFILTER_DELAY) {
		if (dmf_queue_park(&by->queue, bio, k.ctx.delay_ns, k.ctx.status)) {
			this_cpu_inc(by->stats->delayed);
			rcu_read_unlock();
			goto out;
		}
		/* Detaching, or no memory to park it: the delay is over now. */
		verdict = k.ctx.status ? DMFILTER_COMPLETE : DMFILTER_PASS;
	}
	if (verdict == DMFILTER_COMPLETE) {
		this_cpu_inc(by->stats->completed);
	} else {
		if (by)
			this_cpu_inc(by->stats->passed);
		r = dmf_remap_get(d, whole);
	}
	rcu_read_unlock();

	if (verdict == DMFILTER_COMPLETE)
		dmf_end_bio(bio, k.ctx.status);
	else
		dmf_pass_bio(bio, r);
out:
	this_cpu_dec(dmf_frames);
}

/*
 * Wait until no task is inside dmf_submit_bio() or dmf_del_gendisk(). Only
 * meaningful once the hooks are gone, so that no new task can enter; a
 * task may sleep inside submit_bio_noacct() or del_gendisk() called from
 * here for as long as the device blocks.
 */
void dmf_wait_handlers(void)
{
	long n;
	int cpu;

	for (;;) {
		n = 0;
		for_each_possible_cpu(cpu)
			n += per_cpu(dmf_frames, cpu);
		if (!n)
			return;
		msleep(20);
	}
}
