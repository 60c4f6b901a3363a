// main.cpp - the dmfilter command: global options, and the one place that
// prints errors ("dmfilter: error:", "hint:") and picks the exit status:
// 0 done, 1 the operation failed, 2 the command line was wrong.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/format.h>

#include "commands.hpp"
#include "dmfilter/log.hpp"
#include "failure.hpp"

namespace
{

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int report(const dmfilter::Error &error)
{
    std::string log = dmfilter::take_libbpf_log();
    if (!log.empty())
        fmt::print(stderr, "{}", log);
    fmt::print(stderr, "dmfilter: error: {}\n", error.message);
    if (!error.hint.empty())
        fmt::print(stderr, "hint: {}\n", error.hint);
    return kExitFailure;
}

} // namespace

int main(int argc, char **argv)
{
    CLI::App app{"dmfilter: run BPF filters on the bios of any block device", "dmfilter"};
    app.footer("\nEach command has its own --help. Exit status: 0 done, 1 failed, 2 usage error.\n"
               "See docs/cli.md for the JSON schemas and the pin layout.");
    app.require_subcommand(1);
    app.fallthrough();
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "print libbpf's log as it comes (debug included)");
    app.parse_complete_callback([&verbose] { dmfilter::capture_libbpf_log(verbose); });
    dmfilter::cli::add_commands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        // --help and --version: CLI11 prints them.
        if (e.get_exit_code() == 0)
            return app.exit(e);
        fmt::print(stderr, "dmfilter: error: {}\nhint: 'dmfilter --help' and 'dmfilter COMMAND --help' "
                           "show the usage\n",
                   e.what());
        return kExitUsage;
    } catch (const dmfilter::cli::Failure &f) {
        return report(f.error());
    }
    return 0;
}
