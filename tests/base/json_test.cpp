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

TEST_CASE("json optional fields: the fallback when absent, the get_ error when of another type") {
  auto j = json::parse_object(R"({"s":"x","n":3,"neg":-2,"d":1.5,"o":{"a":1},"l":["a","b"],"mixed":["a",1],"nul":null})", "thing");
  REQUIRE(j.ok());
  CHECK(*json::opt_str(*j, "s", "fb", "thing") == "x");
  CHECK(*json::opt_str(*j, "absent", "fb", "thing") == "fb");
  CHECK(json::opt_str(*j, "n", "fb", "thing").error().message == "thing: \"n\" must be a string");
  CHECK(json::opt_str(*j, "nul", "fb", "thing").error().message == "thing: \"nul\" must be a string");
  CHECK(*json::opt_uint(*j, "n", 7, "thing") == 3u);
  CHECK(*json::opt_uint(*j, "absent", 7, "thing") == 7u);
  CHECK_FALSE(json::opt_uint(*j, "neg", 7, "thing").ok());
  CHECK(*json::opt_int(*j, "neg", 7, "thing") == -2);
  CHECK(*json::opt_int(*j, "absent", 7, "thing") == 7);
  CHECK(json::opt_int(*j, "d", 7, "thing", Errc::usage).error().code == Errc::usage);
  CHECK(*json::opt_double(*j, "d", 0.5, "thing") == 1.5);
  CHECK(*json::opt_double(*j, "n", 0.5, "thing") == 3.0);
  CHECK(*json::opt_double(*j, "absent", 0.5, "thing") == 0.5);
  CHECK(json::opt_double(*j, "s", 0.5, "thing").error().message == "thing: \"s\" must be a number");
  // Not an object at all: every optional field reads as absent.
  CHECK(*json::opt_uint(json::Json::array(), "n", 7, "thing") == 7u);
}

TEST_CASE("json objects, string values and lists of strings") {
  auto j = json::parse_object(R"({"s":"x","o":{"a":1},"l":["a","b"],"mixed":["a",1]})", "thing");
  REQUIRE(j.ok());
  CHECK((*json::get_object(*j, "o", "thing"))->contains("a"));
  CHECK(json::get_object(*j, "s", "thing").error().message == "thing: \"s\" must be a JSON object");
  CHECK(json::get_object(*j, "zz", "thing").error().message == "thing: missing \"zz\"");
  CHECK(*json::opt_object(*j, "zz", "thing") == nullptr);
  CHECK(*json::opt_object(*j, "o", "thing") != nullptr);
  CHECK_FALSE(json::opt_object(*j, "l", "thing").ok());
  CHECK(*json::as_str((*j)["s"], "an item") == "x");
  CHECK(json::as_str((*j)["o"], "an item").error().message == "an item must be a string");
  CHECK(json::as_str((*j)["s"], "an item", 0).error().message == "an item is too long");
  CHECK(*json::str_items(**json::get_array(*j, "l", "thing"), "l", "thing") == std::vector<std::string>{"a", "b"});
  CHECK(json::str_items(**json::get_array(*j, "mixed", "thing"), "mixed", "thing").error().message ==
        "thing: \"mixed\" must hold strings");
  CHECK(json::str_items(**json::get_array(*j, "l", "thing"), "l", "thing", 0).error().message ==
        "thing: \"l\" holds a string that is too long");
}

TEST_CASE("json as_str: a list entry that must be a string, capped, named in the error") {
  auto j = json::parse(R"(["abc", 7])", "list");
  REQUIRE(j.ok());
  CHECK(*json::as_str((*j)[0], "an id") == "abc");
  CHECK(json::as_str((*j)[0], "an id", 2).error().message == "an id is too long");
  CHECK(json::as_str((*j)[1], "an id").error().message == "an id must be a string");
  CHECK(json::as_str((*j)[1], "an id", 10, Errc::network).error().code == Errc::network);
}
