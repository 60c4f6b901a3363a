// filter_docs.hpp - the text a filter carries about itself (DMF_DOC and
// DMF_KNOB_DOC in bpf/dmfilter.bpf.h), read from its .dmfilter.doc ELF
// section for 'dmfilter filters'.
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>

#include "dmfilter/result.hpp"

namespace dmfilter
{

struct FilterDocs {
    std::string summary;                      // what the filter does
    std::map<std::string, std::string> knobs; // knob name -> meaning
};

// Parse a .dmfilter.doc section: "name\0text\0" pairs, "*" names the
// summary; runs of NULs between pairs are skipped.
FilterDocs parse_filter_docs(std::span<const char> section);

// The docs of the object at 'path'; empty when it has none.
Result<FilterDocs> read_filter_docs(const std::filesystem::path &path);

} // namespace dmfilter
