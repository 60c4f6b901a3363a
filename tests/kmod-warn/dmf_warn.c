// SPDX-License-Identifier: GPL-2.0
/*
 * dmf_warn - test-only module: loading it logs one kernel WARNING, so the
 * lab's self-test can check that scripts/guest fails a run whose console
 * shows a splat. Never shipped, never loaded outside a guest.
 */
#include <linux/module.h>
#include <linux/bug.h>

static int __init dmf_warn_init(void)
{
	WARN(1, "dmf_warn: lab self-test warning\n");
	return 0;
}

static void __exit dmf_warn_exit(void)
{
}

module_init(dmf_warn_init);
module_exit(dmf_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dmfilter lab self-test: logs a WARNING on load");
