// What a wiki's domain says: its project and, for language editions, its language.
#pragma once

#include <string_view>

namespace litehouse::internal {

struct WikiDomain {
  std::string_view project;   // wikipedia, wiktionary, ..., wikidata, commons, meta, species,
                              // mediawiki, wikifunctions, other
  std::string_view language;  // "en" for en.wikipedia.org; empty for multilingual projects
};

WikiDomain ClassifyDomain(std::string_view domain);

// True if `text` is an IPv4 or IPv6 address (how anonymous editors appear in the stream).
bool IsIpAddress(std::string_view text);

}  // namespace litehouse::internal
