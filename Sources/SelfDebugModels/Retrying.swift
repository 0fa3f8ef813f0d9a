import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SelfDebugCore

/// A failure worth trying again (an HTTP status in the retry set, a dropped stream).
struct TransientFailure: Error {
    var reason: String
    var retryAfter: String?
}

/// The retry loop every provider shares: transient failures and dropped connections are retried
/// with exponential backoff and jitter (or the server's `Retry-After`), up to the policy's attempts.
struct Retrying {
    let policy: RetryPolicy
    let clock: any AgentClock
    let onRetry: (@Sendable (Int, Double, String) -> Void)?
    let endpoint: String
    let model: String

    func run(_ attempt: () async throws -> ChatResponse) async throws -> ChatResponse {
        var count = 0
        while true {
            count += 1
            try Task.checkCancellation()
            let failure: (reason: String, retryAfter: String?)
            do {
                var response = try await attempt()
                response.attempts = count
                return response
            } catch let error as TransientFailure {
                failure = (error.reason, error.retryAfter)
            } catch let error as URLError where Self.isTransient(error) {
                failure = (Self.describe(error), nil)
            } catch let error as URLError where error.code == .cancelled {
                throw CancellationError()
            } catch let error as URLError {
                throw ModelError(.unavailable, "cannot reach \(endpoint) for model '\(model)': \(Self.describe(error))")
            }
            try Task.checkCancellation()  // a cancelled request ends its stream early: no retry to announce
            guard count < policy.maxAttempts else {
                throw ModelError(.unavailable, "\(endpoint) kept failing for model '\(model)' after \(count) attempts; last: \(failure.reason)")
            }
            let delay = policy.delay(afterAttempt: count, retryAfter: failure.retryAfter, now: clock.now())
            onRetry?(count, delay, failure.reason)
            try await clock.sleep(seconds: delay)
        }
    }

    static func isTransient(_ error: URLError) -> Bool {
        [.networkConnectionLost, .cannotConnectToHost, .timedOut, .notConnectedToInternet, .dnsLookupFailed,
         .cannotFindHost, .badServerResponse, .resourceUnavailable, .cannotParseResponse, .zeroByteResource].contains(error.code)
    }

    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "the connection was dropped"
        case .timedOut: "no answer in time"
        case .cannotFindHost, .dnsLookupFailed: "unknown host"
        default: error.localizedDescription
        }
    }

    /// `text` without the API key (servers echo keys in their error messages).
    static func redact(_ text: String, key: String?) -> String {
        guard let key, key.count >= 4 else { return text }
        return text.replacingOccurrences(of: key, with: "[redacted]")
    }

    /// The `error.message` of an error body, else the body's start.
    static func serverMessage(_ body: Data) -> String {
        if let json = try? JSONDecoder().decode(JSONValue.self, from: body) {
            if let message = json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue ?? json["message"]?.stringValue {
                return String(message.prefix(500))
            }
        }
        return String(String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The error for a non-2xx answer: transient statuses are retried, 401/403/404 and the rest end the run.
    static func check(_ head: HTTPHead, body: Data, endpoint: String, model: String, policy: RetryPolicy, keyName: String,
                      notFoundHint: String, redact: (String) -> String) throws {
        guard !(200..<300).contains(head.status) else { return }
        let message = redact(serverMessage(body))
        if policy.retryableStatuses.contains(head.status) {
            throw TransientFailure(reason: "HTTP \(head.status)\(message.isEmpty ? "" : ": \(message)")", retryAfter: head.header("Retry-After"))
        }
        let place = "\(endpoint) (model '\(model)')"
        switch head.status {
        case 401, 403:
            throw ModelError(.unauthorized, "\(place) refused the credentials (HTTP \(head.status))\(message.isEmpty ? "" : ": \(message)"). Check \(keyName).", status: head.status)
        case 404:
            throw ModelError(.notFound, "\(place) answered HTTP 404 Not Found\(message.isEmpty ? "" : ": \(message)"). \(notFoundHint)", status: head.status)
        default:
            throw ModelError(.badRequest, "\(place) rejected the request (HTTP \(head.status))\(message.isEmpty ? "" : ": \(message)")", status: head.status)
        }
    }
}
