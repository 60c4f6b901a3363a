// render.cpp - tables and JSON for list/status and filters. Columns and
// counters are tables, so text and JSON always show the same fields.
#include "dmfilter/render.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <functional>
#include <nlohmann/json.hpp>

namespace dmfilter
{

namespace
{

using Json = nlohmann::ordered_json;

struct CounterField {
    std::string_view name;
    std::uint64_t Counters::*member;
};
constexpr std::array kCounters = {
    CounterField{"seen", &Counters::seen},           CounterField{"passed", &Counters::passed},
    CounterField{"completed", &Counters::completed}, CounterField{"delayed", &Counters::delayed},
    CounterField{"queued", &Counters::queued},       CounterField{"bytes", &Counters::bytes},
};

struct Column {
    std::string header;
    std::function<std::string(const Attachment &)> cell;
};

std::string knob_list(const Attachment &a)
{
    std::vector<std::string> parts;
    for (const KnobValue &k : a.knobs)
        parts.push_back(fmt::format("{}={}", k.knob.name, format_value(k)));
    return fmt::format("{}", fmt::join(parts, " "));
}

std::vector<Column> columns()
{
    std::vector<Column> cols{
        {"DEVICE", [](const Attachment &a) { return a.device; }},
        {"FILTER", [](const Attachment &a) { return a.info.name; }},
    };
    for (const CounterField &c : kCounters) {
        std::string header(c.name);
        std::ranges::transform(header, header.begin(), ::toupper);
        cols.push_back({header, [m = c.member](const Attachment &a) {
                            return fmt::format("{}", a.info.counters.*m);
                        }});
    }
    cols.push_back({"KNOBS", knob_list});
    return cols;
}

// Columns padded to their widest cell; the last one is not padded.
std::string table(const std::vector<std::vector<std::string>> &rows)
{
    std::vector<std::size_t> width(rows.front().size());
    for (const auto &row : rows)
        for (std::size_t i = 0; i < row.size(); i++)
            width[i] = std::max(width[i], row[i].size());
    std::string out;
    for (const auto &row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); i++)
            line += i + 1 < row.size() ? fmt::format("{:<{}}  ", row[i], width[i]) : row[i];
        line.erase(line.find_last_not_of(' ') + 1);
        out += line + "\n";
    }
    return out;
}

Json knob_json(const KnobValue &k)
{
    switch (k.knob.kind) {
    case KnobKind::boolean:
        return k.bits != 0;
    case KnobKind::signed_int:
        return as_signed(k);
    case KnobKind::unsigned_int:
        break;
    }
    return k.bits;
}

std::string hook_line(const std::optional<HookState> &hook)
{
    if (!hook)
        return "";
    std::string when = hook->mode == "eager"
                           ? "eager: installed from module load to unload"
                           : fmt::format("lazy: installed on attach, removed {} ms after the "
                                         "last detach",
                                         hook->linger_ms);
    return fmt::format("hook: {} ({})\n", hook->installed ? "installed" : "not installed", when);
}

std::string knob_doc(const FilterDocs &docs, const std::string &knob)
{
    auto it = docs.knobs.find(knob);
    return it == docs.knobs.end() ? "" : it->second;
}

std::string attachment_table(std::span<const Attachment> attachments)
{
    if (attachments.empty())
        return "no filters attached\n";
    auto cols = columns();
    std::vector<std::vector<std::string>> rows(1);
    for (const Column &c : cols)
        rows[0].push_back(c.header);
    for (const Attachment &a : attachments) {
        auto &row = rows.emplace_back();
        for (const Column &c : cols)
            row.push_back(c.cell(a));
    }
    return table(rows);
}

std::string remap_table(std::span<const RemapInfo> remaps)
{
    std::vector<std::vector<std::string>> rows{
        {"DEVICE", "REMAPPED TO", "REDIRECTED", "IN FLIGHT"}};
    for (const RemapInfo &r : remaps)
        rows.push_back({device_path(r.dev), device_path(r.dm), fmt::format("{}", r.redirected),
                        fmt::format("{}", r.in_flight)});
    return table(rows);
}

