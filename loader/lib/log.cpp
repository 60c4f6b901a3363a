// log.cpp - the libbpf print callback and its buffer. The loader is
// single-threaded, so the buffer needs no lock.
#include "dmfilter/log.hpp"

#include <bpf/libbpf.h>
#include <cstdarg>
#include <cstdio>
#include <utility>

namespace dmfilter
{

namespace
{

bool g_verbose = false;
std::string g_buffer;

int print(enum libbpf_print_level level, const char *format, va_list args)
{
    if (g_verbose)
        return std::vfprintf(stderr, format, args);
    if (level == LIBBPF_DEBUG)
        return 0;
    va_list sizing;
    va_copy(sizing, args);
    int n = std::vsnprintf(nullptr, 0, format, sizing);
    va_end(sizing);
    if (n <= 0)
        return n;
    std::size_t old = g_buffer.size();
    g_buffer.resize(old + n + 1);
    std::vsnprintf(g_buffer.data() + old, n + 1, format, args);
    g_buffer.resize(old + n);
    return n;
}

} // namespace

void capture_libbpf_log(bool verbose)
{
    g_verbose = verbose;
    libbpf_set_print(print);
}

std::string take_libbpf_log()
{
    return std::exchange(g_buffer, {});
}

} // namespace dmfilter
