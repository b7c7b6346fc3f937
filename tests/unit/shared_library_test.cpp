#include <catch2/catch.hpp>

#include <cmath>

#include "netlib/error.hpp"
#include "netlib/shared_library.hpp"

using namespace nsnet;

TEST_CASE("a shared library loads on demand and hands out typed functions") {
  SharedLibrary libm("libm.so.6", "libc6");
  auto* cosine = libm.function<double(double)>("cos");
  CHECK(cosine(0.0) == 1.0);
}

TEST_CASE("a missing library or function names the package to install") {
  try {
    SharedLibrary("libnsnet-no-such-library.so.1", "libnsnet-no-such1");
    FAIL("loaded a library that does not exist");
  } catch (const Error& e) {
    CHECK(e.code() == Code::PluginNotAvailable);
    CHECK_THAT(e.what(), Catch::Contains("libnsnet-no-such-library.so.1") &&
                             Catch::Contains("install the Debian package libnsnet-no-such1"));
  }
  SharedLibrary libm("libm.so.6", "libc6");
  CHECK_THROWS_WITH(libm.function<void()>("nsnet_no_such_function"),
                    Catch::Contains("nsnet_no_such_function") && Catch::Contains("libc6"));
}
