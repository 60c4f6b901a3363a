// result.cpp - building Errors from errno values.
#include "dmfilter/result.hpp"

#include <cstring>
#include <fmt/format.h>

namespace dmfilter
{

Error sys_error(const std::string &what, int err)
{
    return Error{fmt::format("{}: {}", what, std::strerror(err))};
}

} // namespace dmfilter
