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
 * after the last detach), so a machine with nothing attached pays
 * nothing. docs/design.md has the measured costs of this hook and of the
 * alternatives; everything about the hook is behind
 * dmf_interposer_{install,remove,wants}.
 *
 * A second IPMODIFY ops, installed and removed with the first, diverts
 * del_gendisk() to dmf_del_gendisk() (gone.c): a disk that goes away
 * takes its attachments with it before the block layer tears it down.
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

/* del_gendisk() -> dmf_del_gendisk(), which calls the real one from the module. */
static void notrace dmf_gone_cb(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	if (!within_module(parent_ip, THIS_MODULE))
		ftrace_regs_set_instruction_pointer(fregs, (unsigned long)dmf_del_gendisk);
}

#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#define DMF_FOPS_FLAGS	FTRACE_OPS_FL_IPMODIFY
#else
#define DMF_FOPS_FLAGS	(FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_SAVE_REGS)
#endif

static struct ftrace_ops dmf_fops = { .func = dmf_ftrace_cb, .flags = DMF_FOPS_FLAGS };
static struct ftrace_ops dmf_gone_fops = { .func = dmf_gone_cb, .flags = DMF_FOPS_FLAGS };

/* Does a filter chain want this bio? Called with preemption disabled. */
bool dmf_interposer_wants(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	bool found;

	if (bio_flagged(bio, BIO_DMF_SEEN))
		return false;
	rcu_read_lock();
	found = dmf_table_lookup(bdev) ||
		(bdev_is_partition(bdev) && dmf_table_lookup(bdev_whole(bdev)));
	rcu_read_unlock();
	return found;
}

static int dmf_hook(struct ftrace_ops *ops, void *fn, const char *name)
{
	unsigned long ip = (unsigned long)fn;
	int ret;

	ret = ftrace_set_filter_ip(ops, ip, 0, 1);
	if (ret) {
		pr_err("cannot hook %s: ftrace filter: %d\n", name, ret);
		return ret;
	}
	ret = register_ftrace_function(ops);
	if (ret) {
		pr_err("cannot hook %s: %d (another IPMODIFY user, e.g. a livepatch?)\n",
		       name, ret);
		ftrace_set_filter_ip(ops, ip, 1, 0);
	}
	return ret;
}

static void dmf_unhook(struct ftrace_ops *ops, void *fn)
{
	unregister_ftrace_function(ops);
	ftrace_set_filter_ip(ops, (unsigned long)fn, 1, 0);
}

/* Called with dmf_table_lock held (hook.c). */
int dmf_interposer_install(void)
{
	int ret;

	ret = dmf_hook(&dmf_gone_fops, del_gendisk, "del_gendisk");
	if (ret)
		return ret;
	ret = dmf_hook(&dmf_fops, submit_bio_noacct, "submit_bio_noacct");
	if (ret)
		dmf_unhook(&dmf_gone_fops, del_gendisk);
	return ret;
}

/*
 * Called with dmf_table_lock held (hook.c). Returns once no CPU is in a
 * callback; tasks may still be inside dmf_submit_bio() or dmf_del_gendisk()
 * (see dmf_wait_handlers()).
 */
void dmf_interposer_remove(void)
{
	dmf_unhook(&dmf_fops, submit_bio_noacct);
	dmf_unhook(&dmf_gone_fops, del_gendisk);
}