Json remap_json(std::span<const RemapInfo> remaps)
{
    Json list = Json::array();
    for (const RemapInfo &r : remaps)
        list.push_back({{"device", device_path(r.dev)},
                        {"dev", to_string(r.dev)},
                        {"dm_device", device_path(r.dm)},
                        {"dm_dev", to_string(r.dm)},
                        {"redirected", r.redirected},
                        {"in_flight", r.in_flight}});
    return list;
}

} // namespace

std::string render_text(const Listing &listing)
{
    std::string out = attachment_table(listing.attached);
    if (!listing.remaps.empty()) {
        out += '\n';
        out += remap_table(listing.remaps);
    }
    return out + hook_line(listing.hook);
}

std::string render_text(std::span<const RemapInfo> remaps)
{
    return remaps.empty() ? "no devices remapped\n" : remap_table(remaps);
}

std::string render_json(std::span<const RemapInfo> remaps)
{
    return Json{{"version", kJsonVersion}, {"remaps", remap_json(remaps)}}.dump(2) + "\n";
}

std::string render_json(const Listing &listing)
{
    Json list = Json::array();
    for (const Attachment &a : listing.attached) {
        Json counters = Json::object(), knobs = Json::object();
        for (const CounterField &c : kCounters)
            counters[std::string(c.name)] = a.info.counters.*c.member;
        for (const KnobValue &k : a.knobs)
            knobs[k.knob.name] = knob_json(k);
        list.push_back({{"device", a.device},
                        {"dev", to_string(a.info.dev)},
                        {"filter", a.info.name},
                        {"position", a.info.position},
                        {"counters", counters},
                        {"knobs", knobs}});
    }
    Json out{
        {"version", kJsonVersion}, {"attachments", list}, {"remaps", remap_json(listing.remaps)}};
    if (listing.hook)
        out["hook"] = {{"mode", listing.hook->mode},
                       {"installed", listing.hook->installed},
                       {"linger_ms", listing.hook->linger_ms}};
    return out.dump(2) + "\n";
}

std::string render_text(std::span<const FilterSummary> filters)
{
    if (filters.empty())
        return "no filters found\n";
    std::string out;
    for (const FilterSummary &f : filters) {
        out += fmt::format("{}  {}\n", f.name, f.path.string());
        if (!f.docs.summary.empty())
            out += fmt::format("    {}\n", f.docs.summary);
        if (!f.problem.empty())
            out += fmt::format("    (unreadable: {})\n", f.problem);
        std::vector<std::vector<std::string>> rows;
        for (const Knob &k : f.knobs)
            rows.push_back({"", k.name, k.type, std::string(section_info(k.section).name),
                            section_info(k.section).live ? "live" : "load-time",
                            knob_doc(f.docs, k.name)});
        if (!rows.empty())
            out += table(rows);
    }
    return out;
}

std::string render_json(std::span<const FilterSummary> filters)
{
    Json list = Json::array();
    for (const FilterSummary &f : filters) {
        Json knobs = Json::array();
        for (const Knob &k : f.knobs)
            knobs.push_back({{"name", k.name},
                             {"type", k.type},
                             {"size", k.size},
                             {"section", section_info(k.section).name},
                             {"live", section_info(k.section).live},
                             {"doc", knob_doc(f.docs, k.name)}});
        Json entry{{"name", f.name},
                   {"path", f.path.string()},
                   {"summary", f.docs.summary},
                   {"knobs", knobs}};
        if (!f.problem.empty())
            entry["error"] = f.problem;
        list.push_back(entry);
    }
    return Json{{"version", kJsonVersion}, {"filters", list}}.dump(2) + "\n";
}

} // namespace dmfilter
