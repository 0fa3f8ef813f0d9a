// The option is a variable here, which curl's compile-time type checks cannot follow.
#define CURL_DISABLE_TYPECHECK 1
#include "CCurl.h"

CURLcode selfdebug_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

CURLcode selfdebug_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode selfdebug_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode selfdebug_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode selfdebug_curl_setopt_data_callback(CURL *handle, CURLoption option, selfdebug_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode selfdebug_curl_setopt_progress_callback(CURL *handle, CURLoption option, selfdebug_curl_progress_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode selfdebug_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
