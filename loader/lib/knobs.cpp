// knobs.cpp - knob discovery from BTF DATASECs, and the parsing and
// formatting of knob values.
#include "dmfilter/knobs.hpp"

#include <algorithm>
#include <array>
#include <bpf/btf.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace dmfilter
{

namespace
{

constexpr std::array kSections = {
    SectionInfo{Section::data, ".data", "data", true},
    SectionInfo{Section::bss, ".bss", "bss", true},
    SectionInfo{Section::rodata, ".rodata", "rodata", false},
};

struct BoolWord {
    std::string_view word;
    std::uint64_t bits;
};
constexpr std::array kBoolWords = {BoolWord{"true", 1}, BoolWord{"on", 1}, BoolWord{"false", 0},
                                   BoolWord{"off", 0}};

// Errno names a knob value may use (error=ENOSPC): the ones the block
// layer maps to a status of their own (errno_to_blk_status(), 6.12), and
// a few more that filters commonly return.
struct ErrnoWord {
    std::string_view word;
    int value;
};
constexpr std::array kErrnoWords = {
    ErrnoWord{"EPERM", EPERM},         ErrnoWord{"EIO", EIO},
    ErrnoWord{"ENXIO", ENXIO},         ErrnoWord{"EAGAIN", EAGAIN},
    ErrnoWord{"ENOMEM", ENOMEM},       ErrnoWord{"EBUSY", EBUSY},
    ErrnoWord{"ENODEV", ENODEV},       ErrnoWord{"EINVAL", EINVAL},
    ErrnoWord{"ENOSPC", ENOSPC},       ErrnoWord{"EROFS", EROFS},
    ErrnoWord{"EBADE", EBADE},         ErrnoWord{"ENODATA", ENODATA},
    ErrnoWord{"ENOLINK", ENOLINK},     ErrnoWord{"EOVERFLOW", EOVERFLOW},
    ErrnoWord{"EILSEQ", EILSEQ},       ErrnoWord{"EOPNOTSUPP", EOPNOTSUPP},
    ErrnoWord{"ETIMEDOUT", ETIMEDOUT}, ErrnoWord{"EREMOTEIO", EREMOTEIO},
};

std::string_view kind_name(KnobKind kind)
{
    switch (kind) {
    case KnobKind::signed_int:
        return "signed";
    case KnobKind::boolean:
        return "boolean";
    case KnobKind::unsigned_int:
        break;
    }
    return "unsigned";
}

Error bad_value(const Knob &knob, std::string_view text, std::string_view why)
{
    return Error{fmt::format("knob '{}': '{}' {}", knob.name, text, why),
                 fmt::format("'{}' is {} ({} {}-byte)", knob.name, knob.type, kind_name(knob.kind),
                             knob.size)};
}

std::uint64_t size_mask(std::uint32_t size)
{
    return size >= 8 ? std::numeric_limits<std::uint64_t>::max() : (1ull << (8 * size)) - 1;
}

// Largest magnitude allowed: positive values, and negative ones for signed.
std::uint64_t max_magnitude(const Knob &knob, bool negative)
{
    if (knob.kind == KnobKind::boolean)
        return 1;
    if (knob.kind == KnobKind::unsigned_int)
        return size_mask(knob.size);
    std::uint64_t half = 1ull << (8 * knob.size - 1);
    return negative ? half : half - 1;
}

// Through typedefs and modifiers to the INT or ENUM underneath; 'spelled'
// takes the first name met on the way (the typedef, when there is one).
const btf_type *scalar_type(const btf *btf, std::uint32_t id, std::string &spelled)
{
    for (const btf_type *t = btf__type_by_id(btf, id); t; t = btf__type_by_id(btf, t->type)) {
        if (spelled.empty() && t->name_off)
            spelled = btf__name_by_offset(btf, t->name_off);
        if (btf_is_int(t) || btf_is_any_enum(t))
            return t;
        if (!btf_is_mod(t) && !btf_is_typedef(t))
            return nullptr;
    }
    return nullptr;
}

KnobKind kind_of(const btf_type *t)
{
    if (btf_is_any_enum(t))
        return btf_kflag(t) ? KnobKind::signed_int : KnobKind::unsigned_int;
    auto encoding = btf_int_encoding(t);
    if (encoding & BTF_INT_BOOL)
        return KnobKind::boolean;
    return encoding & BTF_INT_SIGNED ? KnobKind::signed_int : KnobKind::unsigned_int;
}

} // namespace

std::span<const SectionInfo> sections()
{
    return kSections;
}

const SectionInfo &section_info(Section section)
{
    return kSections[static_cast<std::size_t>(section)];
}

const SectionInfo *section_by_datasec(std::string_view datasec)
{
    auto it = std::ranges::find(kSections, datasec, &SectionInfo::datasec);
    return it == kSections.end() ? nullptr : &*it;
}

Result<Assignment> parse_assignment(std::string_view text)
{
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
        return Error{fmt::format("'{}' is not a knob assignment", text),
                     "write knob=value, for example ms=50"};
    return Assignment{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

Result<std::uint64_t> parse_value(const Knob &knob, std::string_view text)
{
    if (knob.size == 1) {
        auto it = std::ranges::find(kBoolWords, text, &BoolWord::word);
        if (it != kBoolWords.end())
            return it->bits;
    }
    std::string_view digits = text;
    bool negative = digits.starts_with('-');
    if (negative)
        digits.remove_prefix(1);
    int base = 10;
    if (digits.starts_with("0x") || digits.starts_with("0X")) {
        base = 16;
        digits.remove_prefix(2);
    }
    std::uint64_t magnitude = 0;
    std::errc ec{};
    if (auto e = std::ranges::find(kErrnoWords, digits, &ErrnoWord::word); e != kErrnoWords.end()) {
        magnitude = static_cast<std::uint64_t>(e->value);
    } else {
        auto [end, err] =
            std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
        ec = err;
        if (digits.empty() || end != digits.data() + digits.size() ||
            (ec != std::errc{} && ec != std::errc::result_out_of_range))
            return bad_value(knob, text, "is not a number (nor an errno name such as ENOSPC)");
    }
    if (negative && knob.kind != KnobKind::signed_int)
        return bad_value(knob, text, "is negative");
    if (ec == std::errc::result_out_of_range || magnitude > max_magnitude(knob, negative))
        return bad_value(knob, text, "does not fit");
    std::uint64_t bits = negative ? ~magnitude + 1 : magnitude;
    return bits & size_mask(knob.size);
}

std::int64_t as_signed(const KnobValue &value)
{
    std::uint64_t sign = 1ull << (8 * value.knob.size - 1);
    std::uint64_t bits = value.bits & size_mask(value.knob.size);
    return static_cast<std::int64_t>((bits ^ sign) - sign);
}

std::string format_value(const KnobValue &value)
{
    switch (value.knob.kind) {
    case KnobKind::boolean:
        return value.bits ? "true" : "false";
    case KnobKind::signed_int:
        return fmt::format("{}", as_signed(value));
    case KnobKind::unsigned_int:
        break;
    }
    return fmt::format("{}", value.bits);
}

std::vector<Knob> datasec_vars(const btf *btf, std::uint32_t datasec_id, Section section)
{
    std::vector<Knob> knobs;
    const btf_type *sec = btf__type_by_id(btf, datasec_id);
    if (!sec || !btf_is_datasec(sec))
        return knobs;
    const btf_var_secinfo *vars = btf_var_secinfos(sec);
    for (unsigned i = 0; i < btf_vlen(sec); i++) {
        const btf_type *var = btf__type_by_id(btf, vars[i].type);
        if (!var || !btf_is_var(var) || btf_var(var)->linkage == BTF_VAR_STATIC)
            continue;
        std::string spelled;
        const btf_type *type = scalar_type(btf, var->type, spelled);
        std::uint32_t size = vars[i].size;
        if (!type || type->size != size || (size != 1 && size != 2 && size != 4 && size != 8))
            continue;
        knobs.push_back({btf__name_by_offset(btf, var->name_off), spelled, section, vars[i].offset,
                         size, kind_of(type)});
    }
    return knobs;
}

bool is_sdk_var(std::string_view name)
{
    return name.starts_with(kSdkPrefix);
}

std::vector<Knob> datasec_knobs(const btf *btf, std::uint32_t datasec_id, Section section)
{
    auto knobs = datasec_vars(btf, datasec_id, section);
    std::erase_if(knobs, [](const Knob &k) { return is_sdk_var(k.name); });
    return knobs;
}

const Knob *find_knob(std::span<const Knob> knobs, std::string_view name)
{
    auto it = std::ranges::find(knobs, name, &Knob::name);
    return it == knobs.end() ? nullptr : &*it;
}

Error unknown_knob(std::string_view filter, std::string_view name, std::span<const Knob> knobs)
{
    std::vector<std::string_view> names;
    for (const Knob &knob : knobs)
        names.push_back(knob.name);
    std::string hint = names.empty()
                           ? fmt::format("filter '{}' has no knobs", filter)
                           : fmt::format("knobs of '{}': {}", filter, fmt::join(names, ", "));
    return Error{fmt::format("filter '{}' has no knob '{}'", filter, name), hint};
}

Result<std::vector<KnobWrite>> resolve_assignments(std::string_view filter,
                                                   std::span<const Knob> knobs,
                                                   std::span<const Assignment> assignments)
{
    std::vector<KnobWrite> writes;
    for (const Assignment &a : assignments) {
        const Knob *knob = find_knob(knobs, a.name);
        if (!knob)
            return unknown_knob(filter, a.name, knobs);
        auto bits = parse_value(*knob, a.value);
        if (!bits)
            return bits.error();
        writes.push_back({knob, *bits});
    }
    return writes;
}

std::uint64_t read_knob(std::span<const std::uint8_t> value, const Knob &knob)
{
    std::uint64_t bits = 0; // little-endian host: the low bytes
    if (knob.offset + knob.size <= value.size())
        std::memcpy(&bits, value.data() + knob.offset, knob.size);
    return bits;
}

void write_knob(std::span<std::uint8_t> value, const Knob &knob, std::uint64_t bits)
{
    if (knob.offset + knob.size <= value.size())
        std::memcpy(value.data() + knob.offset, &bits, knob.size);
}

} // namespace dmfilter
