// OptionParser: "--name value" options, "--flag" switches and positional arguments, for the
// subcommands with options of their own (`run`, `replay-server`, `.ingest live`). Each option is
// declared once with what to do with its value; a mistake gets one message naming it.
#pragma once

#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace litehouse::shell {

class OptionParser {
 public:
  void Flag(const std::string& name, bool* out) { flags_[name] = out; }
  void Text(const std::string& name, std::function<void(const std::string&)> set) { texts_[name] = std::move(set); }
  // A non-negative number.
  void Number(const std::string& name, std::function<void(double)> set) { numbers_[name] = std::move(set); }

  bool Parse(const std::vector<std::string>& args, std::vector<std::string>* positional, std::string* error) const {
    for (size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a.rfind("--", 0) != 0) {
        positional->push_back(a);
        continue;
      }
      if (auto f = flags_.find(a); f != flags_.end()) {
        *f->second = true;
        continue;
      }
      auto t = texts_.find(a);
      auto n = numbers_.find(a);
      if (t == texts_.end() && n == numbers_.end()) {
        *error = "unknown option '" + a + "'";
        return false;
      }
      if (i + 1 >= args.size()) {
        *error = a + " needs a value";
        return false;
      }
      const std::string& v = args[++i];
      if (t != texts_.end()) {
        t->second(v);
        continue;
      }
      char* end = nullptr;
      const double num = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !(num >= 0)) {
        *error = a + " needs a non-negative number, not '" + v + "'";
        return false;
      }
      n->second(num);
    }
    return true;
  }

 private:
  std::map<std::string, bool*> flags_;
  std::map<std::string, std::function<void(const std::string&)>> texts_;
  std::map<std::string, std::function<void(double)>> numbers_;
};

// "a,b,,c" → {"a", "b", "c"}.
inline std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    std::string item = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace litehouse::shell
