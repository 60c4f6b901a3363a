// filter_docs_test.cpp - what 'dmfilter filters' says about a filter: the
// DMF_DOC / DMF_KNOB_DOC text of the built delay.bpf.o, and the section
// format itself.
#include <catch2/catch_test_macros.hpp>

#include <string_view>

#include "dmfilter/filter_docs.hpp"
#include "dmfilter/filter_object.hpp"

using namespace dmfilter;

TEST_CASE("the delay filter documents itself and every knob it has", "[docs]")
{
    auto docs = read_filter_docs(DELAY_BPF_O);
    REQUIRE(docs);
    CHECK(docs->summary.find("dm-delay") != std::string::npos);
    auto object = FilterObject::open(DELAY_BPF_O);
    REQUIRE(object);
    for (const Knob &k : object->knobs()) {
        INFO(k.name);
        CHECK_FALSE(docs->knobs[k.name].empty());
    }
    CHECK(docs->knobs.at("read_ms") == "delay of reads (ms)");
}

TEST_CASE("name/text pairs, the summary named '*', padding skipped", "[docs]")
{
    constexpr std::string_view raw("ms\0delay\0\0\0*\0what it does\0us\0\0", 31);
    auto docs = parse_filter_docs(raw);
    CHECK(docs.summary == "what it does");
    CHECK(docs.knobs.at("ms") == "delay");
    CHECK(docs.knobs.at("us").empty()); // a name without text
}

TEST_CASE("an empty text does not take the next pair's name", "[docs]")
{
    constexpr std::string_view raw("us\0\0ms\0delay\0", 15);
    auto docs = parse_filter_docs(raw);
    CHECK(docs.knobs.at("us").empty());
    CHECK(docs.knobs.at("ms") == "delay");
}

TEST_CASE("an object without docs has none, a missing file is an error", "[docs]")
{
    auto none = parse_filter_docs({});
    CHECK(none.summary.empty());
    CHECK(none.knobs.empty());
    CHECK_FALSE(read_filter_docs("/nonexistent.bpf.o"));
}
