// reap_test.cpp - which pinned filters are stale: those the kernel's list
// no longer has (their disk was removed), matched by device and name.
#include <catch2/catch_test_macros.hpp>

#include "dmfilter/attach.hpp"

using namespace dmfilter;

TEST_CASE("a pin without a kernel filter of that device and name is stale", "[reap]")
{
    std::vector<PinnedAttachment> pinned{
        {{253, 0}, "delay", "/sys/fs/bpf/dmfilter/253:0/delay"},
        {{253, 0}, "pass", "/sys/fs/bpf/dmfilter/253:0/pass"},
        {{253, 1}, "delay", "/sys/fs/bpf/dmfilter/253:1/delay"},
    };
    std::vector<FilterInfo> kernel(2);
    kernel[0].dev = {253, 0};
    kernel[0].name = "pass";
    kernel[1].dev = {253, 2};
    kernel[1].name = "delay";
    auto stale = without_filter(pinned, kernel);
    REQUIRE(stale.size() == 2);
    CHECK(stale[0].name == "delay");
    CHECK(stale[0].dev == DevId{253, 0});
    CHECK(stale[1].dev == DevId{253, 1});
}

TEST_CASE("nothing is stale when the kernel runs every pinned filter", "[reap]")
{
    std::vector<FilterInfo> kernel(1);
    kernel[0].dev = {8, 1};
    kernel[0].name = "delay";
    CHECK(without_filter({{{8, 1}, "delay", "/x"}}, kernel).empty());
}
