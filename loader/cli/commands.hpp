// commands.hpp - the dmfilter subcommands, each an entry of one table in
// commands.cpp: its options, help text and the library call it makes.
#pragma once

#include <CLI/CLI.hpp>

namespace dmfilter::cli
{

void add_commands(CLI::App &app);

// dust_command.cpp
void setup_dust(CLI::App &cmd);

// remap_command.cpp
void setup_remap(CLI::App &cmd);

// stack_command.cpp
void setup_snapshot(CLI::App &cmd);
void setup_dm(CLI::App &cmd);

} // namespace dmfilter::cli
