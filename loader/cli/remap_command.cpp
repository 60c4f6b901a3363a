// remap_command.cpp - 'dmfilter remap start|stop|list': redirect every bio
// of a device to a device-mapper device built on it (kmod/remap.c).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "dmfilter/control.hpp"
#include "dmfilter/render.hpp"
#include "failure.hpp"

namespace dmfilter::cli
{

namespace
{

using Json = nlohmann::ordered_json;

void setup_start(CLI::App &cmd)
{
    auto dm = std::make_shared<std::string>();
    auto device = std::make_shared<std::string>();
    cmd.add_option("DMDEV", *dm,
                   "the DM device to send DEV's bios to, e.g. /dev/mapper/snap-origin")
        ->required();
    cmd.add_option("DEV", *device, "the device whose bios are redirected, e.g. /dev/sda1")
        ->required();
    cmd.callback([dm, device] {
        RemapRequest req{must(block_device(*device)), must(block_device(*dm)), *device, *dm};
        if (auto st = remap_start(req); !st)
            throw Failure(st.error());
        fmt::print("remapped {} ({}) to {} ({})\n", *device, to_string(req.dev), *dm,
                   to_string(req.dm));
    });
}

void setup_stop(CLI::App &cmd)
{
    auto device = std::make_shared<std::string>();
    cmd.add_option("DEV", *device, "the remapped device (or MAJ:MIN)")->required();
    cmd.callback([device] {
        DevId dev = must(device_arg(*device));
        if (auto st = remap_stop(dev, *device); !st)
            throw Failure(st.error());
        fmt::print("stopped the remap of {}\n", *device);
    });
}

void setup_list(CLI::App &cmd)
{
    auto json = std::make_shared<bool>(false);
    cmd.add_flag("-j,--json", *json, "print JSON (schema in docs/cli.md)");
    cmd.callback([json] {
        auto remaps = must(list_remaps());
        fmt::print("{}", *json ? render_json(remaps) : render_text(remaps));
    });
}

} // namespace

void setup_remap(CLI::App &cmd)
{
    cmd.require_subcommand(1, 1);
    setup_start(*cmd.add_subcommand("start", "Send every bio of DEV to DMDEV from now on"));
    setup_stop(*cmd.add_subcommand("stop", "Send DEV's bios to DEV again"));
    setup_list(*cmd.add_subcommand("list", "List the remapped devices"));
}

} // namespace dmfilter::cli
