#include "engine/wiki_domain.h"

#include <arpa/inet.h>

#include <string>

namespace litehouse::internal {
namespace {

// The language-edition projects, each with the domain suffix that names it (Silver classifies
// every row's domain: no string is built per call).
struct LanguageProject {
  std::string_view name, suffix;  // suffix: ".wikipedia.org"
};
constexpr LanguageProject kLanguageProjects[] = {
    {"wikipedia", ".wikipedia.org"},   {"wiktionary", ".wiktionary.org"}, {"wikibooks", ".wikibooks.org"},
    {"wikinews", ".wikinews.org"},     {"wikiquote", ".wikiquote.org"},   {"wikisource", ".wikisource.org"},
    {"wikiversity", ".wikiversity.org"}, {"wikivoyage", ".wikivoyage.org"}};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A language code as Wikimedia uses them in subdomains: "en", "zh-min-nan", "be-tarask".
bool LooksLikeLanguage(std::string_view label) {
  if (label.size() < 2 || label.size() > 12) return false;
  if (label == "www" || label == "test" || label == "test2" || label == "beta") return false;
  for (char c : label) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return label.front() != '-' && label.back() != '-';
}

}  // namespace

WikiDomain ClassifyDomain(std::string_view domain) {
  if (domain == "commons.wikimedia.org") return {"commons", {}};
  if (domain == "meta.wikimedia.org") return {"meta", {}};
  if (domain == "species.wikimedia.org") return {"species", {}};
  if (domain == "www.mediawiki.org") return {"mediawiki", {}};
  if (domain == "wikidata.org" || EndsWith(domain, ".wikidata.org")) return {"wikidata", {}};
  if (domain == "wikifunctions.org" || EndsWith(domain, ".wikifunctions.org")) return {"wikifunctions", {}};
  for (const LanguageProject& p : kLanguageProjects) {
    if (domain == p.suffix.substr(1)) return {p.name, {}};
    if (EndsWith(domain, p.suffix)) {
      std::string_view label = domain.substr(0, domain.size() - p.suffix.size());
      if (label.find('.') != std::string_view::npos) return {p.name, {}};
      return {p.name, LooksLikeLanguage(label) ? label : std::string_view()};
    }
  }
  return {"other", {}};
}

bool IsIpAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  char buf[64];
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  unsigned char addr[16];
  return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

}  // namespace litehouse::internal
