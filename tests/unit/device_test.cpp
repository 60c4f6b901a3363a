// device_test.cpp - dev_t encoding and DEV arguments.
#include <catch2/catch_test_macros.hpp>

#include "dmfilter/device.hpp"

using namespace dmfilter;

TEST_CASE("the kernel dev_t is major << 20 | minor", "[device]")
{
    CHECK(kernel_dev({8, 1}) == (8u << 20 | 1u));
    CHECK(kernel_dev({254, 0}) == 0x0fe00000u);
    CHECK(from_kernel_dev(0x0fe00003u) == DevId{254, 3});
    DevId big{4095, (1u << 20) - 1};
    CHECK(from_kernel_dev(kernel_dev(big)) == big);
}

TEST_CASE("MAJ:MIN parses and prints back the same", "[device]")
{
    auto dev = parse_dev("259:12");
    REQUIRE(dev);
    CHECK(*dev == DevId{259, 12});
    CHECK(to_string(*dev) == "259:12");
}

TEST_CASE("malformed or out-of-range MAJ:MIN is refused", "[device]")
{
    for (const char *text : {"", "8", "8:", ":1", "8:1x", "a:b", "-1:0", "4096:0", "0:1048576"})
        CHECK_FALSE(parse_dev(text));
}

TEST_CASE("a DEV that is not a block device is refused with a hint", "[device]")
{
    auto r = block_device("/dev/null");
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "/dev/null is not a block device");
    CHECK_FALSE(r.error().hint.empty());
    auto missing = block_device("/dev/no-such-device");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("No such file") != std::string::npos);
}

TEST_CASE("a DEV argument may be MAJ:MIN for a device that is gone", "[device]")
{
    auto r = device_arg("8:1");
    REQUIRE(r);
    CHECK(*r == DevId{8, 1});
}
