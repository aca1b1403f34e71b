// Line editing, history and completion for the interactive shell, over libedit (BSD licence).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace litehouse::shell {

class LineEditor {
 public:
  // `completions` returns the words that may complete a prefix (tables, keywords, dot commands).
  explicit LineEditor(std::function<std::vector<std::string>()> completions);
  ~LineEditor();
  // Returns false at end of input (Ctrl-D).
  bool ReadLine(const char* prompt, std::string* line);
  void AddHistory(const std::string& entry);

 private:
  std::string history_path_;
};

}  // namespace litehouse::shell
