#include "netlib/firewall/nft.hpp"

#include <nftables/libnftables.h>

#include <cstdlib>

#include "netlib/error.hpp"
#include "netlib/shared_library.hpp"

namespace nsnet {
namespace {

// The libnftables functions nsnet calls, resolved on the first write or
// listing: the common ADD needs none (probe.hpp), and linking libnftables
// would load it, libxtables, libjansson and libgmp at every exec.
struct Api {
  SharedLibrary lib{"libnftables.so.1", "libnftables1"};
  NSNET_LIBRARY_FUNCTION(nft_ctx_new);
  NSNET_LIBRARY_FUNCTION(nft_ctx_free);
  NSNET_LIBRARY_FUNCTION(nft_ctx_output_set_flags);
  NSNET_LIBRARY_FUNCTION(nft_ctx_buffer_output);
  NSNET_LIBRARY_FUNCTION(nft_ctx_buffer_error);
  NSNET_LIBRARY_FUNCTION(nft_ctx_get_output_buffer);
  NSNET_LIBRARY_FUNCTION(nft_ctx_get_error_buffer);
  NSNET_LIBRARY_FUNCTION(nft_run_cmd_from_buffer);
};

const Api& api() {
  static const Api loaded;
  return loaded;
}

struct Outcome {
  int rc;
  std::string output;
  std::string error;
};

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Outcome execute(nft_ctx* ctx, const nlohmann::json& commands) {
  nlohmann::json doc = {{"nftables", commands}};
  std::string text = doc.dump();
  // NSNET_NFT_TRACE=1 shows each transaction, for debugging a refusal by nft.
  if (std::getenv("NSNET_NFT_TRACE")) fmt::print(stderr, "nft: {}\n", text);
  int rc = api().nft_run_cmd_from_buffer(ctx, text.c_str());
  return {rc, trimmed(api().nft_ctx_get_output_buffer(ctx)), trimmed(api().nft_ctx_get_error_buffer(ctx))};
}

nlohmann::json parse_output(const std::string& output) {
  if (output.empty()) return nlohmann::json::array();
  auto doc = nlohmann::json::parse(output, nullptr, false);
  if (doc.is_discarded() || !doc.contains("nftables"))
    fail(Code::Internal, "nftables: unexpected output from libnftables: {}", output.substr(0, 200));
  return doc["nftables"];
}

bool is_missing_object(const Outcome& outcome) {
  return outcome.rc != 0 && outcome.error.find("No such file or directory") != std::string::npos;
}

[[noreturn]] void refused(const Outcome& outcome) {
  throw Error(Code::Kernel, "nftables: " + outcome.error.substr(0, outcome.error.find('\n')),
              outcome.error);
}

}  // namespace

void Nft::Free::operator()(nft_ctx* ctx) const { api().nft_ctx_free(ctx); }

Nft::Nft() = default;

Nft::~Nft() = default;

nft_ctx* Nft::context() {
  if (ctx_) return ctx_.get();
  std::unique_ptr<nft_ctx, Free> ctx(api().nft_ctx_new(NFT_CTX_DEFAULT));
  if (!ctx) fail(Code::Internal, "nftables: cannot create a libnftables context (out of memory?)");
  // JSON output also switches nft_run_cmd_from_buffer to JSON input (1.0.6).
  api().nft_ctx_output_set_flags(ctx.get(), NFT_CTX_OUTPUT_JSON);
  if (api().nft_ctx_buffer_output(ctx.get()) != 0 || api().nft_ctx_buffer_error(ctx.get()) != 0)
    fail(Code::Internal, "nftables: cannot buffer libnftables output");
  ctx_ = std::move(ctx);
  return ctx_.get();
}

nlohmann::json Nft::run(const nlohmann::json& commands) {
  auto outcome = execute(context(), commands);
  if (outcome.rc != 0) refused(outcome);
  return parse_output(outcome.output);
}

std::optional<nlohmann::json> Nft::run_if_present(const nlohmann::json& commands) {
  auto outcome = execute(context(), commands);
  if (is_missing_object(outcome)) return std::nullopt;
  if (outcome.rc != 0) refused(outcome);
  return parse_output(outcome.output);
}

}  // namespace nsnet
