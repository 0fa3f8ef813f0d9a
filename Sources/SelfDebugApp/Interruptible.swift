import Dispatch
import Foundation

/// Runs a job in a task of its own that Ctrl-C (SIGINT) and SIGTERM cancel, so the job can finish
/// its run folder (summary written) before the process exits with 130. A second signal leaves at
/// once. Every service runs its work through this one place.
public enum Interruptible {
    /// What a job gave, and whether a signal asked it to stop.
    public struct Outcome<Value: Sendable>: Sendable {
        /// The job's value (an interrupted job returns what it had).
        public var value: Value
        /// Whether SIGINT or SIGTERM arrived while the job ran.
        public var interrupted: Bool
    }

    /// Runs `job`, cancelling it on the first SIGINT or SIGTERM (at once when one already came:
    /// a stopped process starts no new work); its errors are rethrown.
    public static func run<Value: Sendable>(_ job: sending @escaping @isolated(any) () async throws -> Value) async throws -> Outcome<Value> {
        let work = Task(operation: job)
        let handler = InterruptHandler.shared
        let token = handler.register { work.cancel() }
        defer { handler.unregister(token) }
        let value = try await work.value
        return Outcome(value: value, interrupted: handler.wasInterrupted)
    }
}

/// Turns SIGINT and SIGTERM into cancelling the jobs that run at the time; the signals' default
/// action (ending the process at once) is replaced for as long as the process lives. One for the
/// process: on Linux a signal goes to one of the dispatch sources that watch it, so a second set
/// of sources (a handler per job, as `bench` ran one per strategy) would miss the signals the
/// first set took.
final class InterruptHandler: @unchecked Sendable {
    /// The process's handler (its signal sources start with the first job).
    static let shared = InterruptHandler()

    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var interrupted = false
    private var jobs: [Int: @Sendable () -> Void] = [:]
    private var nextToken = 0

    private init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [unowned self] in self.signalled() }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal cancels the running jobs; a second Ctrl-C leaves at once.
    private func signalled() {
        let cancels = lock.withLock { () -> [@Sendable () -> Void]? in
            defer { interrupted = true }
            return interrupted ? nil : Array(jobs.values)
        }
        guard let cancels else { exit(ExitStatus.interrupted.rawValue) }
        cancels.forEach { $0() }
    }

    /// Adds a running job's cancel; it is called at once when a signal already came.
    func register(_ cancel: @escaping @Sendable () -> Void) -> Int {
        let (token, already) = lock.withLock { () -> (Int, Bool) in
            nextToken += 1
            jobs[nextToken] = cancel
            return (nextToken, interrupted)
        }
        if already { cancel() }
        return token
    }

    /// Removes a finished job.
    func unregister(_ token: Int) {
        _ = lock.withLock { jobs.removeValue(forKey: token) }
    }

    /// Whether a signal has arrived.
    var wasInterrupted: Bool { lock.withLock { interrupted } }
}
