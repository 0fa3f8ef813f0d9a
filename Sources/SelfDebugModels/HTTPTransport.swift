import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTP answer: status, headers and body (the body arrives in pieces when streamed).
struct HTTPHead: Sendable {
    var status: Int
    var headers: [String: String]

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Pieces of a streamed answer: the head once, before any body.
enum HTTPStreamPiece: Sendable {
    case head(HTTPHead)
    case body(Data)
}

/// Sends requests with libcurl, whole or streamed, each transfer on its own thread.
///
/// libcurl sleeps in `poll` while it waits for a reply (about one wake-up a second), where
/// FoundationNetworking's URLSession spun on Linux (88% of a core while a local model thought).
/// `timeout` is an idle timeout, as URLSession's `timeoutIntervalForRequest` was: the request fails
/// when no byte arrives for that long (and connecting may take that long). Failures are thrown as
/// `URLError`s with the codes URLSession used (see `CurlTransfer.urlError`), so `Retrying` sorts
/// them as before. Ending the stream early (task cancellation, Ctrl-C, breaking out of the loop)
/// stops the transfer and closes the connection within about a second.
enum HTTPTransport {
    static func send(_ request: URLRequest, timeout: Double) async throws -> (HTTPHead, Data) {
        var head: HTTPHead?
        var body = Data()
        for try await piece in stream(request, timeout: timeout) {
            switch piece {
            case .head(let value): head = value
            case .body(let data): body.append(data)
            }
        }
        guard let head else { throw URLError(.badServerResponse) }
        return (head, body)
    }

    static func stream(_ request: URLRequest, timeout: Double) -> AsyncThrowingStream<HTTPStreamPiece, Error> {
        AsyncThrowingStream { continuation in
            let transfer = CurlTransfer(request: request, timeout: timeout, continuation: continuation)
            // Whoever stops listening (cancelled task, dropped stream) stops the transfer. The
            // handler is released once the stream ends, which the transfer always makes it do.
            continuation.onTermination = { _ in transfer.cancel() }
            transfer.start()
        }
    }
}

/// The status and headers of the last response block a transfer saw: a new status line starts
/// over, so interim answers (`100 Continue`) and followed redirects leave nothing behind.
struct HTTPHeadParser {
    private(set) var status: Int?
    private(set) var headers: [String: String] = [:]

    /// The head parsed so far, once a status line was seen.
    var head: HTTPHead? { status.map { HTTPHead(status: $0, headers: headers) } }

    /// Feeds one header line as libcurl delivers it (with its CRLF); returns true when the line
    /// was a status line, i.e. a new response block began.
    mutating func feed(_ rawLine: String) -> Bool {
        let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) : nil
            headers = [:]
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return false }  // the blank line ending a block
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return false }
        if let earlier = headers[name] { headers[name] = earlier + ", " + value } else { headers[name] = value }
        return false
    }
}
