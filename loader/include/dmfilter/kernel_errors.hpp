// kernel_errors.hpp - turning the errno of a failed kernel step into a
// message that names the filter and device, with a hint. Used by the library; public for its tests.
#pragma once

#include <string_view>

#include "dmfilter/result.hpp"

namespace dmfilter
{

enum class Step { load, attach, detach, list, remap_start, remap_stop, pin };

struct KernelContext {
    Step step;
    std::string_view filter; // attachment name; for remap_start, the DM device
    std::string_view device; // as the user gave it
};

// 'err' is a positive errno.
Error kernel_error(int err, const KernelContext &ctx);

} // namespace dmfilter
