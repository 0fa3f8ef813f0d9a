import CCurl
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// libcurl's process-wide set-up, done once, lazily and thread-safely (a Swift static).
enum CurlGlobal {
    static let ready: Bool = selfdebug_curl_global_init() == CURLE_OK
}

/// One HTTP transfer with libcurl's easy interface on a thread of its own (`curl_easy_perform`
/// blocks, so it stays off Swift's cooperative pool), feeding an `AsyncThrowingStream`.
///
/// libcurl calls back on that thread only: the write callback for body bytes, the header callback
/// for each header line, the XFERINFO callback at least once a second. The callbacks find this
/// object through an unretained pointer; the thread's closure holds it strongly until
/// `curl_easy_perform` has returned, so the pointer outlives every callback.
final class CurlTransfer: @unchecked Sendable {
    // Set once in init.
    private let request: URLRequest
    private let timeout: Double
    private let continuation: AsyncThrowingStream<HTTPStreamPiece, Error>.Continuation
    // Touched only on the transfer's thread.
    private var parser = HTTPHeadParser()
    private var sentHead = false
    private var lastActivity = DispatchTime.now().uptimeNanoseconds
    private var transferred: Int64 = 0
    private var idleTimedOut = false
    // Shared with whoever cancels, under the lock.
    private let lock = NSLock()
    private var cancelled = false

    init(request: URLRequest, timeout: Double, continuation: AsyncThrowingStream<HTTPStreamPiece, Error>.Continuation) {
        self.request = request
        self.timeout = timeout
        self.continuation = continuation
    }

    /// Stops the transfer: the next callback aborts it and libcurl closes the connection.
    func cancel() { lock.withLock { cancelled = true } }

    private var isCancelled: Bool { lock.withLock { cancelled } }

    /// Runs the transfer on a new thread.
    func start() {
        let thread = Thread { self.perform() }
        thread.name = "selfdebug-http"
        thread.start()
    }

