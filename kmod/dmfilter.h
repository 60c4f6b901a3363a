/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmfilter.h - the module's internal types and the interfaces between its
 * parts:
 *
 *   interposer.c  ftrace hooks: submit_bio_noacct -> dmf_submit_bio(),
 *                 del_gendisk -> dmf_del_gendisk()
 *   hook.c        when the hooks are installed (hook=lazy|eager, linger)
 *   table.c       attachment table: device -> chain of filters (RCU)
 *   chain.c       dmf_submit_bio(): run a device's chain, apply the verdict
 *   gone.c        dmf_del_gendisk(): a removed disk drops its filters
 *   delay.c       per-filter delay queue (hrtimer + workqueue)
 *   data.c        a bio's data for filters: write copies, read end_io
 *   kfuncs.c      the kfuncs filters call, registered for struct_ops
 *   ops.c         the dmfilter_ops struct_ops type: attach on reg, detach on unreg
 *   ctl.c         /dev/dmfilter: versioned ioctls (list, remap)
 *   remap.c       remap: a device's bios redirected to a DM device
 *   linear.c      the dmfilter-linear DM target at the bottom of a remap stack
 */
#ifndef DMFILTER_H
#define DMFILTER_H

#ifndef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#endif

#include <linux/bio.h>
#include <linux/blk_types.h>
#include <linux/bvec.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "dmfilter_ops.h"

/*
 * A bio that already went through a filter chain carries this bi_flags bit,
 * so the block layer's re-submission of its split remainder (the same
 * struct bio, via submit_bio_noacct) is not filtered a second time. The
 * bit is the first one past BIO_FLAG_LAST; bi_flags is 16 bits wide on
 * 6.12 (a static_assert in chain.c). bio_init()/bio_reset() clear it.
 */
#define BIO_DMF_SEEN	BIO_FLAG_LAST

/* The module's view: the program's context plus what only C may touch. */
struct dmfilter_bio_kern {
	struct dmfilter_bio ctx;
	struct bio *bio;
	struct dmf_filter *f;	/* the filter whose program runs on it now */
	struct bio *copy;	/* a write's private copy, once a program stored a byte */
	struct bvec_iter iter;	/* the bio's data range, as submitted */
	bool completed;		/* in end_io: the read's data is there */
};

/* Per-CPU counters of one attached filter (see uapi dmfilter_filter_info). */
struct dmf_stats {
	u64 seen;
	u64 passed;
	u64 completed;
	u64 delayed;
	u64 bytes;
};

/* Bios a filter parked, released in expiry order. */
struct dmf_queue {
	spinlock_t lock;		/* protects list, closing, queued */
	struct list_head list;		/* struct dmf_parked, sorted by expires */
	bool closing;			/* detach in progress: release, park no more */
	u64 queued;
	struct hrtimer timer;		/* fires at the head's expiry */
	struct work_struct work;	/* releases expired bios in process context */
};

/* One filter attached to one device. */
struct dmf_filter {
	struct list_head node;		/* in dmf_dev.filters, RCU */
	struct list_head gone;		/* in the orphan list once its disk is removed */
	struct dmf_dev *dev;
	struct dmfilter_ops *ops;	/* the struct_ops kdata */
	char name[DMFILTER_NAME_LEN];
	struct dmf_stats __percpu *stats;
	struct dmf_queue queue;
	atomic_t endio_pending;		/* reads whose end_io it still runs (data.c) */
};

/* A device with filters or a remap. Lives in the table while it has one. */
struct dmf_dev {
	dev_t dev;
	u64 diskseq;			/* the disk instance attached to (dev_t is reused) */
	struct list_head filters;	/* dmf_filter, attach order; RCU readers */
	struct dmf_remap __rcu *remap;	/* remap.c: where its bios go, if anywhere */
	struct rcu_head rcu;
};

/* interposer.c */
int dmf_interposer_install(void);
void dmf_interposer_remove(void);
bool dmf_interposer_wants(struct bio *bio);

/* hook.c; get and put with dmf_table_lock held. */
int dmf_hook_get(void);
void dmf_hook_put(void);
int dmf_hook_init(void);
void dmf_hook_exit(void);

