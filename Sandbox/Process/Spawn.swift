#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import CSystemShims

/// Where a spawned child's standard input comes from.
public enum SpawnInput: Sendable {
    /// `/dev/null`: the child reads end-of-file at once.
    case null
    /// A pipe: write to ``SpawnedProcess/standardInput``.
    case pipe
}

/// Where a spawned child's standard output or standard error goes.
public enum SpawnOutput: Sendable {
    /// `/dev/null`.
    case null
    /// A pipe: read ``SpawnedProcess/standardOutput`` or ``SpawnedProcess/standardError``.
    case pipe
    /// The file at this path, created if missing and appended to (a log).
    case appending(to: String)
    /// Standard error only: wherever standard output goes.
    case sameAsStandardOutput
}

extension ProcessRunner {
    /// Starts a long-running child and returns at once with its handle, with the same start-up as
    /// ``run(_:)``: a session and process group of its own, no signal blocked and every handler at
    /// its default (Foundation.Process on Linux leaves SIGTERM and SIGINT blocked in its children),
    /// exactly `environment` (nothing inherited), and no descriptor of ours but the three it is
    /// given. Stop it with ``SpawnedProcess/stop()``; dropping the handle stops it too.
    public static func spawn(
        _ executable: String, arguments: [String], environment: [String: String], workingDirectory: String? = nil,
        standardInput: SpawnInput = .null, standardOutput: SpawnOutput = .null, standardError: SpawnOutput = .null
    ) throws -> SpawnedProcess {
        if case .sameAsStandardOutput = standardOutput { preconditionFailure("sameAsStandardOutput is for standard error only") }
        var ours: [Int32] = []  // the parent's ends, handed to the handle
        var theirs: [Int32] = []  // the child's ends, closed here once it has started
        var pipes: [Int32: Int32] = [:]  // child descriptor -> the parent's end of its pipe
        func pipe(for target: Int32) throws -> Int32 {
            var fds: [Int32] = [0, 0]
            guard selfdebug_pipe_cloexec(&fds) == 0 else {
                throw ProcessLaunchError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
            }
            let (childEnd, parentEnd) = target == 0 ? (fds[0], fds[1]) : (fds[1], fds[0])
            theirs.append(childEnd)
            ours.append(parentEnd)
            pipes[target] = parentEnd
            return childEnd
        }
        defer { theirs.forEach { close($0) } }
        do {
            var plan: [(Int32, Redirect)] = []
            plan.append((0, standardInput == .pipe ? .descriptor(try pipe(for: 0)) : .open("/dev/null", O_RDONLY)))
            for (target, output) in [(Int32(1), standardOutput), (2, standardError)] {
                switch output {
                case .null: plan.append((target, .open("/dev/null", O_WRONLY)))
                case .pipe: plan.append((target, .descriptor(try pipe(for: target))))
                case .appending(let path): plan.append((target, .open(path, O_WRONLY | O_CREAT | O_APPEND)))
                case .sameAsStandardOutput: plan.append((target, .descriptor(1)))
                }
            }
            let pid = try launch(executable, arguments: arguments, environment: environment, workingDirectory: workingDirectory) { actions in
                for (target, redirect) in plan {
                    switch redirect {
                    case .open(let path, let flags): posix_spawn_file_actions_addopen(&actions, target, path, flags, 0o644)
                    case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
                    }
                }
            }
            let handle = { (target: Int32) in pipes[target].map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) } }
            return SpawnedProcess(pid: pid, standardInput: handle(0), standardOutput: handle(1), standardError: handle(2))
        } catch {
            ours.forEach { close($0) }
            throw error
        }
    }

    /// What one standard descriptor of a child becomes.
    private enum Redirect {
        case open(String, Int32)
        case descriptor(Int32)
    }

    /// The one posix_spawn every child of selfdebug goes through. `descriptors` sets up 0, 1 and 2;
    /// everything from 3 up is closed after it, so a child never holds a model connection libcurl
    /// has open on another thread, nor another run's pipe (which would keep that run's reader
    /// waiting until this child ends).
    static func launch(
        _ executable: String, arguments: [String], environment: [String: String], workingDirectory: String?,
        descriptors: (inout posix_spawn_file_actions_t) -> Void
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        descriptors(&actions)
        if let workingDirectory { selfdebug_spawn_addchdir(&actions, workingDirectory) }
        selfdebug_spawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A session of its own, so killing its group reaches everything it started (and nothing
        // of ours); a clean signal mask, so SIGTERM and SIGINT work in it whatever our threads block.
        selfdebug_spawnattr_clean_session(&attributes)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        // In a fixed order: a dictionary's changes from run to run.
        let envp = environment.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw ProcessLaunchError(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }
}
