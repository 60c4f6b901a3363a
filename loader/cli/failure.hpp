// failure.hpp - how the CLI turns a library Error into its exit path: an
// exception caught in main, which prints "error:" and "hint:" lines.
#pragma once

#include <exception>
#include <utility>

#include "dmfilter/result.hpp"

namespace dmfilter::cli
{

class Failure : public std::exception
{
public:
    explicit Failure(Error error) : error_(std::move(error)) {}
    const Error &error() const { return error_; }
    const char *what() const noexcept override { return error_.message.c_str(); }

private:
    Error error_;
};

template <class T> T must(Result<T> result)
{
    if (!result)
        throw Failure(result.error());
    return std::move(*result);
}

} // namespace dmfilter::cli
