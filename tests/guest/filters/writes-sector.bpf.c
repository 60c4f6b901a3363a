// SPDX-License-Identifier: GPL-2.0
/* Broken on purpose: it writes a read-only field; the verifier refuses it. */
#include "dmfilter.bpf.h"

int DMFILTER_PROG(bad_submit, struct dmfilter_bio *bio)
{
	bio->sector = 0;
	return dmf_pass();
}

DMFILTER_OPS(bad, .submit = (void *)bad_submit);
