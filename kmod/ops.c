// SPDX-License-Identifier: GPL-2.0
/*
 * ops.c - the 'dmfilter_ops' struct_ops type that BPF filters implement.
 *
 * Loading and attaching a struct_ops map of this type (libbpf:
 * bpf_map__attach_struct_ops) calls dmf_ops_reg(), which attaches the
 * filter to ops->dev; closing the link calls dmf_ops_unreg(), which
 * detaches it. Programs may read every field of their struct dmfilter_bio
 * and write only its outputs (btf_struct_access below).
 */
#include "dmfilter.h"

#include <linux/capability.h>
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/string.h>

/* The module's BTF, from .init: the one struct dmfilter_bio programs see lives there. */
static const struct btf *dmf_btf;

/* The offsets of struct dmfilter_bio's members, in order. */
static const size_t dmf_bio_layout[] = {
	offsetof(struct dmfilter_bio, dev),	  offsetof(struct dmfilter_bio, op),
	offsetof(struct dmfilter_bio, flags),	  offsetof(struct dmfilter_bio, bytes),
	offsetof(struct dmfilter_bio, sector),	  offsetof(struct dmfilter_bio, segments),
	offsetof(struct dmfilter_bio, ioprio),	  offsetof(struct dmfilter_bio, pid),
	offsetof(struct dmfilter_bio, tgid),	  offsetof(struct dmfilter_bio, cgroup_id),
	offsetof(struct dmfilter_bio, submit_ns), offsetof(struct dmfilter_bio, status),
	offsetof(struct dmfilter_bio, end_io),	  offsetof(struct dmfilter_bio, delay_ns),
};

/*
 * Is t (of btf) struct dmfilter_bio? Not by BTF id: a kernel whose modules
 * carry distilled base BTF (Debian's 7.3) renumbers a module's types when
 * it loads it, and a BTF_ID_LIST of the module's own keeps the old number.
 * By shape instead: our BTF, a struct of its size, its members at their
 * offsets.
 */
static bool dmf_is_bio_type(const struct btf *btf, const struct btf_type *t)
{
	const struct btf_member *m;
	int i;

	if (btf != dmf_btf || !t || !btf_type_is_struct(t) ||
	    t->size != sizeof(struct dmfilter_bio) || btf_type_vlen(t) != ARRAY_SIZE(dmf_bio_layout))
		return false;
	for_each_member(i, t, m)
		if (__btf_member_bit_offset(t, m) != dmf_bio_layout[i] * 8)
			return false;
	return true;
}

/* The fields of struct dmfilter_bio a program may write. */
static const struct {
	size_t off, end;
} dmf_writable[] = {
	{ offsetof(struct dmfilter_bio, status), offsetofend(struct dmfilter_bio, status) },
	{ offsetof(struct dmfilter_bio, end_io), offsetofend(struct dmfilter_bio, end_io) },
	{ offsetof(struct dmfilter_bio, delay_ns), offsetofend(struct dmfilter_bio, delay_ns) },
};

static int dmf_btf_struct_access(struct bpf_verifier_log *log,
				 const struct bpf_reg_state *reg, int off, int size)
{
	const struct btf_type *t = btf_type_by_id(reg->btf, reg->btf_id);
	unsigned int i;

	if (dmf_is_bio_type(reg->btf, t)) {
		for (i = 0; i < ARRAY_SIZE(dmf_writable); i++)
			if (off >= dmf_writable[i].off && off + size <= dmf_writable[i].end)
				return SCALAR_VALUE;
		bpf_log(log, "dmfilter: only status, end_io and delay_ns of struct dmfilter_bio are writable (offset %d)\n",
			off);
	}
	return -EACCES;
}

