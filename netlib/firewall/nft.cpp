#include "netlib/firewall/nft.hpp"

#include <nftables/libnftables.h>

#include <cstdlib>

#include "netlib/error.hpp"

namespace nsnet {
namespace {

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
  int rc = nft_run_cmd_from_buffer(ctx, text.c_str());
  return {rc, trimmed(nft_ctx_get_output_buffer(ctx)), trimmed(nft_ctx_get_error_buffer(ctx))};
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

void Nft::Free::operator()(nft_ctx* ctx) const { nft_ctx_free(ctx); }

Nft::Nft() : ctx_(nft_ctx_new(NFT_CTX_DEFAULT)) {
  if (!ctx_) fail(Code::Internal, "nftables: cannot create a libnftables context (out of memory?)");
  // JSON output also switches nft_run_cmd_from_buffer to JSON input (1.0.6).
  nft_ctx_output_set_flags(ctx_.get(), NFT_CTX_OUTPUT_JSON);
  if (nft_ctx_buffer_output(ctx_.get()) != 0 || nft_ctx_buffer_error(ctx_.get()) != 0)
    fail(Code::Internal, "nftables: cannot buffer libnftables output");
}

Nft::~Nft() = default;

nlohmann::json Nft::run(const nlohmann::json& commands) {
  auto outcome = execute(ctx_.get(), commands);
  if (outcome.rc != 0) refused(outcome);
  return parse_output(outcome.output);
}

std::optional<nlohmann::json> Nft::run_if_present(const nlohmann::json& commands) {
  auto outcome = execute(ctx_.get(), commands);
  if (is_missing_object(outcome)) return std::nullopt;
  if (outcome.rc != 0) refused(outcome);
  return parse_output(outcome.output);
}

}  // namespace nsnet
