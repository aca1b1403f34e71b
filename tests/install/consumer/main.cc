// A program that links the installed litehouse: ingests a file and prints Silver's row count.
#include <litehouse/litehouse.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  std::unique_ptr<litehouse::Database> db;
  litehouse::Status s = litehouse::Database::Open(argv[1], &db);
  if (s.ok()) s = db->Ingest(argv[2]);
  std::vector<std::vector<std::string>> rows;
  if (s.ok()) s = db->Query("SELECT count(*) FROM silver_events WHERE project = ?", &rows, {"wikipedia"});
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("%s %s\n", litehouse::Version(), rows[0][0].c_str());
  return 0;
}
