// render.hpp - text and JSON forms of what list, status and filters show.
// The JSON schemas are versioned ("version": 1) and documented in
// docs/cli.md.
#pragma once

#include <span>
#include <string>

#include "dmfilter/attachments.hpp"
#include "dmfilter/catalog.hpp"

namespace dmfilter
{

inline constexpr int kJsonVersion = 1;

std::string render_text(const Listing &listing);
std::string render_json(const Listing &listing);

std::string render_text(std::span<const FilterSummary> filters);
std::string render_json(std::span<const FilterSummary> filters);

std::string render_text(std::span<const RemapInfo> remaps);
std::string render_json(std::span<const RemapInfo> remaps);

} // namespace dmfilter
