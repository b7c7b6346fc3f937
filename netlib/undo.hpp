// An undo stack for transactions: each step that changed something pushes
// the action that reverts it; unless commit() is called, the destructor runs
// them newest first. Undo actions are best effort and never throw.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

namespace nsnet {

class UndoStack {
 public:
  UndoStack() = default;
  UndoStack(const UndoStack&) = delete;
  UndoStack& operator=(const UndoStack&) = delete;
  ~UndoStack() {
    if (committed_) return;
    for (auto it = steps_.rbegin(); it != steps_.rend(); ++it) {
      try {
        it->second();
      } catch (const std::exception& e) {
        spdlog::warn("undo '{}' failed: {}", it->first, e.what());
      }
    }
  }

  void push(std::string what, std::function<void()> undo) {
    steps_.emplace_back(std::move(what), std::move(undo));
  }
  void commit() { committed_ = true; }

 private:
  std::vector<std::pair<std::string, std::function<void()>>> steps_;
  bool committed_ = false;
};

}  // namespace nsnet
