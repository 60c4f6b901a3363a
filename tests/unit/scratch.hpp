// scratch.hpp - test helpers: an environment variable set for one scope,
// and files made in a scratch directory.
#pragma once

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "dmfilter/filter_file.hpp"

namespace scratch
{

class ScopedEnv
{
public:
    ScopedEnv(const char *name, const std::string &value) : name_(name)
    {
        if (const char *old = std::getenv(name))
            old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv()
    {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }

private:
    const char *name_;
    std::optional<std::string> old_;
};

inline dmfilter::TempDir temp_dir()
{
    auto dir = dmfilter::TempDir::create();
    if (!dir)
        throw std::runtime_error(dir.error().message);
    return std::move(*dir);
}

inline dmfilter::fs::path write_file(const dmfilter::fs::path &path, const std::string &text = {})
{
    dmfilter::fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path;
}

} // namespace scratch
