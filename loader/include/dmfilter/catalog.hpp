// catalog.hpp - the shipped filters: every NAME.bpf.o in the filter
// directories (the first directory holding a name wins), with its knobs
// and the text it carries about them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dmfilter/filter_docs.hpp"
#include "dmfilter/knobs.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

struct FilterSummary {
    std::string name; // file name without .bpf.o
    std::filesystem::path path;
    std::vector<Knob> knobs;
    std::string problem; // non-empty: the object could not be read
    FilterDocs docs;     // DMF_DOC / DMF_KNOB_DOC text, when it has any
};

std::vector<FilterSummary> shipped_filters(const std::vector<std::filesystem::path> &dirs);

} // namespace dmfilter
