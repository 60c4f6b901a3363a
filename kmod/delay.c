// SPDX-License-Identifier: GPL-2.0
/*
 * delay.c - the queue a filter's DELAY verdicts park bios on.
 *
 * Each attached filter has one queue, sorted by release time. An hrtimer
 * (not a jiffy timer as in dm-delay.c of 6.12, so sub-millisecond delays
 * are honoured) fires at the head's expiry and kicks a work item that
 * releases every expired bio from process context: passed on to the
 * device past the filters, or completed with the status the filter chose.
 *
 * Parking needs a small record per bio; it comes from a mempool with
 * GFP_NOWAIT, so the submit path never sleeps. When even the reserve is
 * exhausted the bio is not delayed, and a warning says so.
 *
 * Ordering: a flush (PREFLUSH, FUA or an empty flush) is never released
 * before a bio queued before it: its release time is raised to the
 * latest one already in the queue. Other bios are released in order of
 * their own release times, as dm-delay does within each of its classes.
 */
#include "dmfilter.h"

#include <linux/bio.h>
#include <linux/mempool.h>
#include <linux/slab.h>

#define DMF_PARKED_RESERVE	256

struct dmf_parked {
	struct list_head node;
	struct bio *bio;
	u64 expires;		/* ktime_get_ns() */
	int status;
};

static struct kmem_cache *dmf_parked_cache;
static mempool_t *dmf_parked_pool;
static struct workqueue_struct *dmf_delay_wq;

static bool dmf_bio_is_flush(struct bio *bio)
{
	return op_is_flush(bio->bi_opf) || bio_op(bio) == REQ_OP_FLUSH;
}

/* Arm the timer for the head of the queue. Called with q->lock held. */
static void dmf_queue_arm(struct dmf_queue *q)
{
	struct dmf_parked *p;

	p = list_first_entry_or_null(&q->list, struct dmf_parked, node);
	if (p)
		hrtimer_start(&q->timer, ns_to_ktime(p->expires), HRTIMER_MODE_ABS);
}

bool dmf_queue_park(struct dmf_queue *q, struct bio *bio, u64 delay_ns, int status)
{
	struct dmf_parked *p, *pos;
	unsigned long flags;
	bool head;

	p = dmf_nowait_fails() ? NULL : mempool_alloc(dmf_parked_pool, GFP_NOWAIT | __GFP_NOWARN);
	if (!p) {
		pr_warn_ratelimited("no memory to delay a bio: passing it now\n");
		return false;
	}
	p->bio = bio;
	p->status = status;
	p->expires = ktime_get_ns() + delay_ns;

	spin_lock_irqsave(&q->lock, flags);
	if (q->closing) {
		spin_unlock_irqrestore(&q->lock, flags);
		mempool_free(p, dmf_parked_pool);
		return false;
	}
	pos = list_last_entry(&q->list, struct dmf_parked, node);
	if (!list_empty(&q->list) && dmf_bio_is_flush(bio) && pos->expires > p->expires)
		p->expires = pos->expires;
	/* Release times mostly grow: search from the tail. */
	list_for_each_entry_reverse(pos, &q->list, node)
		if (pos->expires <= p->expires)
			break;
	list_add(&p->node, &pos->node);
	head = q->list.next == &p->node;
	q->queued++;
	if (head)
		dmf_queue_arm(q);
	spin_unlock_irqrestore(&q->lock, flags);
	return true;
}

/* Move the bios due by 'now' (all of them if U64_MAX) to 'out'. */
static void dmf_queue_take(struct dmf_queue *q, u64 now, struct list_head *out)
{
	struct dmf_parked *p, *n;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	list_for_each_entry_safe(p, n, &q->list, node) {
		if (p->expires > now)
			break;
		list_move_tail(&p->node, out);
		q->queued--;
	}
	if (!q->closing)
		dmf_queue_arm(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Release the bios on list: with their own status, or all with 'status'. */
static void dmf_release_list(struct list_head *list, int status)
{
	struct dmf_parked *p, *n;

	list_for_each_entry_safe(p, n, list, node) {
		struct bio *bio = p->bio;
		int own = status ?: p->status;

		list_del(&p->node);
		mempool_free(p, dmf_parked_pool);
		dmf_release_bio(bio, own);
	}
}

static void dmf_queue_work(struct work_struct *work)
{
	struct dmf_queue *q = container_of(work, struct dmf_queue, work);
	LIST_HEAD(due);

	dmf_queue_take(q, ktime_get_ns(), &due);
	dmf_release_list(&due, 0);
}

static enum hrtimer_restart dmf_queue_timer(struct hrtimer *t)
{
	struct dmf_queue *q = container_of(t, struct dmf_queue, timer);

	queue_work(dmf_delay_wq, &q->work);
	return HRTIMER_NORESTART;
}

void dmf_queue_init(struct dmf_queue *q)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->list);
	q->closing = false;
	q->queued = 0;
	hrtimer_setup(&q->timer, dmf_queue_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	INIT_WORK(&q->work, dmf_queue_work);
}

/*
 * Detach: park nothing more and release every parked bio now, in queue
 * order, as the filter chose (status 0), or complete all of them with
 * 'status' (a negative errno: their disk is being removed). The caller has
 * made sure no handler can still park (RCU grace period after unlinking
 * the filter); 'closing' covers the rest.
 */
void dmf_queue_close(struct dmf_queue *q, int status)
{
	LIST_HEAD(all);
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->closing = true;
	spin_unlock_irqrestore(&q->lock, flags);
	hrtimer_cancel(&q->timer);
	cancel_work_sync(&q->work);
	dmf_queue_take(q, U64_MAX, &all);
	dmf_release_list(&all, status);
}

u64 dmf_queue_count(struct dmf_queue *q)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&q->lock, flags);
	n = q->queued;
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

int dmf_delay_init(void)
{
	dmf_parked_cache = KMEM_CACHE(dmf_parked, 0);
	if (!dmf_parked_cache)
		goto err;
	dmf_parked_pool = mempool_create_slab_pool(DMF_PARKED_RESERVE, dmf_parked_cache);
	if (!dmf_parked_pool)
		goto err_cache;
	/* WQ_MEM_RECLAIM: releasing bios may be what frees memory. */
	dmf_delay_wq = alloc_workqueue("dmfilter_delay", WQ_PERCPU | WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!dmf_delay_wq)
		goto err_pool;
	return 0;

err_pool:
	mempool_destroy(dmf_parked_pool);
err_cache:
	kmem_cache_destroy(dmf_parked_cache);
err:
	return -ENOMEM;
}

void dmf_delay_exit(void)
{
	destroy_workqueue(dmf_delay_wq);
	mempool_destroy(dmf_parked_pool);
	kmem_cache_destroy(dmf_parked_cache);
}
