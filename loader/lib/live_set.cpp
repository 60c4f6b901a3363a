// live_set.cpp - 'dmfilter set': patch knobs in the pinned .data/.bss maps
// of a running filter (read the value, change the variables, write it back).
#include <fmt/format.h>

#include "dmfilter/attachments.hpp"
#include "dmfilter/filter_object.hpp"
#include "dmfilter/pinned_map.hpp"
#include "dmfilter/pins.hpp"

namespace dmfilter
{

Status set_knobs(DevId dev, const std::string &device, const std::string &name,
                 std::span<const Assignment> assignments)
{
    if (auto st = check_attachment_name(name); !st)
        return st;
    fs::path dir = pin_dir(dev, name);
    std::error_code ec;
    if (!fs::exists(dir, ec))
        return Error{fmt::format("no filter named '{}' is attached to {}", name, device),
                     "'dmfilter list' shows what is attached"};
    auto maps = open_pinned_maps(dir);
    if (!maps)
        return maps.error();
    std::vector<Knob> knobs;
    for (const PinnedMap &map : *maps)
        knobs.insert(knobs.end(), map.knobs().begin(), map.knobs().end());
    auto writes = resolve_assignments(name, knobs, assignments);
    if (!writes)
        return writes.error();
    for (const KnobWrite &w : *writes)
        if (!section_info(w.knob->section).live)
            return Error{fmt::format("knob {} is load-time only (const volatile)", w.knob->name),
                         fmt::format("detach and attach with --set {}=...", w.knob->name)};
    for (const PinnedMap &map : *maps)
        if (auto st = map.apply(*writes); !st)
            return st;
    return ok();
}

} // namespace dmfilter
