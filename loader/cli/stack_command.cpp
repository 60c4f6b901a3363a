// stack_command.cpp - 'dmfilter snapshot create|remove|status' and
// 'dmfilter dm DEV -- TABLE': DM stacks built on a device and remapped
// onto it (loader/lib/stack.cpp).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "dmfilter/render.hpp"
#include "dmfilter/stack.hpp"
#include "failure.hpp"

namespace dmfilter::cli
{

namespace
{

using Json = nlohmann::ordered_json;

void print_snapshot(const SnapshotInfo &s, bool json)
{
    if (json) {
        fmt::print("{}\n", Json{{"version", kJsonVersion},
                                {"device", s.device},
                                {"snapshot", s.snapshot},
                                {"origin", s.origin},
                                {"cow", s.cow},
                                {"state", s.state},
                                {"cow_used_sectors", s.cow_used_sectors},
                                {"cow_total_sectors", s.cow_total_sectors},
                                {"metadata_sectors", s.metadata_sectors}}
                               .dump(2));
        return;
    }
    double pct = s.cow_total_sectors ? 100.0 * s.cow_used_sectors / s.cow_total_sectors : 0;
    fmt::print("device:   {}\nsnapshot: {} (read-only)\norigin:   {}\ncow:      {}\n"
               "state:    {}\nused:     {} of {} sectors ({:.1f}%), metadata {}\n",
               s.device, s.snapshot, s.origin, s.cow, s.state, s.cow_used_sectors,
               s.cow_total_sectors, pct, s.metadata_sectors);
}

void setup_snapshot_create(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    auto cow = std::make_shared<std::string>();
    auto chunk = std::make_shared<std::uint32_t>(8);
    auto json = std::make_shared<bool>(false);
    cmd.add_option("DEV", *device, "the device to snapshot; it may be mounted")->required();
    cmd.add_option("-c,--cow", *cow, "the device that keeps the snapshot's changes")
        ->required()
        ->type_name("COWDEV");
    cmd.add_option("--chunk", *chunk, "COW chunk size in 512-byte sectors (a power of 2)")
        ->check(CLI::Range(1u, 1u << 20))
        ->type_name("N");
    cmd.add_flag("-j,--json", *json, "print the result as 'snapshot status --json' does");
    cmd.callback([=] {
        SnapshotRequest req{must(block_device(*device)), *device, must(block_device(*cow)), *chunk};
        if (*chunk & (*chunk - 1))
            throw CLI::ValidationError("--chunk", "must be a power of 2");
        print_snapshot(must(snapshot_create(req)), *json);
    });
}

void setup_snapshot_remove(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    cmd.add_option("DEV", *device, "the device whose snapshot goes (or MAJ:MIN)")->required();
    cmd.callback([device] {
        if (auto st = snapshot_remove(must(device_arg(*device)), *device); !st)
            throw Failure(st.error());
        fmt::print("removed the snapshot of {}\n", *device);
    });
}

void setup_snapshot_status(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd.add_option("DEV", *device, "the device (or MAJ:MIN)")->required();
    cmd.add_flag("-j,--json", *json, "print JSON (schema in docs/cli.md)");
    cmd.callback([device, json] {
        print_snapshot(must(snapshot_status(must(device_arg(*device)), *device)), *json);
    });
}

} // namespace

void setup_snapshot(CLI::App &cmd)
{
    cmd.require_subcommand(1, 1);
    setup_snapshot_create(
        *cmd.add_subcommand("create", "Take a point-in-time, read-only snapshot of DEV"));
    setup_snapshot_remove(
        *cmd.add_subcommand("remove", "Remove DEV's snapshot and send its bios to it again"));
    setup_snapshot_status(*cmd.add_subcommand("status", "Show DEV's snapshot and its COW use"));
}

void setup_dm(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    auto words = std::make_shared<std::vector<std::string>>();
    auto remove = std::make_shared<bool>(false);
    auto read_only = std::make_shared<bool>(false);
    cmd.add_option("DEV", *device, "the device (or MAJ:MIN with --remove)")->required();
    auto table = cmd.add_option("TABLE", *words,
                                "after --: one DM table line without start and length; the "
                                "word DEV stands for the device");
    cmd.add_flag("-r,--remove", *remove, "stop the remap and remove the stack")->excludes(table);
    cmd.add_flag("--read-only", *read_only,
                 "a read-only table (verity always is): DEV's writes fail with EIO");
    cmd.callback([device, words, remove, read_only] {
        if (*remove) {
            if (auto st = dm_stack_remove(must(device_arg(*device)), *device); !st)
                throw Failure(st.error());
            fmt::print("removed the dm stack of {}\n", *device);
            return;
        }
        if (words->empty())
            throw CLI::RequiredError("TABLE (after --) or --remove");
        std::string top =
            must(dm_stack_create(must(block_device(*device)), *device, *words, *read_only));
        fmt::print("{} now goes through {}\n", *device, top);
    });
}

} // namespace dmfilter::cli
