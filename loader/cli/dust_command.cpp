// dust_command.cpp - 'dmfilter dust DEV ACTION ...': dm-dust's messages for
// an attached dust filter (addbadblock -> add, listbadblocks -> list, ...).
#include <charconv>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "dmfilter/attachments.hpp"
#include "dmfilter/dust.hpp"
#include "dmfilter/render.hpp"
#include "failure.hpp"

namespace dmfilter::cli
{

namespace
{

using Json = nlohmann::ordered_json;

struct DustArgs {
    std::string device;
    std::string action;
    std::vector<std::string> args;
    std::string name = "dust";
    bool json = false;
};

// What each action takes after it: how many numbers, at least and at most.
struct Action {
    std::string_view name;
    std::size_t min_args, max_args;
    std::string_view usage;
};
constexpr Action kActions[] = {
    {"add", 1, 2, "add BLOCK [WRITE_FAILS]"},
    {"remove", 1, 1, "remove BLOCK"},
    {"query", 1, 1, "query BLOCK"},
    {"list", 0, 0, "list"},
    {"count", 0, 0, "count"},
    {"clear", 0, 0, "clear"},
    {"enable", 0, 0, "enable"},
    {"disable", 0, 0, "disable"},
    {"quiet", 0, 0, "quiet"},
};

const Action &action_of(const DustArgs &a)
{
    for (const Action &act : kActions)
        if (act.name == a.action) {
            if (a.args.size() < act.min_args || a.args.size() > act.max_args)
                throw CLI::ValidationError("dust " + std::string(act.name),
                                           "usage: dmfilter dust DEV " + std::string(act.usage));
            return act;
        }
    throw CLI::ValidationError("ACTION", "unknown action '" + a.action + "'");
}

std::uint64_t number(const std::string &text, std::string_view what, std::uint64_t max)
{
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n > max)
        throw CLI::ValidationError(std::string(what),
                                   fmt::format("'{}' is not a number from 0 to {}", text, max));
    return n;
}

Json block_json(const BadBlock &b)
{
    return Json{{"block", b.block}, {"write_fails", b.write_fails}};
}

// The object 'list', 'count' and 'query' print with --json.
Json summary_json(const DustArgs &a, const DustMap &map, std::size_t count)
{
    return Json{{"version", kJsonVersion}, {"device", a.device},       {"filter", a.name},
                {"blksz", map.blksz()},    {"enabled", map.enabled()}, {"quiet", map.quiet()},
                {"count", count}};
}

void print_json(const Json &j)
{
    fmt::print("{}\n", j.dump(2));
}

// Set one live knob of the dust attachment ('enabled', 'quiet').
void set_one(DevId dev, const DustArgs &a, const char *knob, bool on)
{
    Assignment set{knob, on ? "true" : "false"};
    if (auto st = set_knobs(dev, a.device, a.name, std::span(&set, 1)); !st)
        throw Failure(st.error());
}

void run(const DustArgs &a)
{
    const Action &act = action_of(a);
    DevId dev = must(device_arg(a.device));
    if (act.name == "enable" || act.name == "disable") {
        set_one(dev, a, "enabled", act.name == "enable");
        fmt::print("{}: bad blocks {}\n", a.device,
                   act.name == "enable" ? "fail reads (enabled)" : "bypassed (disabled)");
        return;
    }
    DustMap map = must(DustMap::open(dev, a.device, a.name));
    if (act.name == "quiet") {
        set_one(dev, a, "quiet", !map.quiet());
        fmt::print("{}: {}\n", a.device,
                   map.quiet() ? "verbose (healed blocks are logged)"
                               : "quiet (healed blocks are not logged)");
        return;
    }
    auto block = [&] { return number(a.args.at(0), "BLOCK", UINT64_MAX); };
    if (act.name == "add") {
        std::uint64_t fails = a.args.size() > 1 ? number(a.args[1], "WRITE_FAILS", 255) : 0;
        std::uint64_t b = block();
        if (auto st = map.add(b, fails); !st)
            throw Failure(st.error());
        fmt::print("{}: block {} added{}\n", a.device, b,
                   fails ? fmt::format(", fails {} write(s) before it heals", fails) : "");
    } else if (act.name == "remove") {
        std::uint64_t b = block();
        if (auto st = map.remove(b); !st)
            throw Failure(st.error());
        fmt::print("{}: block {} removed\n", a.device, b);
    } else if (act.name == "query") {
        std::uint64_t b = block();
        auto found = must(map.query(b));
        if (a.json) {
            Json j = summary_json(a, map, found ? 1 : 0);
            j["blocks"] = Json::array();
            if (found)
                j["blocks"].push_back(block_json(*found));
            print_json(j);
        } else {
            fmt::print("{}: block {} is {}\n", a.device, b, found ? "bad" : "not bad");
        }
    } else if (act.name == "list" || act.name == "count") {
        auto blocks = must(map.list());
        bool listing = act.name == "list";
        if (a.json) {
            Json j = summary_json(a, map, blocks.size());
            if (listing) {
                j["blocks"] = Json::array();
                for (const BadBlock &b : blocks)
                    j["blocks"].push_back(block_json(b));
            }
            print_json(j);
        } else if (!listing) {
            fmt::print("{}: {} bad block(s)\n", a.device, blocks.size());
        } else if (blocks.empty()) {
            fmt::print("{}: no bad blocks\n", a.device);
        } else {
            for (const BadBlock &b : blocks)
                fmt::print("{}{}\n", b.block,
                           b.write_fails ? fmt::format(" (fails {} more write(s))", b.write_fails)
                                         : "");
        }
    } else if (act.name == "clear") {
        std::size_t n = must(map.clear());
        fmt::print("{}: {}\n", a.device,
                   n ? fmt::format("{} bad block(s) cleared", n) : "no bad blocks to clear");
    }
}

} // namespace

void setup_dust(CLI::App &cmd)
{
    auto a = std::make_shared<DustArgs>();
    cmd.add_option("DEV", a->device, "the device the dust filter is attached to")->required();
    cmd.add_option("ACTION", a->action,
                   "add, remove, query, list, count, clear, enable, disable or quiet")
        ->required();
    cmd.add_option("ARGS", a->args, "BLOCK [WRITE_FAILS] for add; BLOCK for remove and query");
    cmd.add_option("-n,--name", a->name, "the dust attachment's name (default: dust)")
        ->type_name("NAME");
    cmd.add_flag("-j,--json", a->json, "list, count, query: print JSON (schema in docs/cli.md)");
    cmd.callback([a] { run(*a); });
}

} // namespace dmfilter::cli
