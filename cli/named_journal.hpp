// A journal for `nsnet create` and `nsnet delete` of a named netns, so that
// one killed at any point is rolled back by the next create or delete of the
// same name. Until create has written the attachment record nothing else
// tells which network NAME was being attached to, so `nsnet delete NAME`
// could not find the lease, veth, port claims and firewall elements.
//
//   <state>/named/<NAME>/lock     held for the whole create or delete
//   <state>/named/<NAME>/journal  {"network": N, "removeNetns": bool}, written
//                                 before the first change, removed after the last
//
// A journal found while holding the lock is one a killed process left.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "netlib/state.hpp"

namespace nsnet::cli {

struct JournalEntry {
  std::string network;        // of the attachment (network, NAME, eth0)
  bool remove_netns = false;  // whether rolling back removes /run/netns/NAME
};

class NamedJournal {
 public:
  // Takes NAME's lock (NAME a valid netns name), held until destruction.
  explicit NamedJournal(const std::string& name);

  // Rolls back what a killed create or delete of NAME left: detaches the
  // attachment the journal names, removes the netns if it says so, drops the
  // journal and dead writers' temp files. True if there was a journal.
  bool roll_back_interrupted();

  void begin(const JournalEntry& entry);
  void end();

 private:
  std::optional<JournalEntry> read() const;

  std::string name_;
  std::filesystem::path dir_;
  FileLock lock_;
};

}  // namespace nsnet::cli
