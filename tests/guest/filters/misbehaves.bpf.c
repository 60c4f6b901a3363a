// SPDX-License-Identifier: GPL-2.0
/*
 * Broken on purpose, but loadable: verdicts and outputs the module must
 * make safe (kmod/chain.c, dmf_sanitize). Writes only; reads pass.
 */
#include "dmfilter.bpf.h"

__u32 mode;

DMF_DOC("answers writes with what the module must not trust");
DMF_KNOB_DOC(mode, "1 an unknown verdict (42), 2 a delay of 2^64-1 ns, "
		   "3 an errno below -4095, 4 a positive status; 0 passes");

int DMFILTER_PROG(misbehaves_submit, struct dmfilter_bio *bio)
{
	if (!dmf_is_write(bio))
		return dmf_pass();
	switch (mode) {
	case 1:
		return 42;
	case 2:
		return dmf_delay(bio, ~0ull, 0);
	case 3:
		return dmf_complete(bio, -100000);
	case 4:
		return dmf_complete(bio, 7);
	}
	return dmf_pass();
}

DMFILTER_OPS(misbehaves, .submit = (void *)misbehaves_submit);
