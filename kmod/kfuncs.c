// SPDX-License-Identifier: GPL-2.0
/*
 * kfuncs.c - the kernel functions dmfilter's struct_ops programs may call
 * (declared for filters in bpf/dmfilter.bpf.h), and their registration:
 *
 *   dmf_bio_load_byte, dmf_bio_store_byte   a bio's data (data.c)
 *   dmf_bio_log(bio, msg, size)             a line in the kernel log
 */
#include "dmfilter.h"

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>

__bpf_kfunc_start_defs();

/*
 * "dmfilter: MAJ:MIN: FILTER: msg" in the kernel log, rate-limited (dm
 * targets log the same way, e.g. dm-dust's "block N removed from
 * badblocklist by write"). msg is NUL-terminated or msg__sz bytes long.
 */
__bpf_kfunc int dmf_bio_log(struct dmfilter_bio *ctx, const char *msg, u32 msg__sz)
{
	struct dmfilter_bio_kern *k = dmf_kern(ctx);

	pr_info_ratelimited("%u:%u: %s: %.*s\n", MAJOR(ctx->dev), MINOR(ctx->dev),
			    k->f ? k->f->name : "?", (int)strnlen(msg, msg__sz), msg);
	return 0;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(dmf_kfunc_ids)
BTF_ID_FLAGS(func, dmf_bio_load_byte, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, dmf_bio_store_byte, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, dmf_bio_log, KF_TRUSTED_ARGS)
BTF_KFUNCS_END(dmf_kfunc_ids)

static const struct btf_kfunc_id_set dmf_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &dmf_kfunc_ids,
};

int dmf_kfuncs_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS, &dmf_kfunc_set);
}
