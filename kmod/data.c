// SPDX-License-Identifier: GPL-2.0
/*
 * data.c - what a filter may do with the data of a bio:
 *
 *   dmf_bio_load_byte(bio, off)        kfunc: the byte at off, or -errno
 *   dmf_bio_store_byte(bio, off, val)  kfunc: change it, or -errno
 *
 * A write is changed on a private copy, never in the writer's pages (as
 * dm-flakey's clone_bio(), drivers/md/dm-flakey.c, 6.12): the first store
 * copies the data, and the copy goes to the device in the write's place;
 * when it completes, so does the write, with its status. A read's data
 * exists only once it completed: a submit program sets bio->end_io, and
 * the filter's end_io program then runs on the completed read, whose data
 * it may read and change in place (what the reader gets) and whose status
 * it may change.
 *
 * Allocation in the submit path never sleeps: GFP_NOWAIT, and a failure is
 * the kfunc's -ENOMEM (a store) or a rate-limited warning (an end_io that
 * cannot be watched: the read completes untouched).
 */
#include "dmfilter.h"

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/bpf.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#define DMF_NOWAIT (GFP_NOWAIT | __GFP_NOWARN)

static struct bio_set dmf_bioset;
static struct kmem_cache *dmf_endio_cache;
/* Copies in flight: they end in this module's code, and use dmf_bioset. */
static atomic_t dmf_copies = ATOMIC_INIT(0);

/* A read a filter (k.f) watches: what its completion was before us. */
struct dmf_endio {
	bio_end_io_t *end_io;
	void *private;
	struct dmfilter_bio_kern k;
};

/*
 * Load (store < 0) or store the byte at off of bio's data range iter (a
 * bio that carries data: a read, or a write with bio_has_data()).
 * Returns the byte, 0 after a store, or -ERANGE past the end of the data.
 * iter, not the bio's own: a completed bio's bi_iter is used up.
 */
static int dmf_access_byte(struct bio *bio, struct bvec_iter iter, u32 off, int store)
{
	struct bvec_iter it;
	struct bio_vec bv;
	int ret;
	u8 *p;

	if (off >= iter.bi_size)
		return -ERANGE;
	__bio_for_each_segment(bv, bio, it, iter) {
		if (off >= bv.bv_len) {
			off -= bv.bv_len;
			continue;
		}
		/* The shared zero page (a read of a hole, a zeroing write) is no one's data. */
		if (store >= 0 && bv.bv_page == ZERO_PAGE(0))
			return -EROFS;
		p = bvec_kmap_local(&bv);
		ret = store < 0 ? p[off] : (p[off] = store, 0);
		kunmap_local(p);
		return ret;
	}
	return -ERANGE;
}

/* Free a copy and its pages; the last one lets unload go on. */
static void dmf_copy_free(struct bio *copy)
{
	struct bvec_iter_all it;
	struct bio_vec *bv;

	bio_for_each_segment_all(bv, copy, it)
		__free_page(bv->bv_page);
	bio_put(copy);
	if (atomic_dec_and_test(&dmf_copies))
		wake_up_var(&dmf_copies);
}

static void dmf_copy_end_io(struct bio *copy)
{
	struct bio *bio = copy->bi_private;

	this_cpu_inc(dmf_frames);
	bio->bi_status = copy->bi_status;
	dmf_copy_free(copy);
	bio_endio(bio);
	this_cpu_dec(dmf_frames);
}

/*
 * bio's data in pages of our own, to go to the device in its place: -E2BIG
 * over BIO_MAX_VECS pages (1 MiB), -ENOMEM.
 */
static struct bio *dmf_copy_bio(struct bio *bio)
{
	unsigned int size = bio->bi_iter.bi_size, done, len;
	unsigned int nr = DIV_ROUND_UP(size, PAGE_SIZE);
	struct bio *copy;
	struct page *page;

	if (nr > BIO_MAX_VECS)
		return ERR_PTR(-E2BIG);
	/* Not polled: the copy completes by interrupt, and so the write. */
	copy = dmf_nowait_fails() ? NULL :
		bio_alloc_bioset(bio->bi_bdev, nr, bio->bi_opf & ~REQ_POLLED, DMF_NOWAIT, &dmf_bioset);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&dmf_copies);
	for (done = 0; done < size; done += len) {
		len = min_t(unsigned int, size - done, PAGE_SIZE);
		page = dmf_nowait_fails() ? NULL : alloc_page(DMF_NOWAIT);
		if (!page) {
			dmf_copy_free(copy);
			return ERR_PTR(-ENOMEM);
		}
		__bio_add_page(copy, page, len, 0);
	}
	copy->bi_iter.bi_sector = bio->bi_iter.bi_sector;
	copy->bi_ioprio = bio->bi_ioprio;
	copy->bi_write_hint = bio->bi_write_hint;
	bio_clone_blkg_association(copy, bio);
	bio_copy_data(copy, bio);
	copy->bi_end_io = dmf_copy_end_io;
	copy->bi_private = bio;
	return copy;
}

/* The bio that goes on after the chain: the write's copy if there is one. */
struct bio *dmf_data_bio(struct dmfilter_bio_kern *k)
{
	return k->copy ?: k->bio;
}

