import Foundation

/// The seam to time: what time it is, and waiting.
///
/// Implementations: ``SystemClock``, and ``ManualClock`` for tests (no real waiting).
public protocol AgentClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Waits `seconds` (cancellable).
    func sleep(seconds: Double) async throws
}

/// The real clock.
public struct SystemClock: AgentClock {
    /// Creates the clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
    /// `Task.sleep`.
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}

/// A clock that only moves when told to or when slept on; sleeps return at once.
public final class ManualClock: AgentClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleeps: [Double] = []

    /// Creates a clock showing `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    /// The clock's time.
    public func now() -> Date { lock.withLock { current } }
    /// Moves the clock by `seconds`.
    public func advance(_ seconds: Double) { lock.withLock { current += seconds } }
    /// Every sleep asked for, in order.
    public var sleptSeconds: [Double] { lock.withLock { sleeps } }
    /// Moves the clock by `seconds` at once and records the sleep.
    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        lock.withLock {
            sleeps.append(seconds)
            current += seconds
        }
    }
}
