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

/// Pieces of a streamed answer.
enum HTTPStreamPiece: Sendable {
    case head(HTTPHead)
    case body(Data)
}

/// Sends requests with URLSession, whole or streamed. Streaming uses a data delegate feeding an
/// `AsyncThrowingStream` (FoundationNetworking on Linux has no `bytes(for:)`); cancelling the
/// caller cancels the URLSession task, which closes the connection.
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
            let delegate = StreamingDelegate(continuation: continuation)
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            configuration.timeoutIntervalForResource = max(timeout, 60) * 4
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
            let task = session.dataTask(with: request)
            continuation.onTermination = { _ in
                task.cancel()
                session.finishTasksAndInvalidate()
            }
            task.resume()
        }
    }
}

final class StreamingDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let continuation: AsyncThrowingStream<HTTPStreamPiece, Error>.Continuation

    init(continuation: AsyncThrowingStream<HTTPStreamPiece, Error>.Continuation) {
        self.continuation = continuation
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        if let http = response as? HTTPURLResponse {
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                headers["\(key)"] = "\(value)"
            }
            continuation.yield(.head(HTTPHead(status: http.statusCode, headers: headers)))
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        continuation.yield(.body(data))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error { continuation.finish(throwing: error) } else { continuation.finish() }
    }
}
