// The v1 canonical form of an audit record, its SM3 hash (GB/T 32905-2016), validation
// and the printed time. See audit_record.hpp for the format, which never changes.
#include "kernel/audit/audit_record.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <string>

#include "kernel/audit/signer.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::audit {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.push_back('=');
  out.append(std::to_string(value.size()));
  out.push_back(':');
  out.append(value);
  out.push_back('\n');
}

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF; and no NUL,
// which PostgreSQL cannot store in TEXT.
bool valid_utf8_text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    i += n + 1;
  }
  return true;
}

bool valid_action(std::string_view a) {
  if (a.empty() || a.size() > 128) return false;
  int segments = 1;
  bool segment_empty = true;
  for (char c : a) {
    if (c == '.') {
      if (segment_empty) return false;
      ++segments;
      segment_empty = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
      segment_empty = false;
    } else {
      return false;
    }
  }
  return !segment_empty && segments >= 2;
}

}  // namespace

std::string_view to_string(ActorKind kind) {
  switch (kind) {
    case ActorKind::user: return "user";
    case ActorKind::client: return "client";
    case ActorKind::system: return "system";
    case ActorKind::anonymous: return "anonymous";
  }
  return "system";
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::success: return "success";
    case Outcome::failure: return "failure";
    case Outcome::denied: return "denied";
  }
  return "failure";
}

std::optional<ActorKind> parse_actor_kind(std::string_view text) {
  for (auto k : {ActorKind::user, ActorKind::client, ActorKind::system, ActorKind::anonymous})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

std::optional<Outcome> parse_outcome(std::string_view text) {
  for (auto o : {Outcome::success, Outcome::failure, Outcome::denied})
    if (to_string(o) == text) return o;
  return std::nullopt;
}

std::int64_t to_millis(TimePoint t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_millis(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

std::string canonical(const Record& r, std::int64_t seq, std::string_view prev_hash) {
  std::string out;
  out.reserve(256 + r.actor_id.size() + r.actor_name.size() + r.actor_org.size() + r.action.size() +
              r.object_type.size() + r.object_id.size() + r.source.size() + r.request_id.size() +
              r.purpose.size() + r.details.size());
  out.append("zhengwu-audit-v1\n");
  append_field(out, "seq", std::to_string(seq));
  append_field(out, "prev_hash", prev_hash);
  append_field(out, "time_ms", std::to_string(to_millis(r.time)));
  append_field(out, "actor_kind", to_string(r.actor_kind));
  append_field(out, "actor_id", r.actor_id);
  append_field(out, "actor_name", r.actor_name);
  append_field(out, "actor_org", r.actor_org);
  append_field(out, "action", r.action);
  append_field(out, "object_type", r.object_type);
  append_field(out, "object_id", r.object_id);
  append_field(out, "outcome", to_string(r.outcome));
  append_field(out, "source", r.source);
  append_field(out, "request_id", r.request_id);
  append_field(out, "purpose", r.purpose);
  append_field(out, "details", r.details);
  return out;
}

std::string record_hash(const Record& record, std::int64_t seq, std::string_view prev_hash) {
  return crypto::to_hex(crypto::sm3(canonical(record, seq, prev_hash)));
}

Status validate(const Record& r) {
  if (!valid_action(r.action))
    return Error::invalid("action", "must be dotted lower-case words such as auth.login (at most 128 characters)");
  const std::array<std::pair<std::string_view, const std::string*>, 9> fields{{
      {"actor_id", &r.actor_id},
      {"actor_name", &r.actor_name},
      {"actor_org", &r.actor_org},
      {"object_type", &r.object_type},
      {"object_id", &r.object_id},
      {"source", &r.source},
      {"request_id", &r.request_id},
      {"purpose", &r.purpose},
      {"details", &r.details},
  }};
  for (const auto& [name, value] : fields) {
    std::size_t limit = name == "details" ? kMaxDetailsBytes : kMaxFieldBytes;
    if (value->size() > limit)
      return Error::invalid(std::string(name), "longer than " + std::to_string(limit) + " bytes");
    if (!valid_utf8_text(*value)) return Error::invalid(std::string(name), "not valid UTF-8 text");
  }
  // Parsed into a stack buffer: every append validates, and most details are small.
  unsigned char buffer[4096];
  boost::json::monotonic_resource arena(buffer, sizeof buffer);
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(r.details, ec, &arena);
  if (ec || !details.is_object()) return Error::invalid("details", "must be a JSON object");
  return Status::success();
}

std::string format_audit_time(TimePoint t, const TimeZone& zone) {
  // format_iso8601 prints whole seconds; the milliseconds go before the offset.
  auto whole = std::chrono::floor<std::chrono::seconds>(t);
  std::string text = format_iso8601(whole, zone);
  auto ms = std::chrono::floor<std::chrono::milliseconds>(t - whole).count();
  std::array<char, 5> frac{'.', static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                           static_cast<char>('0' + ms % 10), '\0'};
  text.insert(text.size() - 6, frac.data());
  return text;
}

std::string checkpoint_message(std::int64_t seq, std::string_view hash, std::int64_t time_ms) {
  std::string out = "zhengwu-audit-checkpoint-v1|";
  out.append(std::to_string(seq));
  out.push_back('|');
  out.append(hash);
  out.push_back('|');
  out.append(std::to_string(time_ms));
  return out;
}

}  // namespace zhengwu::audit
