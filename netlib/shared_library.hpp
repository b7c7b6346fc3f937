// A shared library loaded on first use (dlopen) instead of at exec, for a
// dependency only some calls need: a process that never needs it neither maps
// it nor pays its symbol bindings at start (libnftables alone brings
// libxtables, libjansson and libgmp along: ~1000 bindings).
#pragma once

namespace nsnet {

class SharedLibrary {
 public:
  // Loads `soname` (e.g. "libnftables.so.1"); throws Error naming the Debian
  // `package` to install when it cannot. Never unloaded: the functions it
  // hands out stay valid for the process's life.
  SharedLibrary(const char* soname, const char* package);

  // The function `name` of type F; throws Error when the library lacks it.
  template <typename F>
  F* function(const char* name) const {
    return reinterpret_cast<F*>(symbol(name));
  }

 private:
  void* symbol(const char* name) const;

  const char* soname_;
  const char* package_;
  void* handle_;
};

}  // namespace nsnet

// In a struct with a SharedLibrary member `lib`: a member named like the C
// function `fn`, of its type, resolved from lib. The header declaring fn
// gives the type; nothing is linked. (fn is a name, declared and looked up,
// not an expression: it cannot be parenthesized.)
// NOLINTNEXTLINE(bugprone-macro-parentheses)
#define NSNET_LIBRARY_FUNCTION(fn) decltype(&::fn) fn = lib.function<decltype(::fn)>(#fn)
