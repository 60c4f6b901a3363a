// result.hpp - the error type the library returns instead of throwing:
// a message that names the object, and an optional hint saying what to do.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace dmfilter
{

struct Error {
    Error(std::string message, std::string hint = {})
        : message(std::move(message)), hint(std::move(hint))
    {
    }
    std::string message;
    std::string hint; // empty: no hint line
};

// Error from a failed system call: "<what>: <strerror(err)>".
Error sys_error(const std::string &what, int err);

// A value or an Error, in the spirit of std::expected (not in GCC 12).
template <class T> class [[nodiscard]] Result
{
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    explicit operator bool() const { return v_.index() == 0; }
    T &operator*() { return std::get<0>(v_); }
    const T &operator*() const { return std::get<0>(v_); }
    T *operator->() { return &std::get<0>(v_); }
    const T *operator->() const { return &std::get<0>(v_); }
    const Error &error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

using Status = Result<std::monostate>;
inline Status ok()
{
    return std::monostate{};
}

} // namespace dmfilter
