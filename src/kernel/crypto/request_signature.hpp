// Signatures of requests from registered systems (department applications), the
// contract of DESIGN.md "Systems": the client sends X-Zw-Client, X-Zw-Timestamp (unix
// seconds), X-Zw-Nonce and X-Zw-Signature = lower-case hex HMAC-SM3(secret, canonical)
// (HMAC per RFC 2104 with SM3 of GB/T 32905-2016), where canonical is
//
//   METHOD \n PATH \n SORTED_QUERY \n TIMESTAMP \n NONCE \n hex(SM3(body))
//
// with no trailing newline, and
//   - METHOD, PATH, TIMESTAMP and NONCE exactly as sent (PATH still percent-encoded, no
//     query; TIMESTAMP the header text, not a re-formatted number);
//   - SORTED_QUERY built from the query text (after '?'): split on '&', empty pieces
//     skipped; each piece split at its first '=' (a piece without '=' is a key with an
//     empty value, so "a" and "a=" are the same); key and value percent-decoded, '+'
//     decoding to a space (application/x-www-form-urlencoded, as the HTTP layer decodes
//     them for handlers); each re-encoded per RFC 3986: every byte but A-Z a-z 0-9 - _ .
//     ~ as %XX with upper-case hex (so a space is %20, '+' itself is %2B, UTF-8 text is
//     encoded byte by byte); the "key=value" strings sorted by byte value (plain string
//     order, so repeated keys come out ordered by value; identical pairs are all kept;
//     equal strings are indistinguishable, so ties cannot change the result); joined
//     with '&'; empty when there are no pairs. A piece with a malformed escape ('%' not
//     followed by two hex digits) is left out, as the HTTP layer leaves it out of the
//     parameters handlers see — the signature covers exactly what handlers read;
//   - hex(SM3(body)) lower-case, over the raw body bytes (SM3 of the empty string for
//     no body).
//
// Replay defence (timestamp within ±300 s, nonce not seen before) is the caller's; this
// file supplies `check_timestamp`. All functions are pure and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zhengwu::crypto {

// The canonical query string: SORTED_QUERY above.
std::string canonical_query(std::string_view query_text);

// The canonical request string that the client signs.
std::string canonical_request(std::string_view method, std::string_view path, std::string_view query_text,
                              std::string_view timestamp, std::string_view nonce, std::string_view body);

// Lower-case hex HMAC-SM3(secret, canonical); `secret` is the client secret's bytes
// exactly as issued to the client.
std::string sign_request(std::string_view secret, std::string_view canonical);

// True when `signature_hex` is sign_request(secret, canonical): 64 lower-case hex
// digits (upper case is refused, as the contract says lower case), compared in
// constant time.
bool verify_request_signature(std::string_view secret, std::string_view canonical, std::string_view signature_hex);

// The X-Zw-Timestamp header as unix seconds: 1 to 18 ASCII digits, nothing else (no
// sign, no spaces); nullopt otherwise.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// True when `timestamp` is within `skew` of `now_unix`, either side (inclusive).
bool check_timestamp(std::int64_t now_unix, std::int64_t timestamp,
                     std::chrono::seconds skew = std::chrono::seconds{300});

}  // namespace zhengwu::crypto
