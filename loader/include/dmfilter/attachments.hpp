// attachments.hpp - what 'list' and 'status' show: the kernel's list of
// attached filters, joined with the pins for each filter's knobs, and
// 'set', the live change of those knobs.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dmfilter/control.hpp"
#include "dmfilter/hook_state.hpp"
#include "dmfilter/knobs.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

struct Attachment {
    std::string device; // /dev/NAME
    FilterInfo info;
    std::vector<KnobValue> knobs; // empty when the filter has no pins here
};

// What list and status show.
struct Listing {
    std::vector<Attachment> attached;
    std::vector<RemapInfo> remaps;
    std::optional<HookState> hook;
};

// All attachments and remaps, or those of one device, and the hook's state.
Result<Listing> attachments(std::optional<DevId> only = std::nullopt);

// Change live knobs of the filter 'name' on 'dev' through its pinned maps.
Status set_knobs(DevId dev, const std::string &device, const std::string &name,
                 std::span<const Assignment> assignments);

} // namespace dmfilter