/* The chain completed the bio itself: a copy is not needed any more. */
void dmf_data_drop(struct dmfilter_bio_kern *k)
{
	if (!k->copy)
		return;
	dmf_copy_free(k->copy);
	k->copy = NULL;
}

static void dmf_end_io(struct bio *bio)
{
	struct dmf_endio *e = bio->bi_private;
	struct dmf_filter *f = e->k.f;
	int status;

	this_cpu_inc(dmf_frames);
	bio->bi_end_io = e->end_io;
	bio->bi_private = e->private;
	e->k.completed = true;
	e->k.ctx.status = blk_status_to_errno(bio->bi_status);
	f->ops->end_io(&e->k.ctx);
	status = e->k.ctx.status;
	if (status > 0 || status < -MAX_ERRNO)
		status = -EIO;
	bio->bi_status = errno_to_blk_status(status);
	kmem_cache_free(dmf_endio_cache, e);
	if (atomic_dec_and_test(&f->endio_pending))
		wake_up_var(&f->endio_pending);
	/*
	 * The first bio_endio() did the block layer's accounting; what it
	 * does not clear itself (rq-qos) must not run twice. Then the bio
	 * ends as it would have without us (dm-bio-record.h does the same).
	 */
	bio_clear_flag(bio, BIO_QOS_THROTTLED);
	bio_clear_flag(bio, BIO_QOS_MERGED);
	bio_endio(bio);
	this_cpu_dec(dmf_frames);
}

/* Run f's end_io program when k's read completes. */
void dmf_data_watch(struct dmf_filter *f, struct dmfilter_bio_kern *k)
{
	struct bio *bio = k->bio;
	struct dmf_endio *e;

	e = dmf_nowait_fails() ? NULL : kmem_cache_alloc(dmf_endio_cache, DMF_NOWAIT);
	if (!e) {
		pr_warn_ratelimited("%u:%u: filter '%s': no memory to watch a read; it completes untouched\n",
				    MAJOR(f->dev->dev), MINOR(f->dev->dev), f->name);
		return;
	}
	e->end_io = bio->bi_end_io;
	e->private = bio->bi_private;
	e->k = *k;
	e->k.f = f;
	e->k.iter = bio->bi_iter;
	atomic_inc(&f->endio_pending);
	bio->bi_end_io = dmf_end_io;
	bio->bi_private = e;
}

/* Detach: wait for the reads f still watches (they complete as the device does). */
void dmf_data_wait(struct dmf_filter *f)
{
	wait_var_event(&f->endio_pending, !atomic_read(&f->endio_pending));
}

__bpf_kfunc_start_defs();

/*
 * The byte at off of the bio's data: of a write at submit, of a read in
 * end_io. -EAGAIN for a read at submit (no data yet), -ERANGE past the end.
 */
__bpf_kfunc int dmf_bio_load_byte(struct dmfilter_bio *ctx, u32 off)
{
	struct dmfilter_bio_kern *k = dmf_kern(ctx);

	if (k->copy)
		return dmf_access_byte(k->copy, k->copy->bi_iter, off, -1);
	if (k->completed)
		return dmf_access_byte(k->bio, k->iter, off, -1);
	if (!op_is_write(bio_op(k->bio)))
		return -EAGAIN;
	if (!bio_has_data(k->bio))
		return -ERANGE;
	return dmf_access_byte(k->bio, k->bio->bi_iter, off, -1);
}

/*
 * Set the byte at off: of a read in end_io (what the reader gets), of a
 * write at submit (a copy goes to the device; the writer's buffer keeps
 * its data). 0, or -EAGAIN (a read at submit), -ERANGE, -ENOMEM (no memory
 * for the copy), -E2BIG (a write over 1 MiB is not copied).
 */
__bpf_kfunc int dmf_bio_store_byte(struct dmfilter_bio *ctx, u32 off, u8 val)
{
	struct dmfilter_bio_kern *k = dmf_kern(ctx);

	if (k->completed)
		return dmf_access_byte(k->bio, k->iter, off, val);
	if (!op_is_write(bio_op(k->bio)))
		return -EAGAIN;
	if (off >= k->bio->bi_iter.bi_size || !bio_has_data(k->bio))
		return -ERANGE;
	if (!k->copy) {
		struct bio *copy = dmf_copy_bio(k->bio);

		if (IS_ERR(copy))
			return PTR_ERR(copy);
		k->copy = copy;
	}
	return dmf_access_byte(k->copy, k->copy->bi_iter, off, val);
}

__bpf_kfunc_end_defs();

int dmf_data_init(void)
{
	int ret;

	ret = bioset_init(&dmf_bioset, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS);
	if (ret)
		return ret;
	dmf_endio_cache = KMEM_CACHE(dmf_endio, 0);
	if (!dmf_endio_cache) {
		bioset_exit(&dmf_bioset);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Unload, once nothing is attached (so no new copy starts): wait for the
 * copies in flight; the caller then waits for dmf_frames, which covers
 * the tail of their completion.
 */
void dmf_data_exit(void)
{
	wait_var_event(&dmf_copies, !atomic_read(&dmf_copies));
	kmem_cache_destroy(dmf_endio_cache);
	bioset_exit(&dmf_bioset);
}
