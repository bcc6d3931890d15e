// The one glob matcher, shared by the activity rules (window classes) and the assistants list
// (commit-trailer email patterns), so both files read a pattern the same way.
//
// `*` matches any run of characters (none included), `?` exactly one character (one byte: the
// names matched are ASCII in practice); every other character matches itself, ignoring ASCII case.
// There is no escape and no character class. Matching is iterative with one backtrack point, so
// it is linear in practice and never exponential, whatever the pattern.
//
// Thread safety: pure function.
#pragma once

#include <string_view>

namespace cairn {

bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace cairn