    private func perform() {
        guard CurlGlobal.ready, let handle = curl_easy_init() else {
            return continuation.finish(throwing: URLError(.unknown, userInfo: [NSLocalizedDescriptionKey: "libcurl could not be initialised"]))
        }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_easy_cleanup(handle)
            curl_slist_free_all(headerList)
            errorBuffer.deallocate()
        }
        let code: CURLcode
        do {
            headerList = try configure(handle, errorBuffer: errorBuffer)
            code = curl_easy_perform(handle)
        } catch {
            return continuation.finish(throwing: error)
        }
        if code == CURLE_OK {
            if !sentHead, let head = parser.head { continuation.yield(.head(head)) }
            if parser.head == nil { return continuation.finish(throwing: URLError(.badServerResponse)) }
            return continuation.finish()
        }
        if isCancelled { return continuation.finish(throwing: CancellationError()) }
        let detail = String(cString: errorBuffer)
        continuation.finish(throwing: Self.urlError(idleTimedOut ? CURLE_OPERATION_TIMEDOUT : code,
                                                    detail: idleTimedOut ? "no byte for \(timeout) s" : detail, url: request.url))
    }

    /// Sets the transfer's options; returns the header list to free after it.
    private func configure(_ handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>) throws -> UnsafeMutablePointer<curl_slist>? {
        guard let url = request.url?.absoluteString else { throw URLError(.badURL) }
        func check(_ code: CURLcode) throws {
            if code != CURLE_OK { throw URLError(.unknown, userInfo: [NSLocalizedDescriptionKey: "libcurl refused an option: \(String(cString: curl_easy_strerror(code)))"]) }
        }
        func set(_ option: CURLoption, _ value: Int) throws { try check(selfdebug_curl_setopt_long(handle, option, value)) }
        func set(_ option: CURLoption, _ value: String) throws {
            // libcurl copies string options.
            try value.withCString { try check(selfdebug_curl_setopt_pointer(handle, option, UnsafeMutableRawPointer(mutating: $0))) }
        }
        try check(selfdebug_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try set(CURLOPT_URL, url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 1)  // as URLSession did
        try set(CURLOPT_MAXREDIRS, 10)
        try set(CURLOPT_NOSIGNAL, 1)  // threads: no SIGALRM for DNS timeouts
        try set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)  // a proxy's CONNECT answer is not the server's
        try set(CURLOPT_USERAGENT, "selfdebug")
        // Timeouts: connecting, an idle stream (no byte for `timeout`, also checked exactly in the
        // progress callback), and a cap on the whole transfer as URLSession's resource timeout was.
        let idleSeconds = max(1, Int(timeout.rounded(.up)))
        try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(timeout * 1000)))
        try set(CURLOPT_LOW_SPEED_LIMIT, 1)
        try set(CURLOPT_LOW_SPEED_TIME, idleSeconds)
        try set(CURLOPT_TIMEOUT_MS, Int(max(timeout, 60) * 4 * 1000))

        let method = request.httpMethod ?? "GET"
        if let body = request.httpBody {
            try check(selfdebug_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            try body.withUnsafeBytes { bytes in  // copied by libcurl
                let empty: StaticString = ""
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                try check(selfdebug_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer)))
            }
            if method != "POST" { try set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "GET" {
            try set(CURLOPT_HTTPGET, 1)
        } else {
            try set(CURLOPT_CUSTOMREQUEST, method)
        }

        // Headers; an empty `Expect:` stops libcurl from waiting for `100 Continue` on large bodies.
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in (request.allHTTPHeaderFields ?? [:]).sorted(by: { $0.key < $1.key }) {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        list = curl_slist_append(list, "Expect:")
        try check(selfdebug_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, list))

        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(selfdebug_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        try check(selfdebug_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().received(body: data, count: size * count)
        })
        try check(selfdebug_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        try check(selfdebug_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().received(header: data, count: size * count)
        })
        try set(CURLOPT_NOPROGRESS, 0)
        try check(selfdebug_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context))
        try check(selfdebug_curl_setopt_progress_callback(handle, CURLOPT_XFERINFOFUNCTION) { context, _, downloaded, _, uploaded in
            guard let context else { return 1 }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().progress(bytes: Int64(downloaded) + Int64(uploaded))
        })
        return list
    }

    // MARK: Callbacks (on the transfer's thread)

    private func received(body data: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        guard !isCancelled else { return 0 }  // anything but `count` aborts the transfer
        lastActivity = DispatchTime.now().uptimeNanoseconds
        if !sentHead, let head = parser.head {
            sentHead = true
            continuation.yield(.head(head))
        }
        if case .terminated = continuation.yield(.body(Data(bytes: data, count: count))) { return 0 }
        return count
    }

    private func received(header data: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        guard !isCancelled else { return 0 }
        lastActivity = DispatchTime.now().uptimeNanoseconds
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
        if parser.feed(line) { sentHead = false }  // a new response block: its head is still to come
        return count
    }

    /// Non-zero stops the transfer: when cancelled, or when no byte moved for `timeout` seconds.
    private func progress(bytes: Int64) -> Int32 {
        if isCancelled { return 1 }
        let now = DispatchTime.now().uptimeNanoseconds
        if bytes != transferred {
            transferred = bytes
            lastActivity = now
        } else if Double(now - lastActivity) / 1e9 > timeout {
            idleTimedOut = true
            return 1
        }
        return 0
    }

    // MARK: Errors

    /// The `URLError` URLSession gave for the same failure, so retries and messages stay as they were:
    /// refused and unreachable hosts, timeouts and dropped connections are transient.
    static func urlError(_ code: CURLcode, detail: String, url: URL?) -> URLError {
        let mapped: URLError.Code = switch code {
        case CURLE_COULDNT_CONNECT: .cannotConnectToHost
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .cannotFindHost
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE: .networkConnectionLost
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM: .cannotParseResponse
        case CURLE_ABORTED_BY_CALLBACK: .cancelled
        case CURLE_SSL_CONNECT_ERROR: .secureConnectionFailed
        case CURLE_PEER_FAILED_VERIFICATION: .serverCertificateUntrusted
        case CURLE_UNSUPPORTED_PROTOCOL: .unsupportedURL
        case CURLE_URL_MALFORMAT: .badURL
        case CURLE_TOO_MANY_REDIRECTS: .httpTooManyRedirects
        case CURLE_BAD_CONTENT_ENCODING: .cannotDecodeContentData
        default: .unknown
        }
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        var info: [String: Any] = [NSLocalizedDescriptionKey: text]
        if let url { info[NSURLErrorFailingURLErrorKey] = url }
        return URLError(mapped, userInfo: info)
    }
}
