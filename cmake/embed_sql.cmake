# Writes OUT: a C++ source defining litehouse::internal::kSqlScripts, one entry per sql/*.sql
# file (name without extension, full text), sorted by file name so the order is stable.
file(GLOB FILES ${SQL_DIR}/*.sql)
list(SORT FILES)
set(body "// Generated from sql/*.sql by cmake/embed_sql.cmake. Do not edit.\n#include \"engine/sql_scripts.h\"\nnamespace litehouse::internal {\nconst SqlScript kSqlScripts[] = {\n")
set(count 0)
foreach(f ${FILES})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} text)
  # Raw string literal with a delimiter no SQL file contains.
  string(APPEND body "  {\"${name}\", R\"lh_sql(${text})lh_sql\"},\n")
  math(EXPR count "${count}+1")
endforeach()
string(APPEND body "};\nconst int kSqlScriptCount = ${count};\n}  // namespace litehouse::internal\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
