// Owners for libcurl handles, and its one-time global set-up, shared by the stream client and
// the alert webhook.
#pragma once

#include <curl/curl.h>

namespace litehouse::internal {

// (CURL and CURLM are both void: one deleter each.)
struct EasyDeleter {
  void operator()(CURL* p) const { curl_easy_cleanup(p); }
};
struct MultiDeleter {
  void operator()(CURLM* p) const { curl_multi_cleanup(p); }
};
struct SlistDeleter {
  void operator()(curl_slist* p) const { curl_slist_free_all(p); }
};

// curl_global_init is not thread-safe on old libcurls; do it once, first.
inline void CurlGlobalInitOnce() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

}  // namespace litehouse::internal
