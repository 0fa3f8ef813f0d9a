import Foundation

/// When and how long to wait before trying a model call again.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included (at least 5 by default).
    public var maxAttempts: Int = 6
    /// The first wait in seconds; each later one doubles, up to `maxDelay`.
    public var baseDelay: Double = 1
    /// The longest wait between attempts, and the most of a `Retry-After` that is honoured.
    public var maxDelay: Double = 60
    /// HTTP statuses worth retrying.
    public var retryableStatuses: Set<Int> = [408, 409, 429, 500, 502, 503, 504, 529]

    /// The defaults.
    public init() {}

    /// Seconds to wait before attempt `attempt + 1`: exponential with jitter (between half and all
    /// of the step), or the server's `Retry-After` when it gave one.
    public func delay(afterAttempt attempt: Int, retryAfter: String?, now: Date = Date(), random: Double = Double.random(in: 0...1)) -> Double {
        if let retryAfter, let seconds = Self.parseRetryAfter(retryAfter, now: now) {
            return min(max(0, seconds), maxDelay)
        }
        let step = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return step * (0.5 + 0.5 * random)
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    public static func parseRetryAfter(_ value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { $0.timeIntervalSince(now) }
    }
}
