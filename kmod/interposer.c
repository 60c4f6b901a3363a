// SPDX-License-Identifier: GPL-2.0
/*
 * interposer.c - the hook that diverts submit_bio_noacct() to the filter
 * chain.
 *
 * An IPMODIFY ftrace_ops on submit_bio_noacct, using only ftrace_regs
 * (the livepatch style: no full register save on x86, which has
 * DYNAMIC_FTRACE_WITH_ARGS). Its callback redirects the call to
 * dmf_submit_bio() when the bio's device has filters. hook.c decides
 * when it is installed (by default from the first attach until a linger
 * after the last detach), so a machine with nothing attached pays nothing. docs/design.md has the
 * measured costs of this hook and of the alternatives; everything about
 * the hook is behind dmf_interposer_{install,remove,wants}.
 */
#include "dmfilter.h"

#include <linux/blkdev.h>
#include <linux/ftrace.h>
#include <linux/module.h>

static void notrace dmf_ftrace_cb(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct bio *bio;
	int bit;

	/*
	 * Bios this module submits itself (passed on, released after a delay)
	 * reach the device. dmf_submit_bio() is built without sibling calls,
	 * so its call to submit_bio_noacct() returns here with parent_ip in
	 * the module.
	 */
	if (within_module(parent_ip, THIS_MODULE))
		return;

	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	bio = (struct bio *)ftrace_regs_get_argument(fregs, 0);
	if (dmf_interposer_wants(bio))
		ftrace_regs_set_instruction_pointer(fregs, (unsigned long)dmf_submit_bio);
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops dmf_fops = {
	.func = dmf_ftrace_cb,
	.flags = FTRACE_OPS_FL_IPMODIFY
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
		 | FTRACE_OPS_FL_SAVE_REGS
#endif
	,
};

/* Does a filter chain want this bio? Called with preemption disabled. */
bool dmf_interposer_wants(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	bool found;

	if (bio_flagged(bio, BIO_DMF_SEEN))
		return false;
	rcu_read_lock();
	found = dmf_table_find(bdev->bd_dev) ||
		(bdev_is_partition(bdev) && dmf_table_find(bdev_whole(bdev)->bd_dev));
	rcu_read_unlock();
	return found;
}

/* Called with dmf_table_lock held (hook.c). */
int dmf_interposer_install(void)
{
	unsigned long ip = (unsigned long)submit_bio_noacct;
	int ret;

	ret = ftrace_set_filter_ip(&dmf_fops, ip, 0, 1);
	if (ret) {
		pr_err("cannot hook submit_bio_noacct: ftrace filter: %d\n", ret);
		return ret;
	}
	ret = register_ftrace_function(&dmf_fops);
	if (ret) {
		pr_err("cannot hook submit_bio_noacct: %d (another IPMODIFY user, e.g. a livepatch?)\n",
		       ret);
		ftrace_set_filter_ip(&dmf_fops, ip, 1, 0);
	}
	return ret;
}

/*
 * Called with dmf_table_lock held (hook.c). Returns
 * once no CPU is in the callback; tasks may still be inside
 * dmf_submit_bio() (see dmf_wait_handlers()).
 */
void dmf_interposer_remove(void)
{
	unregister_ftrace_function(&dmf_fops);
	ftrace_set_filter_ip(&dmf_fops, (unsigned long)submit_bio_noacct, 1, 0);
}
