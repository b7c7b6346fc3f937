#include "netlib/shared_library.hpp"

#include <dlfcn.h>

#include "netlib/error.hpp"

namespace nsnet {

SharedLibrary::SharedLibrary(const char* soname, const char* package)
    : soname_(soname), package_(package), handle_(dlopen(soname, RTLD_NOW | RTLD_LOCAL)) {
  if (!handle_)
    fail(Code::PluginNotAvailable, "cannot load {} ({}); install the Debian package {}", soname,
         dlerror(), package);
}

void* SharedLibrary::symbol(const char* name) const {
  void* f = dlsym(handle_, name);
  if (!f)
    fail(Code::PluginNotAvailable, "{} has no function {}: is the Debian package {} too old?",
         soname_, name, package_);
  return f;
}

}  // namespace nsnet
