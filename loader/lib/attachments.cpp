// attachments.cpp - the list/status join of the kernel's attachment list
// with the pinned knob maps, plus the kernel's list of remaps.
#include "dmfilter/attachments.hpp"

#include "dmfilter/filter_object.hpp"
#include "dmfilter/pinned_map.hpp"
#include "dmfilter/pins.hpp"

namespace dmfilter
{

Result<Listing> attachments(std::optional<DevId> only)
{
    auto infos = list_filters();
    if (!infos)
        return infos.error();
    auto remaps = list_remaps();
    if (!remaps)
        return remaps.error();
    Listing result{{}, {}, hook_state()};
    for (const RemapInfo &r : *remaps)
        if (!only || r.dev == *only)
            result.remaps.push_back(r);
    for (FilterInfo &info : *infos) {
        if (only && info.dev != *only)
            continue;
        std::vector<KnobValue> knobs;
        // A name no loader would pin (attached by other means) has no knobs.
        if (check_attachment_name(info.name)) {
            auto maps = open_pinned_maps(pin_dir(info.dev, info.name));
            if (!maps)
                return maps.error();
            auto values = read_knobs(*maps);
            if (!values)
                return values.error();
            knobs = std::move(*values);
        }
        std::string device = device_path(info.dev);
        result.attached.push_back({std::move(device), std::move(info), std::move(knobs)});
    }
    return result;
}

} // namespace dmfilter
