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

TEST_CASE("EACCES on a pin or a detach asks for root; at load it is the verifier's", "[errors]")
{
    for (Step step : {Step::detach, Step::pin, Step::list})
        CHECK(kernel_error(EACCES, {step, "x", "/dev/x"}).message ==
              "this needs root (CAP_SYS_ADMIN)");
    CHECK(kernel_error(EACCES, {Step::load, "x", "/dev/x"}).message ==
          "the kernel rejected filter 'x'");
}

TEST_CASE("other errors say which step failed on what", "[errors]")
{
    Error e = kernel_error(EBUSY, {Step::detach, "delay", "/dev/sda1"});
    CHECK(e.message == "cannot detach 'delay' from /dev/sda1: Device or resource busy");
}

TEST_CASE("remap errors name both devices and say what to do", "[errors]")
{
    Error busy = kernel_error(EBUSY, {Step::remap_start, "/dev/dm-1", "/dev/sdb1"});
    CHECK(busy.message == "/dev/sdb1 is already remapped");
    CHECK(busy.hint == "dmfilter remap stop /dev/sdb1 first");
    Error refused = kernel_error(EINVAL, {Step::remap_start, "/dev/dm-1", "/dev/sdb1"});
    CHECK(refused.message.starts_with("the kernel refused to remap /dev/sdb1 to /dev/dm-1"));
    CHECK(refused.hint.find("dmesg") != std::string::npos);
    CHECK(kernel_error(ENOENT, {Step::remap_stop, {}, "/dev/sdb1"}).message ==
          "/dev/sdb1 is not remapped");
    CHECK(kernel_error(EIO, {Step::remap_stop, {}, "/dev/sdb1"}).message ==
          "cannot stop the remap of /dev/sdb1: Input/output error");
}
