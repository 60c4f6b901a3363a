// pinned_map.hpp - a filter's pinned .data/.bss/.rodata map, its knobs
// decoded with the BTF the kernel holds for it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "dmfilter/fd.hpp"
#include "dmfilter/knobs.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

class PinnedMap
{
public:
    static Result<PinnedMap> open(const std::filesystem::path &pin, Section section);

    Section section() const { return section_; }
    std::span<const Knob> knobs() const { return knobs_; }
    Result<std::vector<std::uint8_t>> read() const;
    // Write the knobs of this map among 'writes', leaving the other bytes
    // alone: in place through mmap (libbpf makes data maps mmapable), so
    // counters the program bumps meanwhile are not rolled back.
    Status apply(std::span<const KnobWrite> writes) const;

private:
    PinnedMap() = default;
    UniqueFd fd_;
    Section section_ = Section::data;
    std::uint32_t value_size_ = 0;
    std::uint32_t map_flags_ = 0;
    std::vector<Knob> knobs_;
};

// The pinned maps of one pin directory (those that exist).
Result<std::vector<PinnedMap>> open_pinned_maps(const std::filesystem::path &dir);

// Every knob of those maps with its current value.
Result<std::vector<KnobValue>> read_knobs(std::span<const PinnedMap> maps);

} // namespace dmfilter
