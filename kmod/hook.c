// SPDX-License-Identifier: GPL-2.0
/*
 * hook.c - when the interposer's hook is installed.
 *
 * Installing or removing an ftrace hook patches kernel text while other
 * CPUs may run it. That is sound on hardware, but QEMU's multi-threaded
 * TCG faults on it under load (docs/guest.md), and it is the one costly
 * step of an attach. So text is patched as rarely as possible:
 *
 *   hook=lazy   (default) install on the first attach; after the last
 *               detach keep it for hook_linger_ms, so a churn of attach
 *               and detach patches text once, not per cycle.
 *   hook=eager  install at module load, remove at unload: a module loaded
 *               before the workload never patches text under it.
 *
 * /sys/module/dmfilter/parameters/hook_installed shows the state.
 */
#include "dmfilter.h"

#include <linux/moduleparam.h>
#include <linux/workqueue.h>

static bool dmf_hook_eager;
static unsigned int dmf_hook_linger_ms = 5000;
/* Set and cleared with dmf_table_lock held; read locklessly by sysfs. */
static bool dmf_hook_on;

static int dmf_hook_mode_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "lazy"))
		dmf_hook_eager = false;
	else if (sysfs_streq(val, "eager"))
		dmf_hook_eager = true;
	else
		return -EINVAL;
	return 0;
}

static int dmf_hook_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", dmf_hook_eager ? "eager" : "lazy");
}

static const struct kernel_param_ops dmf_hook_mode_ops = {
	.set = dmf_hook_mode_set,
	.get = dmf_hook_mode_get,
};
module_param_cb(hook, &dmf_hook_mode_ops, NULL, 0444);
MODULE_PARM_DESC(hook, "lazy (default): install the hook on the first attach; eager: at load");

module_param_named(hook_linger_ms, dmf_hook_linger_ms, uint, 0644);
MODULE_PARM_DESC(hook_linger_ms, "hook=lazy: keep the hook this long after the last detach (ms)");

static int dmf_hook_installed_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", READ_ONCE(dmf_hook_on) ? 'Y' : 'N');
}

static const struct kernel_param_ops dmf_hook_installed_ops = {
	.get = dmf_hook_installed_get,
};
module_param_cb(hook_installed, &dmf_hook_installed_ops, NULL, 0444);
MODULE_PARM_DESC(hook_installed, "whether the hook is installed now (read only)");

/* Both with dmf_table_lock held. Each patches kernel text: say so. */
static int dmf_hook_install(void)
{
	int ret = dmf_interposer_install();

	if (ret)
		return ret;
	WRITE_ONCE(dmf_hook_on, true);
	pr_info("hook installed (hook=%s)\n", dmf_hook_eager ? "eager" : "lazy");
	return 0;
}

static void dmf_hook_remove(void)
{
	dmf_interposer_remove();
	WRITE_ONCE(dmf_hook_on, false);
	pr_info("hook removed\n");
}

static void dmf_hook_linger_end(struct work_struct *work)
{
	mutex_lock(&dmf_table_lock);
	if (dmf_hook_on && dmf_table_empty())
		dmf_hook_remove();
	mutex_unlock(&dmf_table_lock);
}

static DECLARE_DELAYED_WORK(dmf_hook_linger, dmf_hook_linger_end);

/* The first filter attaches; dmf_table_lock is held. */
int dmf_hook_get(void)
{
	/* A lingering hook is reused; the timer finding filters would keep it anyway. */
	cancel_delayed_work(&dmf_hook_linger);
	if (dmf_hook_on)
		return 0;
	return dmf_hook_install();
}

/* The last filter detached; dmf_table_lock is held. */
void dmf_hook_put(void)
{
	if (dmf_hook_eager || !dmf_hook_on)
		return;
	if (dmf_hook_linger_ms) {
		schedule_delayed_work(&dmf_hook_linger, msecs_to_jiffies(dmf_hook_linger_ms));
		return;
	}
	dmf_hook_remove();
}

int dmf_hook_init(void)
{
	int ret;

	if (!dmf_hook_eager)
		return 0;
	mutex_lock(&dmf_table_lock);
	ret = dmf_hook_install();
	mutex_unlock(&dmf_table_lock);
	return ret;
}

/* Module exit: nothing is attached (each attachment pins the module). */
void dmf_hook_exit(void)
{
	cancel_delayed_work_sync(&dmf_hook_linger);
	mutex_lock(&dmf_table_lock);
	if (dmf_hook_on)
		dmf_hook_remove();
	mutex_unlock(&dmf_table_lock);
}
