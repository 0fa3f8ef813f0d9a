#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How a spawned child ended.
public enum ProcessExit: Sendable, Equatable {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)
    /// Something else reaped it, so how it ended is not known (never read this as a success).
    case unknown
}

/// A long-running child started by ``ProcessRunner/spawn(_:arguments:environment:workingDirectory:standardInput:standardOutput:standardError:)``:
/// it leads a process group of its own, and the handle owns that group. When the child exits,
/// whatever it left in its group is killed; ``stop()`` kills the group at any time; dropping the
/// handle stops it. Nothing outside the group is ever signalled.
public final class SpawnedProcess: @unchecked Sendable {
    /// The child's process id, also its process group's and its session's.
    public let pid: pid_t
    /// The write end of the child's standard input, when it was a pipe.
    public let standardInput: FileHandle?
    /// The read end of the child's standard output, when it was a pipe.
    public let standardOutput: FileHandle?
    /// The read end of the child's standard error, when it was a pipe.
    public let standardError: FileHandle?
    private let watch: ExitWatch

    init(pid: pid_t, standardInput: FileHandle?, standardOutput: FileHandle?, standardError: FileHandle?) {
        self.pid = pid
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
        watch = ExitWatch(pid: pid)
        // One thread per child blocks in waitid, so its exit is an event (no polling) and the
        // child is reaped even when nobody asks. It holds the watch, not the handle, so a dropped
        // handle still reaches `deinit` and stops the child.
        let watch = self.watch
        let thread = Thread { watch.waitForExit() }
        thread.stackSize = 1 << 18
        thread.start()
    }

    deinit { stop() }

    /// Whether the child still runs (an exited child is reaped at once, so this turns false then).
    public var isRunning: Bool { watch.exit == nil }

    /// How it ended; nil while it runs.
    public var exit: ProcessExit? { watch.exit }

    /// Kills the child's whole process group (SIGKILL: nothing in it can delay or refuse) and
    /// returns once the child has been reaped. Does nothing to a child that already ended.
    public func stop() {
        watch.killGroupAndWait()
    }

    /// Blocks the calling thread until the child ends, and says how. For synchronous callers;
    /// async code awaits ``exited()``.
    @discardableResult
    public func waitUntilExit() -> ProcessExit {
        watch.waitBlocking()
    }

    /// Suspends until the child ends, and says how.
    @discardableResult
    public func exited() async -> ProcessExit {
        await watch.wait()
    }
}

/// The child's exit, shared by the handle and the thread that waits for it. The lock also
/// guards the pid: the child is reaped only while the lock is held, and the group is signalled
/// only while it is held and the child not yet reaped, so a signal can never reach a process that
/// later took the same number.
private final class ExitWatch: @unchecked Sendable {
    let pid: pid_t
    private let condition = NSCondition()
    private var ended: ProcessExit?
    private var waiters: [CheckedContinuation<ProcessExit, Never>] = []

    init(pid: pid_t) { self.pid = pid }

    var exit: ProcessExit? {
        condition.lock()
        defer { condition.unlock() }
        return ended
    }

    /// Runs on the watching thread: waits for the exit without reaping (`WNOWAIT`: the zombie
    /// keeps the group's number from being reused), kills what the child left in its group, then
    /// reaps it and wakes every waiter.
    func waitForExit() {
        var info = siginfo_t()
        var result: Int32
        repeat { result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) } while result == -1 && errno == EINTR
        condition.lock()
        var outcome = ProcessExit.unknown
        // On ECHILD something else reaped the child: its number may already be another
        // process's, so its group is not signalled.
        if result == 0 {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, 0) } while reaped == -1 && errno == EINTR
            if reaped == pid {
                let signal = status & 0x7f
                outcome = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
            }
        }
        ended = outcome
        let ready = waiters
        waiters = []
        condition.broadcast()
        condition.unlock()
        ready.forEach { $0.resume(returning: outcome) }
    }

    func killGroupAndWait() {
        condition.lock()
        if ended == nil { kill(-pid, SIGKILL) }
        while ended == nil { condition.wait() }
        condition.unlock()
    }

    func waitBlocking() -> ProcessExit {
        condition.lock()
        defer { condition.unlock() }
        while ended == nil { condition.wait() }
        return ended!
    }

    func wait() async -> ProcessExit {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let ended {
                condition.unlock()
                continuation.resume(returning: ended)
            } else {
                waiters.append(continuation)
                condition.unlock()
            }
        }
    }
}
