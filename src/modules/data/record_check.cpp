// Records checked against a resource's fields; see record_check.hpp for the contract.
#include "modules/data/record_check.hpp"

#include <algorithm>
#include <unordered_set>

namespace zhengwu::data {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A name as written in a header or a key, for messages: at most 40 characters.
std::string quoted(std::string_view s) {
  std::size_t i = 0;
  for (std::size_t chars = 0; i < s.size() && chars < 40; ++chars) {
    const auto b = static_cast<unsigned char>(s[i]);
    i = std::min(s.size(), i + (b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4));
  }
  std::string out = "'";
  out.append(s.substr(0, i));
  if (i < s.size()) out += "...";
  out += '\'';
  return out;
}

// A header cell or key as looked up: trimmed, full-width forms folded.
std::string_view lookup_form(std::string_view name, std::string& scratch) {
  fold_full_width(trim_spaces(name), scratch);
  return trim_spaces(scratch);
}

std::string describe(const FieldSpec& f) {
  return f.label.empty() || f.label == f.name ? f.name : f.name + " (" + f.label + ")";
}

}  // namespace

std::size_t RecordChecker::NameHash::operator()(std::string_view s) const {
  std::size_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(lower(c));
    h *= 1099511628211ULL;
  }
  return h;
}

bool RecordChecker::NameEqual::operator()(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

RecordChecker::RecordChecker(std::vector<FieldSpec> fields, const StandardiseContext& context)
    : fields_(std::move(fields)), context_(context) {}

void RecordChecker::prepare(std::vector<FieldError>& problems) {
  tables_.assign(fields_.size(), nullptr);
  column_of_.assign(fields_.size(), kWholeRecord);
  std::string scratch;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const FieldSpec& f = fields_[i];
    if (f.type == FieldType::code) {
      tables_[i] = f.code_table && context_.code_tables ? context_.code_tables->find(*f.code_table) : nullptr;
      if (!tables_[i]) {
        problems.push_back({f.name, "its code table " + f.code_table.value_or("(none named)") +
                                        " is not loaded for this import"});
      }
    }
    if (f.type == FieldType::id_number && !context_.today.ok()) {
      problems.push_back({f.name, "ID numbers cannot be checked: the import was given no current date"});
    }
    by_name_.try_emplace(std::string(lookup_form(f.name, scratch)), i);
  }
  // Labels after names: a name always means its own field.
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (!fields_[i].label.empty()) by_name_.try_emplace(std::string(lookup_form(fields_[i].label, scratch)), i);
  }
}

Result<RecordChecker> RecordChecker::for_header(std::vector<FieldSpec> fields, std::span<const std::string_view> header,
                                                const StandardiseContext& context) {
  RecordChecker c(std::move(fields), context);
  std::vector<FieldError> problems;
  c.prepare(problems);
  c.column_count_ = header.size();
  std::string scratch;
  for (std::size_t col = 0; col < header.size(); ++col) {
    const std::string at = "header[" + std::to_string(col) + "]";
    const std::string column = "column " + std::to_string(col + 1);
    const std::string_view name = lookup_form(header[col], scratch);
    if (name.empty()) {
      c.ignored_.push_back({at, column + " has no name; it is ignored"});
      continue;
    }
    const auto it = c.by_name_.find(name);
    if (it == c.by_name_.end()) {
      c.ignored_.push_back({at, column + " " + quoted(name) + " names no field of the resource; it is ignored"});
      continue;
    }
    const std::size_t f = it->second;
    if (c.column_of_[f] != kWholeRecord) {
      problems.push_back({at, column + " " + quoted(name) + " names the field " + describe(c.fields_[f]) +
                                  ", as column " + std::to_string(c.column_of_[f] + 1) + " does; keep one of them"});
      continue;
    }
    c.column_of_[f] = col;
  }
  for (std::size_t f = 0; f < c.fields_.size(); ++f) {
    const FieldSpec& spec = c.fields_[f];
    if ((spec.required || spec.key) && c.column_of_[f] == kWholeRecord) {
      problems.push_back({spec.name, "the required field " + describe(spec) + " has no column"});
    }
  }
  if (!problems.empty()) {
    Error e{ErrorCode::invalid, "the header does not fit the resource: " + problems.front().message, problems};
    e.fields.insert(e.fields.end(), c.ignored_.begin(), c.ignored_.end());
    return e;
  }
  return c;
}

