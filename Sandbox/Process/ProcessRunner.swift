#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SelfDebugProcessRecord
import CSystemShims

/// A process to start.
public struct ProcessSpec: Sendable {
    /// Absolute path of the program.
    public var executable: String
    /// Arguments, without the program itself.
    public var arguments: [String]
    /// The complete environment (nothing is inherited).
    public var environment: [String: String]
    /// Where it starts.
    public var workingDirectory: String
    /// Wall-clock seconds before the whole process group is killed.
    public var timeout: Double
    /// Bytes kept from the start and from the end of each output stream.
    public var keepHeadBytes: Int = 16_384
    /// Bytes kept from the end of each output stream.
    public var keepTailBytes: Int = 16_384

    /// Creates a spec.
    public init(executable: String, arguments: [String], environment: [String: String], workingDirectory: String, timeout: Double) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
    }

    /// The program and its arguments.
    public var argv: [String] { [executable] + arguments }
}

/// How a process ended.
public struct ProcessResult: Sendable {
    /// The exit status, when it exited.
    public var exitStatus: Int32?
    /// The signal that ended it, when one did.
    public var signal: Int32?
    /// Whether the wall-clock limit was hit.
    public var timedOut: Bool
    /// Whether it was stopped because the caller was cancelled.
    public var cancelled: Bool
    /// Whether its status was lost (reaped elsewhere): then neither `exitStatus` nor `signal` is set,
    /// and it must never be read as a success.
    public var statusUnknown: Bool = false
    /// Seconds from start to end.
    public var duration: Double
    /// Standard output, head and tail.
    public var stdout: CapturedText
    /// Standard error, head and tail.
    public var stderr: CapturedText
}

/// Why a process could not be started.
public struct ProcessLaunchError: Error, CustomStringConvertible {
    /// What failed.
    public var description: String
}

/// Every process selfdebug starts goes through here: in a new session (so the whole group can be
/// killed), with a clean signal mask (unlike Foundation.Process on Linux), an explicit
/// environment, and only the three standard descriptors. ``run(_:)`` runs a command to the end
/// with its output streamed into head-and-tail buffers (a dedicated thread polls the pipes and the
/// child, so a grandchild that keeps a pipe open cannot hang the caller);
/// ``spawn(_:arguments:environment:workingDirectory:standardInput:standardOutput:standardError:)``
/// starts a long-running child (a server) and hands back a ``SpawnedProcess`` to stop it with.
public enum ProcessRunner {
    /// Runs `spec` to the end, or until its timeout or the caller's cancellation kills its group.
    public static func run(_ spec: ProcessSpec) async throws -> ProcessResult {
        let stop = StopFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    do {
                        continuation.resume(returning: try runBlocking(spec, stop: stop))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            stop.set()
        }
    }

    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    static func runBlocking(_ spec: ProcessSpec, stop: StopFlag) throws -> ProcessResult {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard selfdebug_pipe_cloexec(&outPipe) == 0, selfdebug_pipe_cloexec(&errPipe) == 0 else {
            throw ProcessLaunchError(description: "cannot create pipes: \(String(cString: strerror(errno)))")
        }
        let started = DispatchTime.now()
        let pid: pid_t
        do {
            pid = try launch(spec.executable, arguments: spec.arguments, environment: spec.environment, workingDirectory: spec.workingDirectory) { actions in
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
                posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
            }
        } catch {
            outPipe.forEach { close($0) }
            errPipe.forEach { close($0) }
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])

        var outputs = [
            HeadTailBuffer(headLimit: spec.keepHeadBytes, tailLimit: spec.keepTailBytes),
            HeadTailBuffer(headLimit: spec.keepHeadBytes, tailLimit: spec.keepTailBytes),
        ]
        var fds = [outPipe[0], errPipe[0]]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var waitStatus: Int32 = 0
        var exited = false
        var statusLost = false
        var exitedAt: DispatchTime?
        var timedOut = false
        var cancelled = false
        let deadline = started.uptimeNanoseconds + UInt64(max(0, spec.timeout) * 1e9)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 1)
        defer { buffer.deallocate() }

        while true {
            var pollSet = fds.enumerated().compactMap { $0.element >= 0 ? pollfd(fd: $0.element, events: Int16(POLLIN), revents: 0) : nil }
            // With the pipes open, poll wakes on output or hang-up; once they are closed, check the
            // child every millisecond (a child that closed its output may still run until the timeout).
            if !pollSet.isEmpty { _ = poll(&pollSet, nfds_t(pollSet.count), 20) } else { usleep(1_000) }
            for index in fds.indices where fds[index] >= 0 {
                while true {
                    let count = read(fds[index], buffer.baseAddress, buffer.count)
                    if count > 0 {
                        outputs[index].append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(fds[index])
                        fds[index] = -1
                        break
                    } else {
                        break
                    }
                }
            }
            let reaped = exited ? 0 : waitpid(pid, &waitStatus, WNOHANG)
            if reaped == -1, errno == ECHILD {
                // Already reaped elsewhere: nothing to wait for (never spin on it), and nothing known
                // of how it ended; the status stays unknown rather than a made-up 0.
                exited = true
                statusLost = true
                kill(-pid, SIGKILL)
                exitedAt = .now()
            } else if !exited, reaped == pid {
                exited = true
                exitedAt = .now()
                // The leader is gone: whatever it left in its group goes too.
                kill(-pid, SIGKILL)
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if !exited, !timedOut, !cancelled {
                if now >= deadline { timedOut = true }
                if stop.isSet { cancelled = true }
                if timedOut || cancelled {
                    kill(-pid, SIGKILL)
                    kill(pid, SIGKILL)
                }
            }
            if exited {
                let openPipes = fds.contains { $0 >= 0 }
                // A process outside the group may hold a pipe open: stop reading soon after the exit.
                if !openPipes || now - exitedAt!.uptimeNanoseconds > 300_000_000 { break }
            }
        }
        for fd in fds where fd >= 0 { close(fd) }
        let duration = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let signaled = (waitStatus & 0x7f) != 0 && (waitStatus & 0x7f) != 0x7f
        return ProcessResult(
            exitStatus: statusLost || signaled ? nil : (waitStatus >> 8) & 0xff,
            signal: !statusLost && signaled ? waitStatus & 0x7f : nil,
            timedOut: timedOut, cancelled: cancelled, statusUnknown: statusLost, duration: duration,
            stdout: outputs[0].captured(), stderr: outputs[1].captured())
    }
}
