import Foundation
import Testing
import TestSupport

/// The built `selfdebug` started in the background, for tests that act on it while it runs
/// (sending it a signal). Its exit is an event to wait on, never a clock.
///
/// The one place left on Foundation.Process, on purpose: on Linux its children start with SIGINT
/// and SIGTERM blocked, the parent selfdebug unblocks them for (SelfDebugCommand.swift), so the
/// interrupt tests also check that selfdebug still stops on Ctrl-C when started this way.
final class BackgroundRun: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var status: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    init(_ arguments: [String], in folder: String, environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.terminationHandler = { [self] ended in finish(ended.terminationStatus) }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Sends `signal` to the running binary.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status, once the binary has exited.
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let done: Int32? = lock.withLock {
                if let status { return status }
                waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func finish(_ value: Int32) {
        let ready = lock.withLock { () -> [CheckedContinuation<Int32, Never>] in
            status = value
            defer { waiters = [] }
            return waiters
        }
        ready.forEach { $0.resume(returning: value) }
    }
}

/// What happened first of two awaited events.
enum FirstOf<A: Sendable, B: Sendable>: Sendable {
    case first(A)
    case second(B)

    /// Waits for whichever of `first` and `second` ends first. The other is left to finish on
    /// its own (neither needs to be cancellable, so a wait on a server event can take part).
    static func race(_ first: @escaping @Sendable () async -> A, _ second: @escaping @Sendable () async -> B) async -> FirstOf {
        let once = ResumeOnce<FirstOf>()
        return await withCheckedContinuation { continuation in
            once.set(continuation)
            Task { once.resume(.first(await first())) }
            Task { once.resume(.second(await second())) }
        }
    }
}

/// A continuation resumed by the first of several callers.
private final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Never>?

    func set(_ continuation: CheckedContinuation<Value, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    func resume(_ value: Value) {
        let waiting = lock.withLock { () -> CheckedContinuation<Value, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: value)
    }
}

extension BackgroundRun {
    /// Starts `arguments` in `folder`, sends SIGINT once the server has seen `requests` requests
    /// (the last one never answered), and returns the exit status; nil when the run ended first.
    static func interrupt(_ arguments: [String], in folder: String, server: ScriptedServer, after requests: Int) async throws -> Int32? {
        let run = try BackgroundRun(arguments, in: folder, environment: CLI.environment(server))
        let reached = await FirstOf.race({ await server.waitFor("request", count: requests) }, { await run.exitStatus() })
        if case .second(let status) = reached {
            Issue.record("the run ended (exit status \(status)) before its model call was waiting, so there was nothing to interrupt")
            return nil
        }
        run.send(SIGINT)
        return await run.exitStatus()
    }
}
