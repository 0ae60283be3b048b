#ifndef LEADROUTER_CCURL_SHIM_H
#define LEADROUTER_CCURL_SHIM_H

#include <curl/curl.h>

// curl_easy_setopt/getinfo are variadic and cannot be called from Swift: typed wrappers.
static inline CURLcode leadrouter_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode leadrouter_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode leadrouter_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode leadrouter_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode leadrouter_curl_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

// Callbacks are function pointers passed through the variadic setopt: typed wrappers too.
static inline CURLcode leadrouter_curl_setopt_read(CURL *h, curl_read_callback f) { return curl_easy_setopt(h, CURLOPT_READFUNCTION, f); }
static inline CURLcode leadrouter_curl_setopt_write(CURL *h, curl_write_callback f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode leadrouter_curl_setopt_debug(CURL *h, curl_debug_callback f) { return curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, f); }

// A response header of the last transfer (the last request of a redirect chain), or NULL.
static inline const char *leadrouter_curl_response_header(CURL *h, const char *name) {
    struct curl_header *header = NULL;
    if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK || header == NULL) return NULL;
    return header->value;
}

// CURLVERSION_NOW is a macro Swift does not import.
static inline curl_version_info_data *leadrouter_curl_version_info(void) { return curl_version_info(CURLVERSION_NOW); }

#endif
