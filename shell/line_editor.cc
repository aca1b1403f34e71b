#include "shell/line_editor.h"

#include <editline/readline.h>

#include <cstdlib>
#include <cstring>

namespace litehouse::shell {
namespace {

std::function<std::vector<std::string>()> g_completions;
std::vector<std::string> g_candidates;

char* Generator(const char* text, int state) {
  static size_t index;
  if (state == 0) {
    index = 0;
    g_candidates = g_completions ? g_completions() : std::vector<std::string>();
  }
  size_t n = std::strlen(text);
  while (index < g_candidates.size()) {
    const std::string& c = g_candidates[index++];
    if (strncasecmp(c.c_str(), text, n) == 0) return strdup(c.c_str());
  }
  return nullptr;
}

char** Complete(const char* text, int, int) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, Generator);
}

}  // namespace

LineEditor::LineEditor(std::function<std::vector<std::string>()> completions) {
  g_completions = std::move(completions);
  rl_readline_name = const_cast<char*>("litehouse");
  rl_attempted_completion_function = Complete;
  rl_basic_word_break_characters = const_cast<char*>(" \t\n\"'`@$><=;|&{(,");
  const char* home = std::getenv("HOME");
  if (home) {
    history_path_ = std::string(home) + "/.litehouse_history";
    read_history(history_path_.c_str());
  }
}

LineEditor::~LineEditor() {
  if (!history_path_.empty()) {
    write_history(history_path_.c_str());
    history_truncate_file(history_path_.c_str(), 2000);
  }
}

bool LineEditor::ReadLine(const char* prompt, std::string* line) {
  char* raw = readline(prompt);
  if (!raw) return false;
  *line = raw;
  std::free(raw);
  return true;
}

void LineEditor::AddHistory(const std::string& entry) {
  if (!entry.empty()) add_history(entry.c_str());
}

}  // namespace litehouse::shell
