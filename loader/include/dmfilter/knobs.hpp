// knobs.hpp - a filter's knobs: the scalar global variables of its .data,
// .bss and .rodata sections, found through BTF, and the text forms used to
// set them ("name=value") and show them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmfilter/result.hpp"

struct btf;

namespace dmfilter
{

enum class Section { data, bss, rodata };

struct SectionInfo {
    Section section;
    std::string_view datasec; // BTF DATASEC and ELF section name: ".data"
    std::string_view name;    // pin file and JSON/section label: "data"
    bool live;                // changeable after load ('dmfilter set')
};

std::span<const SectionInfo> sections();
const SectionInfo &section_info(Section section);
const SectionInfo *section_by_datasec(std::string_view datasec);

enum class KnobKind { unsigned_int, signed_int, boolean };

struct Knob {
    std::string name;
    std::string type; // as the source spells it: "__u32", "bool"
    Section section;
    std::uint32_t offset; // in the section's map value
    std::uint32_t size;   // 1, 2, 4 or 8
    KnobKind kind;
};

struct KnobValue {
    Knob knob;
    std::uint64_t bits; // zero-extended raw value
};

// "name=value" as given to --set and 'dmfilter set'.
struct Assignment {
    std::string name;
    std::string value;
};
Result<Assignment> parse_assignment(std::string_view text);

// The raw bits of 'text' for 'knob': decimal or 0x hex integers, a leading
// '-' for signed types, true/false/on/off for 1-byte knobs; range-checked.
Result<std::uint64_t> parse_value(const Knob &knob, std::string_view text);

// The value of a signed knob, sign-extended from its size.
std::int64_t as_signed(const KnobValue &value);

// How a value reads back: decimal (signed per its type) or true/false.
std::string format_value(const KnobValue &value);

// Scalar, non-static variables of the DATASEC type 'datasec_id' in 'btf'.
std::vector<Knob> datasec_vars(const btf *btf, std::uint32_t datasec_id, Section section);

// Variables named dmf_* belong to the SDK (bpf/dmfilter.bpf.h): the loader
// sets them, and they are not knobs.
inline constexpr std::string_view kSdkPrefix = "dmf_";
bool is_sdk_var(std::string_view name);

// The knobs among datasec_vars(): every variable but the SDK's.
std::vector<Knob> datasec_knobs(const btf *btf, std::uint32_t datasec_id, Section section);

const Knob *find_knob(std::span<const Knob> knobs, std::string_view name);
Error unknown_knob(std::string_view filter, std::string_view name, std::span<const Knob> knobs);

// Resolve every assignment against 'knobs' (all or nothing).
struct KnobWrite {
    const Knob *knob;
    std::uint64_t bits;
};
Result<std::vector<KnobWrite>> resolve_assignments(std::string_view filter,
                                                   std::span<const Knob> knobs,
                                                   std::span<const Assignment> assignments);

std::uint64_t read_knob(std::span<const std::uint8_t> value, const Knob &knob);
void write_knob(std::span<std::uint8_t> value, const Knob &knob, std::uint64_t bits);

} // namespace dmfilter