Result<RecordChecker> RecordChecker::for_objects(std::vector<FieldSpec> fields, const StandardiseContext& context) {
  RecordChecker c(std::move(fields), context);
  std::vector<FieldError> problems;
  c.prepare(problems);
  if (!problems.empty()) {
    return Error{ErrorCode::invalid, "the resource cannot be imported: " + problems.front().message, problems};
  }
  return c;
}

void RecordChecker::begin(CheckedRow& out) const {
  out.values.resize(fields_.size());
  out.refusals.clear();
  out.unknown_keys.clear();
  out.converted_from_15 = 0;
  out.code_mappings = 0;
  out.addresses_resolved = 0;
}

void RecordChecker::finish_field(std::size_t i, CheckedRow& out) const {
  const StandardisedValue& v = out.values[i];
  if (!v.ok()) {
    out.refusals.push_back({i, v.reason});
    return;
  }
  switch (v.note) {
    case ValueNote::none:
      break;
    case ValueNote::converted_from_15:
      ++out.converted_from_15;
      break;
    case ValueNote::code_mapped:
      ++out.code_mappings;
      break;
    case ValueNote::address_resolved:
      ++out.addresses_resolved;
      break;
  }
}

void RecordChecker::check(std::span<const std::string_view> record, CheckedRow& out) const {
  begin(out);
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const std::size_t col = column_of_[i];
    const std::string_view raw = col < record.size() ? record[col] : std::string_view();
    standardise(fields_[i], tables_[i], raw, context_, out.values[i]);
    finish_field(i, out);
  }
}

void RecordChecker::check(std::span<const JsonMember> members, CheckedRow& out) const {
  begin(out);
  // Which member gave each field (kWholeRecord: none yet); on the stack up to 64 fields.
  constexpr std::size_t kSmall = 64;
  std::size_t small[kSmall];
  std::vector<std::size_t> large;
  std::size_t* given = small;
  if (fields_.size() > kSmall) {
    large.assign(fields_.size(), kWholeRecord);
    given = large.data();
  } else {
    std::fill(small, small + fields_.size(), kWholeRecord);
  }
  std::string scratch;
  for (std::size_t m = 0; m < members.size(); ++m) {
    auto it = by_name_.find(members[m].key);
    if (it == by_name_.end()) it = by_name_.find(lookup_form(members[m].key, scratch));
    if (it == by_name_.end()) {
      out.unknown_keys.push_back(m);
      continue;
    }
    const std::size_t f = it->second;
    if (given[f] != kWholeRecord) {
      out.refusals.push_back({f, "is given twice, as " + quoted(members[given[f]].key) + " and " +
                                     quoted(members[m].key)});
      continue;
    }
    given[f] = m;
    standardise(fields_[f], tables_[f], members[m].value, context_, out.values[f]);
    finish_field(f, out);
  }
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    if (given[f] != kWholeRecord) continue;
    standardise(fields_[f], tables_[f], std::string_view(), context_, out.values[f]);
    finish_field(f, out);
  }
  std::stable_sort(out.refusals.begin(), out.refusals.end(),
                   [](const FieldRefusal& a, const FieldRefusal& b) { return a.field < b.field; });
}

namespace {

void tally(BatchReport& r, std::uint64_t line, const CheckedRow& row, const std::vector<FieldSpec>& fields,
           const AcceptRecord& accept, const RejectRecord& reject, const RawRecord& raw) {
  if (!row.ok()) {
    ++r.rejected;
    const std::size_t first = r.rejections.size();
    for (const auto& refusal : row.refusals) {
      r.rejections.push_back(
          {line, refusal.field == kWholeRecord ? std::string() : fields[refusal.field].name, refusal.reason});
    }
    if (reject) reject(line, raw, std::span<const Rejection>(r.rejections).subspan(first));
    return;
  }
  ++r.accepted;
  r.converted_from_15 += row.converted_from_15;
  r.code_mappings += row.code_mappings;
  r.addresses_resolved += row.addresses_resolved;
  for (std::size_t i = 0; i < row.values.size(); ++i) {
    if (!row.values[i].warning.empty()) r.warnings.push_back({line, fields[i].name, row.values[i].warning});
  }
  if (accept) accept(line, row);
}

void reject_record(BatchReport& r, std::uint64_t line, std::string reason, const RejectRecord& reject,
                   const RawRecord& raw) {
  ++r.rejected;
  r.rejections.push_back({line, std::string(), std::move(reason)});
  if (reject) reject(line, raw, std::span<const Rejection>(r.rejections).subspan(r.rejections.size() - 1));
}

std::string decoding_failure(const DecodeError& e, std::uint64_t line) {
  return "reading stopped near line " + std::to_string(line) + ": " + e.message;
}

}  // namespace

