// log.hpp - libbpf's messages: buffered and shown only when something
// failed, or passed straight through with --verbose.
#pragma once

#include <string>

namespace dmfilter
{

// Install the libbpf print callback. Verbose: print everything (debug
// included) to stderr as it comes; otherwise buffer warnings and info.
void capture_libbpf_log(bool verbose);

// What was buffered since the last call (empty when verbose).
std::string take_libbpf_log();

} // namespace dmfilter