/* table.c: writers hold dmf_table_lock (a mutex); readers RCU. */
struct dmf_dev *dmf_table_lookup(struct block_device *bdev);
extern struct mutex dmf_table_lock;
struct dmf_dev *dmf_table_find(dev_t dev);
struct dmf_dev *dmf_table_get(dev_t dev, u64 diskseq);
void dmf_table_put(struct dmf_dev *d);
int dmf_table_attach(struct dmfilter_ops *ops);
void dmf_table_detach(struct dmfilter_ops *ops);
bool dmf_table_empty(void);
int dmf_table_for_each(int (*fn)(struct dmf_filter *f, u32 pos, void *arg), void *arg);
int dmf_table_for_each_dev(int (*fn)(struct dmf_dev *d, void *arg), void *arg);
void dmf_table_drop_disk(struct gendisk *disk, struct list_head *remaps);

/* chain.c; dmf_frames counts tasks inside the module's diverted functions. */
DECLARE_PER_CPU(long, dmf_frames);
void dmf_submit_bio(struct bio *bio);
void dmf_release_bio(struct bio *bio, int status);
void dmf_wait_handlers(void);

/* gone.c */
void dmf_del_gendisk(struct gendisk *disk);

/* delay.c */
int dmf_delay_init(void);
void dmf_delay_exit(void);
void dmf_queue_init(struct dmf_queue *q);
bool dmf_queue_park(struct dmf_queue *q, struct bio *bio, u64 delay_ns, int status);
void dmf_queue_close(struct dmf_queue *q, int status);
u64 dmf_queue_count(struct dmf_queue *q);

static inline struct dmfilter_bio_kern *dmf_kern(struct dmfilter_bio *ctx)
{
	return container_of(ctx, struct dmfilter_bio_kern, ctx);
}

/* kfuncs.c: the kfuncs filters call (data.c has the data ones). */
int dmf_kfuncs_register(void);

/* data.c */
int dmf_data_init(void);
void dmf_data_exit(void);
struct bio *dmf_data_bio(struct dmfilter_bio_kern *k);
void dmf_data_drop(struct dmfilter_bio_kern *k);
void dmf_data_watch(struct dmf_filter *f, struct dmfilter_bio_kern *k);
void dmf_data_wait(struct dmf_filter *f);

/* ops.c */
int dmf_ops_register(void);

/* A remap (remap.c): every bio of dev goes to the DM device dm_dev. */
struct dmf_remap {
	dev_t dev;			/* the source */
	dev_t dm_dev;
	struct file *src;		/* the source, opened without a claim */
	struct file *dm;		/* the DM device, held open while remapped */
	atomic_t in_flight;		/* clones not yet completed, deferred bios */
	atomic64_t redirected;
	spinlock_t lock;		/* protects deferred */
	struct bio_list deferred;	/* bios waiting for a clone (no memory) */
	struct work_struct work;	/* clones and submits them */
	struct list_head gone;		/* on a list of remaps whose disk is removed */
};

/* remap.c; the ioctls and disk removal take dmf_remap_lock, then dmf_table_lock. */
extern struct mutex dmf_remap_lock;
int dmf_remap_init(void);
void dmf_remap_exit(void);
struct dmf_remap *dmf_remap_get(struct dmf_dev *d, struct dmf_dev *whole);
void dmf_remap_send(struct dmf_remap *r, struct bio *bio);
int dmf_remap_start(dev_t dev, dev_t dm_dev);
int dmf_remap_stop(dev_t dev);
struct dmf_list_out;
int dmf_remap_list(struct dmf_list_out *out);
void dmf_remap_end(struct list_head *remaps, const char *disk_name);

/* linear.c */
int dmf_linear_init(void);
void dmf_linear_exit(void);
bool dmf_linear_feeds(struct gendisk *top, struct block_device *src);
bool dmf_is_slave(struct gendisk *top, struct block_device *lower);

/* ctl.c; a list ioctl's answer, filled with dmf_list_emit(). */
struct dmf_list_out {
	void __user *entries;
	u32 entry_size;
	u32 capacity;
	u32 count;			/* entries emitted, copied or not */
};

int dmf_list_emit(struct dmf_list_out *out, const void *entry);
int dmf_ctl_init(void);
void dmf_ctl_exit(void);

/*
 * main.c; tests only: with the module parameter fail_nowait=N, every Nth
 * allocation the submit path makes without sleeping fails on purpose, so
 * the tests reach what runs when memory is short. dmf_nowait_fails() is
 * true for such an allocation; it costs one predicted branch when N is 0.
 */
extern unsigned int dmf_fail_nowait;
bool dmf_nowait_fail_now(void);

static inline bool dmf_nowait_fails(void)
{
	return unlikely(READ_ONCE(dmf_fail_nowait)) && dmf_nowait_fail_now();
}

#endif /* DMFILTER_H */
