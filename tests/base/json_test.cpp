// JSON field access returns a Result naming the field; nothing throws on bad input.
#include <doctest/doctest.h>

#include "cairn/base/json.hpp"

using namespace cairn;

TEST_CASE("json fields: typed, named in the error, never thrown") {
  CHECK(json::parse_object("[1]", "thing").error().code == Errc::corrupt);
  CHECK(json::parse_object("{", "thing", Errc::usage).error().code == Errc::usage);
  CHECK(json::parse("[1]", "thing").ok());
  auto j = json::parse_object(R"({"a":"x","n":3,"neg":-2,"d":1.5,"l":[1,2]})", "thing");
  REQUIRE(j.ok());
  CHECK(*json::get_str(*j, "a", "thing") == "x");
  CHECK(json::get_str(*j, "a", "thing", 0).error().message == "thing: \"a\" is too long");
  CHECK(json::get_str(*j, "n", "thing").error().message == "thing: \"n\" must be a string");
  CHECK(*json::get_uint(*j, "n", "thing") == 3u);
  CHECK_FALSE(json::get_uint(*j, "neg", "thing").ok());
  CHECK(*json::get_int(*j, "neg", "thing") == -2);
  CHECK(*json::get_double(*j, "d", "thing") == 1.5);
  CHECK((*json::get_array(*j, "l", "thing"))->size() == 2u);
  CHECK(json::get_array(*j, "a", "thing", Errc::usage).error().code == Errc::usage);
  CHECK(json::get_str(*j, "zz", "thing").error().message == "thing: missing \"zz\"");
  CHECK(json::parse_object("{", "thing").error().message == "thing is not valid JSON");
  CHECK(json::parse_object("[]", "thing").error().message == "thing must be a JSON object");
  CHECK(*json::opt_bool(*j, "absent", true, "thing"));
  CHECK(json::opt_bool(*j, "n", true, "thing").error().message == "thing: \"n\" must be true or false");
  CHECK(*json::opt_array(*j, "absent", "thing") == nullptr);
  CHECK(json::get_int_in(*j, "n", "thing", 0, 2).error().message == "thing: \"n\" is out of range");
}

TEST_CASE("json as_str: a list entry that must be a string, capped, named in the error") {
  auto j = json::parse(R"(["abc", 7])", "list");
  REQUIRE(j.ok());
  CHECK(*json::as_str((*j)[0], "an id") == "abc");
  CHECK(json::as_str((*j)[0], "an id", 2).error().message == "an id is too long");
  CHECK(json::as_str((*j)[1], "an id").error().message == "an id must be a string");
  CHECK(json::as_str((*j)[1], "an id", 10, Errc::network).error().code == Errc::network);
}
