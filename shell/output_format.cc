#include "shell/output_format.h"

#include <sqlite3.h>

#include <algorithm>
#include <clocale>
#include <cstdint>
#include <cwchar>

namespace litehouse::shell {
namespace {

// Display width of UTF-8 text in terminal cells: wide characters (CJK) take two, combining
// marks none.
size_t Width(const std::string& s) {
  static const bool locale_set = std::setlocale(LC_CTYPE, "C.UTF-8") != nullptr;
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    uint32_t cp = len == 1 ? c : c & (0xff >> (len + 1));
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    int w = locale_set ? wcwidth(static_cast<wchar_t>(cp)) : 1;
    n += w < 0 ? 1 : static_cast<size_t>(w);
    i += static_cast<size_t>(len);
  }
  return n;
}

std::string JsonEscape(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string CsvQuote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Cell ReadCell(sqlite3_stmt* stmt, int i) {
  Cell c;
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL: c.is_null = true; break;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      c.is_number = true;
      c.text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      break;
    case SQLITE_BLOB: {
      const unsigned char* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, i));
      int n = sqlite3_column_bytes(stmt, i);
      static const char kHex[] = "0123456789ABCDEF";
      c.text = "X'";
      for (int k = 0; k < n; ++k) {
        c.text += kHex[p[k] >> 4];
        c.text += kHex[p[k] & 15];
      }
      c.text += "'";
      break;
    }
    default: {
      const unsigned char* t = sqlite3_column_text(stmt, i);
      c.text.assign(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
  return c;
}

}  // namespace

bool ParseOutputMode(const std::string& name, OutputMode* mode) {
  if (name == "box") *mode = OutputMode::kBox;
  else if (name == "table") *mode = OutputMode::kTable;
  else if (name == "csv") *mode = OutputMode::kCsv;
  else if (name == "json") *mode = OutputMode::kJson;
  else if (name == "line") *mode = OutputMode::kLine;
  else if (name == "list") *mode = OutputMode::kList;
  else return false;
  return true;
}

void ResultPrinter::Begin(sqlite3_stmt* stmt) {
  columns_.clear();
  rows_.clear();
  streamed_ = 0;
  for (int i = 0; i < sqlite3_column_count(stmt); ++i) columns_.push_back(sqlite3_column_name(stmt, i));
  if (headers_ && (mode_ == OutputMode::kCsv || mode_ == OutputMode::kList)) {
    for (size_t i = 0; i < columns_.size(); ++i) {
      std::fputs(i ? (mode_ == OutputMode::kCsv ? "," : "|") : "", out_);
      std::fputs((mode_ == OutputMode::kCsv ? CsvQuote(columns_[i]) : columns_[i]).c_str(), out_);
    }
    std::fputc('\n', out_);
  }
}

void ResultPrinter::Row(sqlite3_stmt* stmt) {
  std::vector<Cell> row;
  for (int i = 0; i < static_cast<int>(columns_.size()); ++i) row.push_back(ReadCell(stmt, i));
  switch (mode_) {
    case OutputMode::kBox:
    case OutputMode::kTable: rows_.push_back(std::move(row)); return;
    case OutputMode::kCsv:
    case OutputMode::kList:
      for (size_t i = 0; i < row.size(); ++i) {
        std::fputs(i ? (mode_ == OutputMode::kCsv ? "," : "|") : "", out_);
        std::fputs((mode_ == OutputMode::kCsv ? CsvQuote(row[i].text) : row[i].text).c_str(), out_);
      }
      std::fputc('\n', out_);
      break;
    case OutputMode::kJson: {
      std::fputs(streamed_ == 0 ? "[{" : ",\n{", out_);
      for (size_t i = 0; i < row.size(); ++i) {
        std::string v = row[i].is_null ? "null" : row[i].is_number ? row[i].text : JsonEscape(row[i].text);
        std::fprintf(out_, "%s%s:%s", i ? "," : "", JsonEscape(columns_[i]).c_str(), v.c_str());
      }
      std::fputc('}', out_);
      break;
    }
    case OutputMode::kLine: {
      size_t w = 0;
      for (const auto& c : columns_) w = std::max(w, Width(c));
      if (streamed_ > 0) std::fputc('\n', out_);
      for (size_t i = 0; i < row.size(); ++i) {
        std::fprintf(out_, "%*s = %s\n", static_cast<int>(w), columns_[i].c_str(), row[i].text.c_str());
      }
      break;
    }
  }
  ++streamed_;
}

void ResultPrinter::End() {
  if (mode_ == OutputMode::kJson && streamed_ > 0) std::fputs("]\n", out_);
  if ((mode_ == OutputMode::kBox || mode_ == OutputMode::kTable) && !columns_.empty()) PrintGrid();
  std::fflush(out_);
}

void ResultPrinter::PrintGrid() {
  std::vector<size_t> width(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) width[i] = Width(columns_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], Width(row[i].text));
  }
  const bool box = mode_ == OutputMode::kBox;
  auto rule = [&](const char* left, const char* mid, const char* right, const char* fill) {
    std::fputs(left, out_);
    for (size_t i = 0; i < width.size(); ++i) {
      for (size_t k = 0; k < width[i] + 2; ++k) std::fputs(fill, out_);
      std::fputs(i + 1 < width.size() ? mid : right, out_);
    }
    std::fputc('\n', out_);
  };
  auto line = [&](const std::vector<std::string>& cells, const std::vector<bool>& right_align) {
    const char* bar = box ? "│" : "|";
    std::fputs(bar, out_);
    for (size_t i = 0; i < cells.size(); ++i) {
      size_t pad = width[i] - Width(cells[i]);
      if (right_align[i]) std::fprintf(out_, " %*s%s %s", static_cast<int>(pad), "", cells[i].c_str(), bar);
      else std::fprintf(out_, " %s%*s %s", cells[i].c_str(), static_cast<int>(pad), "", bar);
    }
    std::fputc('\n', out_);
  };
  if (box) rule("┌", "┬", "┐", "─"); else rule("+", "+", "+", "-");
  line(columns_, std::vector<bool>(columns_.size(), false));
  if (box) rule("├", "┼", "┤", "─"); else rule("+", "+", "+", "-");
  for (const auto& row : rows_) {
    std::vector<std::string> cells;
    std::vector<bool> right;
    for (const auto& c : row) {
      cells.push_back(c.text);
      right.push_back(c.is_number);
    }
    line(cells, right);
  }
  if (box) rule("└", "┴", "┘", "─"); else rule("+", "+", "+", "-");
}

}  // namespace litehouse::shell
