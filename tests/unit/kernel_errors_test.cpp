// kernel_errors_test.cpp - kernel errnos explained in the user's terms.
#include <catch2/catch_test_macros.hpp>

#include <cerrno>

#include "dmfilter/kernel_errors.hpp"

using namespace dmfilter;

TEST_CASE("a struct_ops type the kernel lacks means the module is not loaded", "[errors]")
{
    for (int err : {ENOENT, EOPNOTSUPP}) {
        Error e = kernel_error(err, {Step::load, "delay", "/dev/sda1"});
        CHECK(e.message == "the dmfilter module is not loaded");
        CHECK(e.hint.find("modprobe dmfilter") != std::string::npos);
    }
}

TEST_CASE("EEXIST names the filter and device and suggests --name", "[errors]")
{
    Error e = kernel_error(EEXIST, {Step::attach, "delay", "/dev/sda1"});
    CHECK(e.message == "a filter named 'delay' is already attached to /dev/sda1");
    CHECK(e.hint.find("--name") != std::string::npos);
}

TEST_CASE("EPERM asks for root", "[errors]")
{
    CHECK(kernel_error(EPERM, {Step::attach, "x", "/dev/x"}).message.find("CAP_SYS_ADMIN") !=
          std::string::npos);
}

TEST_CASE("other errors say which step failed on what", "[errors]")
{
    Error e = kernel_error(EBUSY, {Step::detach, "delay", "/dev/sda1"});
    CHECK(e.message == "cannot detach 'delay' from /dev/sda1: Device or resource busy");
}
