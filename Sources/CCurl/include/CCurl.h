// libcurl for Swift: the easy interface's variadic calls (curl_easy_setopt, curl_easy_getinfo)
// wrapped in fixed-signature functions, since Swift cannot call C variadic functions.
#ifndef C_CURL_H
#define C_CURL_H

#include <curl/curl.h>

/// A write or header callback: `size * count` bytes at `data`; returns the bytes taken.
typedef size_t (*selfdebug_curl_data_callback)(char *data, size_t size, size_t count, void *context);

/// An XFERINFO progress callback; a non-zero return aborts the transfer.
typedef int (*selfdebug_curl_progress_callback)(void *context, curl_off_t download_total, curl_off_t downloaded,
                                                curl_off_t upload_total, curl_off_t uploaded);

/// curl_global_init(CURL_GLOBAL_DEFAULT): call once per process, before the first transfer.
CURLcode selfdebug_curl_global_init(void);

/// curl_easy_setopt for options that take a long.
CURLcode selfdebug_curl_setopt_long(CURL *handle, CURLoption option, long value);

/// curl_easy_setopt for options that take a pointer (strings, lists, callback contexts, buffers).
CURLcode selfdebug_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);

/// curl_easy_setopt for options that take a curl_off_t.
CURLcode selfdebug_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

/// curl_easy_setopt for CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
CURLcode selfdebug_curl_setopt_data_callback(CURL *handle, CURLoption option, selfdebug_curl_data_callback callback);

/// curl_easy_setopt for CURLOPT_XFERINFOFUNCTION.
CURLcode selfdebug_curl_setopt_progress_callback(CURL *handle, CURLoption option, selfdebug_curl_progress_callback callback);

/// curl_easy_getinfo for information that is a long.
CURLcode selfdebug_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
