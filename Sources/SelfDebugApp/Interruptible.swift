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

    /// Runs `job`, cancelling it on the first SIGINT or SIGTERM; its errors are rethrown.
    public static func run<Value: Sendable>(_ job: sending @escaping @isolated(any) () async throws -> Value) async throws -> Outcome<Value> {
        let work = Task(operation: job)
        let handler = InterruptHandler { work.cancel() }
        // The handler must outlive the job, however it ends: its signal sources die with it.
        defer { withExtendedLifetime(handler) {} }
        let value = try await work.value
        return Outcome(value: value, interrupted: handler.wasInterrupted)
    }
}

/// Turns SIGINT and SIGTERM into a call of `onInterrupt`; the signals' default action (ending the
/// process at once) is replaced for as long as the process lives.
final class InterruptHandler: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var interrupted = false

    init(onInterrupt: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let first = self.lock.withLock { () -> Bool in
                    defer { self.interrupted = true }
                    return !self.interrupted
                }
                if first {
                    onInterrupt()
                } else {
                    exit(ExitStatus.interrupted.rawValue)  // a second Ctrl-C leaves at once
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether a signal has arrived.
    var wasInterrupted: Bool { lock.withLock { interrupted } }
}
