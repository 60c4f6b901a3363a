// stack_test.cpp - the pure parts of the DM stacks: the user's table line
// and dm-snapshot's status.
#include <catch2/catch_test_macros.hpp>

#include "dmfilter/stack.hpp"

using namespace dmfilter;

TEST_CASE("a dm table line gets all of the device and the base for the word DEV", "[stack]")
{
    auto line = dm_line({"delay", "DEV", "0", "50"}, 2048, DevId{253, 4});
    REQUIRE(line);
    CHECK(line->start == 0);
    CHECK(line->length == 2048);
    CHECK(line->type == "delay");
    CHECK(line->params == "253:4 0 50");
    auto verity = dm_line({"verity", "1", "DEV", "/dev/sdc", "4096"}, 8, DevId{253, 0});
    REQUIRE(verity);
    CHECK(verity->params == "1 253:0 /dev/sdc 4096");
}

TEST_CASE("a dm table line without DEV or without a target is refused", "[stack]")
{
    auto no_dev = dm_line({"delay", "/dev/sdb1", "0", "50"}, 8, DevId{253, 0});
    REQUIRE_FALSE(no_dev);
    CHECK(no_dev.error().message == "the table does not use DEV, the device's base");
    CHECK_FALSE(dm_line({}, 8, DevId{253, 0}));
}

TEST_CASE("dm-snapshot's status: sectors used and total, or a state word", "[stack]")
{
    SnapshotInfo info;
    parse_snapshot_status("48/262144 16", info);
    CHECK(info.state == "active");
    CHECK(info.cow_used_sectors == 48);
    CHECK(info.cow_total_sectors == 262144);
    CHECK(info.metadata_sectors == 16);
    SnapshotInfo full;
    parse_snapshot_status("Invalid", full);
    CHECK(full.state == "invalid");
    CHECK(full.cow_total_sectors == 0);
    SnapshotInfo over;
    parse_snapshot_status("Overflow", over);
    CHECK(over.state == "overflow");
}

TEST_CASE("stack device names come from the device's kernel name", "[stack]")
{
    StackNames n = stack_names(DevId{4095, 1048575}); // no such device: its number
    CHECK(n.base == n.top + "-base");
    CHECK(n.origin == n.top + "-origin");
    CHECK(n.snap == n.top + "-snap");
    CHECK(n.top.starts_with("dmfilter-"));
}
