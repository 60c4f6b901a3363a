// filter_object.hpp - an opened (not yet loaded) filter .bpf.o: its
// dmfilter_ops struct_ops map and its knobs, all patched through BTF
// before load.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmfilter/device.hpp"
#include "dmfilter/fd.hpp"
#include "dmfilter/knobs.hpp"
#include "dmfilter/result.hpp"

struct bpf_map;

namespace dmfilter
{

// The name every attachment has: unique per device, a pin directory name.
Status check_attachment_name(std::string_view name);

class FilterObject
{
public:
    static Result<FilterObject> open(const std::filesystem::path &path);

    const std::filesystem::path &path() const { return path_; }
    // The ops name the object set (.name in DMFILTER_OPS), or its new one.
    std::string name() const;
    std::span<const Knob> knobs() const { return knobs_; }

    Status set_device(DevId dev);
    Status set_name(std::string_view name);
    Status set_knobs(std::span<const Assignment> assignments);
    // Sets the SDK's dmf_attach_ns, if the filter has it (CLOCK_MONOTONIC,
    // the clock of dmfilter_bio.submit_ns).
    void set_attach_time(std::uint64_t monotonic_ns);

    // Initial values as load will write them; empty if the object has none.
    std::span<const std::uint8_t> ops_value() const;
    std::span<const std::uint8_t> section_value(Section section) const;

    bpf_object *object() const { return obj_.get(); }
    bpf_map *ops_map() const { return ops_; }
    bpf_map *section_map(Section section) const { return maps_[static_cast<std::size_t>(section)]; }

private:
    struct Member {
        std::uint32_t offset = 0;
        std::uint32_t size = 0;
    };
    FilterObject() = default;
    Status find_ops();
    void find_sections();
    std::span<std::uint8_t> writable(bpf_map *map) const;

    std::filesystem::path path_;
    BpfObjectPtr obj_;
    bpf_map *ops_ = nullptr;
    Member dev_, name_;
    std::array<bpf_map *, 3> maps_{};
    std::vector<Knob> knobs_;
    std::vector<Knob> sdk_vars_;
};

} // namespace dmfilter
