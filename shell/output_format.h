// Rendering query results in the sqlite3 CLI's modes: box, table, csv, json, line, list.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

struct sqlite3_stmt;

namespace litehouse::shell {

enum class OutputMode { kBox, kTable, kCsv, kJson, kLine, kList };

// "box" → kBox, ...; returns false for an unknown name.
bool ParseOutputMode(const std::string& name, OutputMode* mode);

struct Cell {
  std::string text;
  bool is_null = false;
  bool is_number = false;
};

// Collects the rows of one statement and prints them in the chosen mode. Box and table modes
// need every row to size their columns; the others stream.
class ResultPrinter {
 public:
  ResultPrinter(FILE* out, OutputMode mode, bool headers) : out_(out), mode_(mode), headers_(headers) {}
  void Begin(sqlite3_stmt* stmt);
  void Row(sqlite3_stmt* stmt);
  void End();

 private:
  void PrintGrid();
  FILE* out_;
  OutputMode mode_;
  bool headers_;
  std::vector<std::string> columns_;
  std::vector<std::vector<Cell>> rows_;
  size_t streamed_ = 0;
};

}  // namespace litehouse::shell
