// commands.cpp - the subcommands: options, help, and one library call
// each. Nothing here touches BPF or the kernel directly.
#include "commands.hpp"

#include <array>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "dmfilter/attach.hpp"
#include "dmfilter/attachments.hpp"
#include "dmfilter/catalog.hpp"
#include "dmfilter/filter_file.hpp"
#include "dmfilter/render.hpp"
#include "failure.hpp"

namespace dmfilter::cli
{

namespace
{

const CLI::Validator kAssignment(
    [](std::string &text) {
        auto a = parse_assignment(text);
        return a ? std::string() : a.error().message;
    },
    "", "knob assignment");

std::vector<Assignment> assignments(const std::vector<std::string> &texts)
{
    std::vector<Assignment> result;
    for (const std::string &text : texts)
        result.push_back(must(parse_assignment(text)));
    return result;
}

void print(const std::string &text)
{
    fmt::print("{}", text);
}

void setup_attach(CLI::App &cmd)
{
    auto opt = std::make_shared<AttachRequest>();
    auto sets = std::make_shared<std::vector<std::string>>();
    cmd.add_option("FILTER", opt->filter,
                   "a shipped filter's name (see 'dmfilter filters'), a .bpf.o, or a .bpf.c "
                   "to compile")
        ->required();
    cmd.add_option("DEV", opt->device, "the block device, e.g. /dev/sda1 or /dev/nullb0")
        ->required();
    cmd.add_option("-s,--set", *sets, "set a knob before load; repeat for more knobs")
        ->type_name("KNOB=VALUE")
        ->allow_extra_args(false)
        ->check(kAssignment);
    cmd.add_option("-n,--name", opt->name,
                   "name of this attachment (default: the filter's own); unique per device")
        ->type_name("NAME");
    cmd.callback([opt, sets] {
        opt->knobs = assignments(*sets);
        opt->filter_dirs = filter_dirs(exe_dir());
        Attached a = must(attach(*opt));
        fmt::print("attached '{}' to {} ({}), pinned at {}\n", a.name, opt->device,
                   to_string(a.dev), a.pin_dir.string());
    });
}

void setup_detach(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto all = std::make_shared<bool>(false);
    auto dev_opt = cmd.add_option("DEV", *device, "the block device (or MAJ:MIN)");
    cmd.add_option("FILTER", *name, "the attachment's name; without it, every filter of DEV");
    cmd.add_flag("-a,--all", *all, "detach every filter from every device")->excludes(dev_opt);
    cmd.callback([device, name, all, dev_opt] {
        if (!*all && device->empty())
            throw CLI::RequiredError("DEV (or --all)");
        DetachRequest req{std::nullopt, std::nullopt, *device};
        if (!*all)
            req.dev = must(device_arg(*device));
        if (!name->empty())
            req.name = *name;
        for (const PinnedAttachment &p : must(detach(req)))
            fmt::print("detached '{}' from {}\n", p.name, device_path(p.dev));
    });
}

// Filters of removed disks: detach and unpin them, and say so on stderr.
void reap(std::optional<DevId> dev)
{
    for (const PinnedAttachment &p : must(reap_stale(dev)))
        fmt::print(stderr, "note: {}: its disk was removed; detached '{}' and removed its pins\n",
                   to_string(p.dev), p.name);
}

void setup_list(CLI::App &cmd)
{
    auto json = std::make_shared<bool>(false);
    cmd.add_flag("-j,--json", *json, "print JSON (schema in docs/cli.md)");
    cmd.callback([json] {
        reap(std::nullopt);
        auto all = must(attachments());
        print(*json ? render_json(all) : render_text(all));
    });
}

void setup_status(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd.add_option("DEV", *device, "the block device (or MAJ:MIN)")->required();
    cmd.add_flag("-j,--json", *json, "print JSON (the schema of 'list --json')");
    cmd.callback([device, json] {
        DevId dev = must(device_arg(*device));
        reap(dev);
        auto some = must(attachments(dev));
        print(*json ? render_json(some) : render_text(some));
    });
}

void setup_set(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto sets = std::make_shared<std::vector<std::string>>();
    cmd.add_option("DEV", *device, "the block device (or MAJ:MIN)")->required();
    cmd.add_option("FILTER", *name, "the attachment's name")->required();
    cmd.add_option("KNOB=VALUE", *sets, "the knobs to change")->required()->check(kAssignment);
    cmd.callback([device, name, sets] {
        DevId dev = must(device_arg(*device));
        auto values = assignments(*sets);
        if (auto st = set_knobs(dev, *device, *name, values); !st)
            throw Failure(st.error());
    });
}

void setup_filters(CLI::App &cmd)
{
    auto json = std::make_shared<bool>(false);
    cmd.add_flag("-j,--json", *json, "print JSON (schema in docs/cli.md)");
    cmd.callback([json] {
        auto filters = shipped_filters(filter_dirs(exe_dir()));
        print(*json ? render_json(filters) : render_text(filters));
    });
}

struct Command {
    const char *name;
    const char *summary;
    const char *footer;
    void (*setup)(CLI::App &);
};

constexpr std::array kCommands = {
    Command{"attach", "Attach a BPF filter to a block device; it stays attached (pinned in bpffs)",
            R"(FILTER lookup: NAME.bpf.o in $DMFILTER_FILTER_DIR, then <exe dir>/../filters,
then /usr/local/lib/dmfilter/filters. A .bpf.c is compiled with clang-19
($DMFILTER_CLANG) against the SDK ($DMFILTER_SDK_DIR).

Knob values: decimal or 0x hex integers, negative for signed types,
true/false/on/off for 1-byte knobs, errno names (ENOSPC, EIO, ...).
Pins: /sys/fs/bpf/dmfilter/MAJ:MIN/NAME/.

Examples:
  dmfilter attach delay /dev/sda1 --set ms=50
  dmfilter attach delay /dev/nullb0 --set read_ms=5 --set write_ms=20 --name slow
  dmfilter attach error /dev/sdb --set errno=ENOSPC --set reads=0
  dmfilter attach ./my_filter.bpf.c /dev/loop0)",
            setup_attach},
    Command{"detach", "Detach filters from a device (one by name, all of the device, or --all)",
            R"(Examples:
  dmfilter detach /dev/sda1 delay
  dmfilter detach /dev/sda1
  dmfilter detach 8:1          # a device that is already gone
  dmfilter detach --all)",
            setup_detach},
    Command{"list", "List every attached filter with its counters and knobs",
            R"(The kernel's list (ioctl on /dev/dmfilter), joined with the pinned knob maps.

Examples:
  dmfilter list
  dmfilter list --json | jq '.attachments[] | select(.filter == "delay")')",
            setup_list},
    Command{"status", "Show the filters attached to one device",
            R"(Examples:
  dmfilter status /dev/sda1
  dmfilter status 254:0 --json)",
            setup_status},
    Command{"set", "Change live knobs (.data/.bss globals) of an attached filter",
            R"(Knobs in .rodata (const volatile) are fixed at load: detach and attach with --set.

Examples:
  dmfilter set /dev/sda1 delay ms=100
  dmfilter set /dev/nullb0 slow read_ms=0 write_ms=0x20)",
            setup_set},
    Command{"filters", "List the shipped filters and their knobs",
            R"(Examples:
  dmfilter filters
  DMFILTER_FILTER_DIR=./build/filters dmfilter filters --json)",
            setup_filters},
    Command{"dust", "Edit the bad-block list of an attached dust filter (dm-dust's messages)",
            R"(Actions (dm-dust message in parentheses):
  add BLOCK [WRITE_FAILS]  make BLOCK bad (addbadblock); its first WRITE_FAILS
                           writes (0-255, default 0) fail before a write heals it
  remove BLOCK             make BLOCK good again (removebadblock)
  query BLOCK              is BLOCK bad? (queryblock)
  list                     the bad blocks, by number (listbadblocks)
  count                    how many there are (countbadblocks)
  clear                    remove them all (clearbadblocks)
  enable                   reads of bad blocks fail with EIO (enable)
  disable                  every bio passes; the list is kept (disable)
  quiet                    toggle the kernel log line of a healed block (quiet)
BLOCK counts blocks of the filter's blksz bytes (attach --set blksz=4096).
The list starts empty and disabled, as dm-dust does.

Examples:
  dmfilter attach dust /dev/sdb --set blksz=4096
  dmfilter dust /dev/sdb add 60
  dmfilter dust /dev/sdb add 61 3
  dmfilter dust /dev/sdb enable
  dmfilter dust /dev/sdb list --json | jq '.blocks[].block')",
            setup_dust},
    Command{"remap", "Redirect every bio of a device to a device-mapper device built on it",
            R"(Usage:
  dmfilter remap start DMDEV DEV   from now on DEV's bios go to DMDEV
  dmfilter remap stop DEV          DEV's bios go to DEV again
  dmfilter remap list [--json]     the remapped devices and their counters

DMDEV must be a device-mapper device of DEV's size built on DEV through the
dmfilter-linear target ('dmfilter-linear DEV 0' in its own table, or in the
table of a DM device its table uses: snapshot-origin, verity, delay, ...).
The module opens DEV without an exclusive claim, so DEV may be mounted.
Start and stop freeze DEV's file system for a moment (bdev_freeze); stop
returns once the bios in flight through DMDEV are done. While remapped,
DMDEV cannot be removed. Filters attached to DEV see its bios before they
are redirected.

Examples:
  echo "0 $(blockdev --getsz /dev/sdb1) dmfilter-linear /dev/sdb1 0" | dmsetup create base
  echo "0 $(blockdev --getsz /dev/sdb1) delay /dev/mapper/base 0 20" | dmsetup create slow
  dmfilter remap start /dev/mapper/slow /dev/sdb1
  dmfilter remap stop /dev/sdb1 && dmsetup remove slow && dmsetup remove base)",
            setup_remap},
    Command{"snapshot",
            "Point-in-time snapshots of a device, mounted or not (dm-snapshot via remap)",
            R"(Usage:
  dmfilter snapshot create DEV --cow COWDEV [--chunk N] [--json]
  dmfilter snapshot status DEV [--json]
  dmfilter snapshot remove DEV

create builds dmfilter-NAME-base (dmfilter-linear on DEV), -origin
(snapshot-origin on the base) and -snap (a read-only, persistent
dm-snapshot of the base, its changes kept on COWDEV); DEV's bios go to the
origin from then on, so every write first copies what it overwrites to
COWDEV. If DEV is mounted, its file system is frozen while the snapshot is
made, so the snapshot is clean. The snapshot is /dev/mapper/dmfilter-NAME-snap.
When COWDEV fills up the snapshot becomes invalid (state in status); DEV
is unaffected. remove refuses while the snapshot is in use (mounted).

Examples:
  dmfilter snapshot create /dev/sda2 --cow /dev/sdc
  mount -o ro /dev/mapper/dmfilter-sda2-snap /mnt/backup
  dmfilter snapshot status /dev/sda2 --json | jq .cow_used_sectors
  umount /mnt/backup && dmfilter snapshot remove /dev/sda2)",
            setup_snapshot},
    Command{"dm", "Put any device-mapper table in front of a device, mounted or not",
            R"(Usage:
  dmfilter dm DEV -- TARGET ARGS...    (the word DEV in ARGS is the device)
  dmfilter dm DEV --remove

Builds dmfilter-NAME-base (dmfilter-linear on DEV) and dmfilter-NAME from
the one-line table 'TARGET ARGS' covering all of DEV, with DEV replaced by
the base, and remaps DEV to it. --remove stops the remap and removes both.

Examples:
  dmfilter dm /dev/sdb1 -- delay DEV 0 50                 # dm-delay, 50 ms
  dmfilter dm /dev/sdb1 -- flakey DEV 0 5 5               # dm-flakey
  dmfilter dm /dev/sdb1 -- verity 1 DEV /dev/sdc 4096 4096 $BLOCKS 1 sha256 $ROOT $SALT
  dmfilter dm /dev/sdb1 --remove)",
            setup_dm},
};

} // namespace

void add_commands(CLI::App &app)
{
    for (const Command &c : kCommands) {
        CLI::App *cmd = app.add_subcommand(c.name, c.summary);
        cmd->footer(std::string("\n") + c.footer);
        c.setup(*cmd);
    }
}

} // namespace dmfilter::cli
