// How the identifier parsers read and quote what a person typed.
//
// Identifiers arrive from forms, spreadsheets and legacy exports. A wrong character is
// reported by its position counted in characters, not bytes, and quoted so that a clerk
// recognises it; the usual slip is a full-width character typed with a Chinese input
// method (`１` for `1`), which looks right on screen and is named as such. Invalid UTF-8
// is never copied into a message, so the message stays valid text for JSON.
//
// Internal to kernel/identifiers; not part of its interface.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zhengwu::identifiers::detail {

// One character as typed: the bytes that spell it, and its code point (U+FFFD for a
// byte that does not begin valid UTF-8; then `text` is that one byte).
struct TypedCharacter {
  std::string_view text;
  char32_t code_point = 0;
  bool valid_utf8 = true;
};

std::vector<TypedCharacter> split_characters(std::string_view text);

// "'O'", "(a space)", "(a full-width space)", "(control character U+0009)", "(byte 0xFF,
// not UTF-8 text)": the character as a message shows it.
std::string quote(const TypedCharacter& c);

// "1 character", "17 characters".
std::string count_characters(std::size_t n);

// The ordinary ASCII character a full-width one (U+FF01..U+FF5E) stands for.
std::optional<char> ascii_for_full_width(const TypedCharacter& c);

// "character 3 '１' is full-width; type an ordinary 1 instead" when `c` is the
// full-width form of a character `allowed` accepts; otherwise "character 3 'A' " +
// `complaint` ("is not a digit").
std::string bad_character_message(std::size_t position, const TypedCharacter& c, bool (*allowed)(char),
                                  std::string_view complaint);

}  // namespace zhengwu::identifiers::detail
