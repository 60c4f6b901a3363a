// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module load and unload for dmfilter: BPF filters on any block
 * device's bios. The pieces are listed in dmfilter.h.
 *
 * Unload is refused (module refcount) while any filter is attached, any
 * device is remapped or a DM table uses dmfilter-linear: each struct_ops
 * map of our type, each remap and each such table holds a reference. Once nothing is attached
 * exit removes the hook if it is still installed (hook=eager, or a lazy
 * hook lingering), then waits for tasks that entered the handler earlier
 * and sleep in the device's submit path.
 */
#include "dmfilter.h"

#include <linux/module.h>

unsigned int dmf_fail_nowait;
module_param_named(fail_nowait, dmf_fail_nowait, uint, 0644);
MODULE_PARM_DESC(fail_nowait, "tests only: every Nth non-sleeping allocation in the submit path fails (0: none)");

static atomic_t dmf_nowait_calls = ATOMIC_INIT(0);
static atomic_t dmf_nowait_failed = ATOMIC_INIT(0);

bool dmf_nowait_fail_now(void)
{
	unsigned int n = READ_ONCE(dmf_fail_nowait);

	if (!n || atomic_inc_return(&dmf_nowait_calls) % n)
		return false;
	atomic_inc(&dmf_nowait_failed);
	return true;
}

static int dmf_nowait_failed_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", atomic_read(&dmf_nowait_failed));
}

static const struct kernel_param_ops dmf_nowait_failed_ops = {
	.get = dmf_nowait_failed_get,
};
module_param_cb(nowait_failed, &dmf_nowait_failed_ops, NULL, 0444);
MODULE_PARM_DESC(nowait_failed, "allocations fail_nowait has failed so far (read only)");

static int __init dmf_init(void)
{
	int ret;

	ret = dmf_delay_init();
	if (ret)
		return ret;
	ret = dmf_data_init();
	if (ret)
		goto err_delay;
	ret = dmf_remap_init();
	if (ret)
		goto err_data;
	ret = dmf_linear_init();
	if (ret) {
		pr_err("cannot register DM target dmfilter-linear: %d\n", ret);
		goto err_remap;
	}
	ret = dmf_ctl_init();
	if (ret)
		goto err_linear;
	ret = dmf_hook_init();
	if (ret)
		goto err_ctl;
	ret = dmf_ops_register();
	if (ret) {
		pr_err("cannot register struct_ops type dmfilter_ops: %d\n", ret);
		goto err_hook;
	}
	pr_info("loaded; filters attach through struct_ops 'dmfilter_ops'\n");
	return 0;

err_hook:
	dmf_hook_exit();
err_ctl:
	dmf_ctl_exit();
err_linear:
	dmf_linear_exit();
err_remap:
	dmf_remap_exit();
err_data:
	dmf_data_exit();
err_delay:
	dmf_delay_exit();
	return ret;
}

static void __exit dmf_exit(void)
{
	dmf_ctl_exit();
	dmf_linear_exit();
	dmf_hook_exit();
	dmf_data_exit();
	dmf_wait_handlers();
	dmf_remap_exit();
	dmf_delay_exit();
	pr_info("unloaded\n");
}

module_init(dmf_init);
module_exit(dmf_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("BPF filters on the bios of any block device, and remap to a DM stack");
MODULE_AUTHOR("dmfilter developers");
