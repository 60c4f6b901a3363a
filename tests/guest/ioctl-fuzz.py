#!/usr/bin/env python3
"""Random ioctls on /dev/dmfilter: every one must fail cleanly or succeed.

    ioctl-fuzz.py COUNT SEED DEV...     (DEV: device nodes that exist)

COUNT calls with seeded random commands (ours, ours with other sizes and
directions, and others), sizes, versions, device numbers (mostly DEV...,
the devices of this guest, so the checks past the version are reached),
capacities and user pointers (NULL, unmapped, kernel addresses, and a
buffer of this process sized to what the kernel may write). Prints one
line: the calls made, how many succeeded, and the errnos seen. Exits 1 if
an errno outside the documented set comes back.
"""
import ctypes
import errno
import fcntl
import os
import random
import struct
import sys

MAGIC = 0xDF
VERSION = 1
LIST_SIZE = 24          # struct dmfilter_list
REMAP_SIZE = 16         # struct dmfilter_remap
FILTER_INFO = 88        # struct dmfilter_filter_info
REMAP_INFO = 24         # struct dmfilter_remap_info
ALLOWED = {errno.EINVAL, errno.EFAULT, errno.ENOTTY, errno.ENODEV, errno.ENOENT,
           errno.EBUSY, errno.ELOOP, errno.ENXIO, errno.EACCES, errno.EPERM}


def ioc(direction, nr, size):
    return (direction << 30) | (size << 16) | (MAGIC << 8) | nr


def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    devs = [os.stat(d).st_rdev for d in sys.argv[3:]]
    rnd = random.Random(seed)
    kdev = lambda d: (os.major(d) << 20) | os.minor(d)
    dev_pool = [kdev(d) for d in devs] + [0, 0xFFFFFFFF, 1 << 20]
    out = ctypes.create_string_buffer(64 * FILTER_INFO)
    pointers = [0, 0x1000, 0xDEAD0000, 0xFFFF888000000000, 0xFFFFFFFFFFFFF000]
    fd = os.open("/dev/dmfilter", os.O_RDONLY)
    ok = 0
    seen = {}
    for _ in range(count):
        if rnd.random() < 0.8:
            # One of ours, as the header defines it: the checks past the
            # command number are reached.
            nr, direction, size = rnd.choice([(1, 3, LIST_SIZE), (2, 1, REMAP_SIZE),
                                               (3, 1, REMAP_SIZE), (4, 3, LIST_SIZE)])
        else:
            nr = rnd.choice([0, 1, 2, 3, 4, 5, 255])
            direction = rnd.choice([0, 1, 2, 3])
            size = rnd.choice([0, 8, LIST_SIZE, REMAP_SIZE, 4095])
        version = rnd.choice([VERSION] * 6 + [0, 2, 0xFFFFFFFF])
        if nr in (1, 4) and rnd.random() < 0.8 or rnd.random() < 0.2:
            entry = rnd.choice([FILTER_INFO, REMAP_INFO, FILTER_INFO, REMAP_INFO, 0, 1, 4096])
            if rnd.random() < 0.5:
                ptr = ctypes.addressof(out)
                cap = rnd.randrange(0, len(out) // max(entry, FILTER_INFO) + 1)
            else:
                ptr = rnd.choice(pointers)
                cap = rnd.choice([0, 1, 2, 1 << 20, (1 << 20) + 1, 0xFFFFFFFF])
            arg = struct.pack("<IIIIQ", version, entry, cap, rnd.getrandbits(32), ptr)
        else:
            arg = struct.pack("<IIII", version, rnd.choice([REMAP_SIZE] * 3 + [0, 8, 0xFFFF]),
                              rnd.choice(dev_pool), rnd.choice(dev_pool))
        arg = arg.ljust(max(size, len(arg)), b"\0")
        try:
            fcntl.ioctl(fd, ioc(direction, nr, size & 0x3FFF), bytearray(arg))
            ok += 1
        except OSError as e:
            seen[e.errno] = seen.get(e.errno, 0) + 1
    names = ", ".join(f"{errno.errorcode.get(e, e)} {n}" for e, n in sorted(seen.items()))
    print(f"ioctl-fuzz: {count} calls, {ok} succeeded; {names}")
    bad = set(seen) - ALLOWED
    if bad:
        print("ioctl-fuzz: unexpected errnos: " + ", ".join(errno.errorcode.get(e, str(e)) for e in bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