BatchReport check_csv(std::istream& bytes, const std::vector<FieldSpec>& fields, const StandardiseContext& context,
                      const AcceptRecord& accept, const ImportOptions& options, const RejectRecord& reject) {
  BatchReport r;
  DecodingStreambuf decoded(bytes, options.encoding, options.decode_chunk_bytes);
  std::istream text(&decoded);
  CsvReader reader(text, options.csv);

  CsvReader::Next n = reader.next();
  r.encoding = decoded.encoding();
  if (decoded.error() && (n == CsvReader::Next::end || reader.ended_at_eof())) {
    r.failure = decoding_failure(*decoded.error(), 1);
    return r;
  }
  if (n == CsvReader::Next::end) {
    r.failure = "the file is empty: it has no header line";
    return r;
  }
  if (n == CsvReader::Next::bad_record) {
    r.failure = "the header (line " + std::to_string(reader.line()) + ") cannot be read: " + reader.problem();
    return r;
  }
  const std::vector<std::string> header_text(reader.fields().begin(), reader.fields().end());
  const std::vector<std::string_view> header(header_text.begin(), header_text.end());
  auto checker = RecordChecker::for_header(fields, header, context);
  if (!checker) {
    r.header = checker.error().fields;
    r.failure = checker.error().message;
    return r;
  }
  r.header = checker->ignored_columns();

  CheckedRow row;
  while ((n = reader.next()) != CsvReader::Next::end) {
    if (decoded.error() && reader.ended_at_eof()) break;  // cut short by the bad bytes
    ++r.records;
    const std::uint64_t line = reader.line();
    const RawRecord raw{header, reader.fields()};
    if (n == CsvReader::Next::bad_record) {
      reject_record(r, line, reader.problem(), reject, raw);
      continue;
    }
    if (reader.fields().size() != checker->column_count()) {
      reject_record(r, line,
                    "has " + std::to_string(reader.fields().size()) + " fields; the header has " +
                        std::to_string(checker->column_count()),
                    reject, raw);
      continue;
    }
    checker->check(reader.fields(), row);
    tally(r, line, row, checker->fields(), accept, reject, raw);
  }
  r.encoding = decoded.encoding();
  if (decoded.error()) r.failure = decoding_failure(*decoded.error(), reader.line());
  return r;
}

BatchReport check_jsonl(std::istream& bytes, const std::vector<FieldSpec>& fields, const StandardiseContext& context,
                        const AcceptRecord& accept, const ImportOptions& options, const RejectRecord& reject) {
  BatchReport r;
  auto checker = RecordChecker::for_objects(fields, context);
  if (!checker) {
    r.header = checker.error().fields;
    r.failure = checker.error().message;
    return r;
  }
  DecodingStreambuf decoded(bytes, options.encoding, options.decode_chunk_bytes);
  std::istream text(&decoded);
  JsonlReader reader(text, options.jsonl);
  std::unordered_set<std::string> unknown;
  CheckedRow row;
  std::vector<std::string_view> keys, values;  // a rejected object, as read
  JsonlReader::Next n;
  while ((n = reader.next()) != JsonlReader::Next::end) {
    if (decoded.error() && reader.ended_at_eof()) break;
    ++r.records;
    const std::uint64_t line = reader.line();
    if (n == JsonlReader::Next::bad_line) {
      reject_record(r, line, reader.problem(), reject, RawRecord{});
      continue;
    }
    checker->check(reader.members(), row);
    for (std::size_t m : row.unknown_keys) {
      const std::string_view key = reader.members()[m].key;
      if (unknown.insert(std::string(key)).second) {
        r.header.push_back({"key", "the key " + quoted(key) + " (first on line " + std::to_string(line) +
                                       ") names no field of the resource; it is ignored"});
      }
    }
    if (!row.ok() && reject) {
      keys.clear();
      values.clear();
      for (const auto& m : reader.members()) {
        keys.push_back(m.key);
        values.push_back(m.value);
      }
    }
    tally(r, line, row, checker->fields(), accept, reject, RawRecord{keys, values});
  }
  r.encoding = decoded.encoding();
  if (decoded.error()) r.failure = decoding_failure(*decoded.error(), reader.line());
  return r;
}

}  // namespace zhengwu::data
