// catalog.cpp - scanning the filter directories for 'dmfilter filters'.
#include "dmfilter/catalog.hpp"

#include <algorithm>

#include "dmfilter/filter_object.hpp"

namespace dmfilter
{

namespace
{

constexpr std::string_view kSuffix = ".bpf.o";

FilterSummary summarize(std::string name, const std::filesystem::path &path)
{
    FilterSummary summary{std::move(name), path, {}, {}, {}};
    auto object = FilterObject::open(path);
    if (!object) {
        summary.problem = object.error().message;
        return summary;
    }
    summary.knobs.assign(object->knobs().begin(), object->knobs().end());
    if (auto docs = read_filter_docs(path))
        summary.docs = std::move(*docs);
    return summary;
}

} // namespace

std::vector<FilterSummary> shipped_filters(const std::vector<std::filesystem::path> &dirs)
{
    std::vector<FilterSummary> found;
    for (const auto &dir : dirs) {
        std::error_code ec;
        std::vector<std::filesystem::path> files;
        for (const auto &entry : std::filesystem::directory_iterator(dir, ec))
            if (entry.path().filename().string().ends_with(kSuffix))
                files.push_back(entry.path());
        std::ranges::sort(files);
        for (const auto &file : files) {
            std::string filename = file.filename().string();
            std::string name = filename.substr(0, filename.size() - kSuffix.size());
            if (std::ranges::find(found, name, &FilterSummary::name) == found.end())
                found.push_back(summarize(name, file));
        }
    }
    std::ranges::sort(found, {}, &FilterSummary::name);
    return found;
}

} // namespace dmfilter
