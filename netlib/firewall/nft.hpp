// An in-process libnftables context speaking its JSON API. One run() is one
// buffer, and nft commits one buffer as one atomic transaction: either every
// command in it takes effect or none does. libnftables is loaded and the
// context made on the first run(), not before: many calls need neither.
#pragma once

#include <memory>

#include <nlohmann/json.hpp>

struct nft_ctx;

namespace nsnet {

class Nft {
 public:
  Nft();
  ~Nft();
  Nft(const Nft&) = delete;
  Nft& operator=(const Nft&) = delete;

  // Runs the commands ({"add": ...}, {"list": ...}, ...) as one transaction
  // and returns nft's JSON output (the "nftables" array; empty when there is
  // none). Throws Error(Kernel) with nft's own message on failure.
  nlohmann::json run(const nlohmann::json& commands);

  // Like run(), but returns nullopt instead of throwing when nft reports that
  // an object does not exist (ENOENT), e.g. listing a table that was flushed.
  std::optional<nlohmann::json> run_if_present(const nlohmann::json& commands);

 private:
  nft_ctx* context();

  struct Free {
    void operator()(nft_ctx* ctx) const;
  };
  std::unique_ptr<nft_ctx, Free> ctx_;
};

}  // namespace nsnet