static bool dmf_is_valid_access(int off, int size, enum bpf_access_type type,
				const struct bpf_prog *prog,
				struct bpf_insn_access_aux *info)
{
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

static const struct bpf_func_proto *dmf_get_func_proto(enum bpf_func_id func_id,
						       const struct bpf_prog *prog)
{
	return bpf_base_func_proto(func_id, prog);
}

static const struct bpf_verifier_ops dmf_verifier_ops = {
	.get_func_proto = dmf_get_func_proto,
	.is_valid_access = dmf_is_valid_access,
	.btf_struct_access = dmf_btf_struct_access,
};

static int dmf_ops_init(struct btf *btf)
{
	dmf_btf = btf;
	return 0;
}

/* A filter name is also a bpffs directory name: [A-Za-z0-9_.-]+, NUL-terminated. */
static bool dmf_copy_name(char *dst, const char *src)
{
	size_t i, len = strnlen(src, DMFILTER_NAME_LEN);

	if (!len || len == DMFILTER_NAME_LEN || src[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(src[i]) && !strchr("_.-", src[i]))
			return false;
	memcpy(dst, src, len + 1);
	return true;
}

/* Data members are copied from the loader's value; programs are the kernel's. */
static int dmf_ops_init_member(const struct btf_type *t, const struct btf_member *member,
			       void *kdata, const void *udata)
{
	const struct dmfilter_ops *uops = udata;
	struct dmfilter_ops *ops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	switch (moff) {
	case offsetof(struct dmfilter_ops, dev):
		ops->dev = uops->dev;
		return 1;
	case offsetof(struct dmfilter_ops, flags):
		ops->flags = uops->flags;
		return 1;
	case offsetof(struct dmfilter_ops, name):
		return dmf_copy_name(ops->name, uops->name) ? 1 : -EINVAL;
	}
	return 0;
}

static int dmf_ops_check_member(const struct btf_type *t, const struct btf_member *member,
				const struct bpf_prog *prog)
{
	return 0;
}

static int dmf_ops_validate(void *kdata)
{
	struct dmfilter_ops *ops = kdata;
	dev_t dev = ops->dev;

	if (!ops->submit) {
		pr_err("%u:%u: filter '%s' rejected: no submit op\n", MAJOR(dev), MINOR(dev), ops->name);
		return -EINVAL;
	}
	if (ops->flags) {
		pr_err("%u:%u: filter '%s' rejected: unknown flags 0x%x\n",
		       MAJOR(dev), MINOR(dev), ops->name, ops->flags);
		return -EINVAL;
	}
	return 0;
}

/*
 * The kernel calls .validate before .reg for every map update. .reg runs
 * in the attaching task: loading struct_ops needs only CAP_BPF, changing
 * what a device does needs CAP_SYS_ADMIN.
 */
static int dmf_ops_reg(void *kdata, struct bpf_link *link)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return dmf_table_attach(kdata);
}

static void dmf_ops_unreg(void *kdata, struct bpf_link *link)
{
	dmf_table_detach(kdata);
}

/* CFI stubs: the signatures the BPF trampolines are checked against. */
static int dmfilter_ops__submit(struct dmfilter_bio *bio)
{
	return DMFILTER_PASS;
}

static int dmfilter_ops__end_io(struct dmfilter_bio *bio)
{
	return 0;
}

static struct dmfilter_ops dmf_cfi_stubs = {
	.submit = dmfilter_ops__submit,
	.end_io = dmfilter_ops__end_io,
};

static struct bpf_struct_ops dmf_struct_ops = {
	.verifier_ops = &dmf_verifier_ops,
	.init = dmf_ops_init,
	.init_member = dmf_ops_init_member,
	.check_member = dmf_ops_check_member,
	.validate = dmf_ops_validate,
	.reg = dmf_ops_reg,
	.unreg = dmf_ops_unreg,
	.cfi_stubs = &dmf_cfi_stubs,
	.name = "dmfilter_ops",
	.owner = THIS_MODULE,
};

int dmf_ops_register(void)
{
	int ret = dmf_kfuncs_register();

	if (ret)
		return ret;
	return register_bpf_struct_ops(&dmf_struct_ops, dmfilter_ops);
}
