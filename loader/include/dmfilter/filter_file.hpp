// filter_file.hpp - what a FILTER argument names: a shipped filter (looked
// up by name in the filter directories), a .bpf.o, or a .bpf.c that is
// compiled with clang against the SDK.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dmfilter/result.hpp"

namespace dmfilter
{

namespace fs = std::filesystem;

enum class FilterKind { object, source };

struct FilterFile {
    fs::path path;
    FilterKind kind;
};

// Where shipped filters live, in lookup order: $DMFILTER_FILTER_DIR (when
// set), <exe_dir>/../filters, /usr/local/lib/dmfilter/filters.
std::vector<fs::path> filter_dirs(const fs::path &exe_dir);

// The directory of the running executable (/proc/self/exe).
fs::path exe_dir();

Result<FilterFile> resolve_filter(const std::string &arg, const std::vector<fs::path> &dirs);

// A directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir
{
public:
    static Result<TempDir> create();
    TempDir(TempDir &&o) noexcept;
    TempDir &operator=(TempDir &&) = delete;
    ~TempDir();
    const fs::path &path() const { return path_; }

private:
    explicit TempDir(fs::path path) : path_(std::move(path)) {}
    fs::path path_;
};

// The SDK: $DMFILTER_SDK_DIR, else the source tree the loader was built from.
fs::path sdk_dir();

// Compile 'source' into 'out_dir'/<stem>.o with clang (stderr shown as is).
Result<fs::path> compile_filter(const fs::path &source, const fs::path &out_dir);

} // namespace dmfilter
