import Foundation
import Testing
@testable import SelfDebugSandbox
import TestSupport

/// `ProcessRunner.spawn`: long-running children (the local model's server, test servers). Every
/// process a test kills is one it started, found by a random marker in its command line; waits
/// are on events (a process gone from /proc, an exit), with generous limits, never fixed sleeps.
@Suite("Spawned processes: their own group, a clean start, stop kills the group", .timeLimit(.minutes(3)))
struct SpawnedProcessTests {
    static let environment = ["PATH": "/usr/bin:/bin"]

    static func marker(_ prefix: Int) -> String { "\(prefix)\(Int.random(in: 100_000...999_999))" }

    /// `sh -c script` with the given streams.
    static func sh(_ script: String, input: SpawnInput = .null, output: SpawnOutput = .null, error: SpawnOutput = .null) throws -> SpawnedProcess {
        try ProcessRunner.spawn("/bin/sh", arguments: ["-c", script], environment: environment,
                                standardInput: input, standardOutput: output, standardError: error)
    }

    /// `/proc/PID/stat`'s process group and session (fields 5 and 6; the name before them may
    /// hold spaces, so they are counted from its closing parenthesis).
    static func groupAndSession(_ pid: pid_t) -> (Int32, Int32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let group = Int32(fields[2]), let session = Int32(fields[3]) else { return nil }
        return (group, session)
    }

    /// A line of `/proc/PID/status`, e.g. `SigBlk`.
    static func status(_ pid: pid_t, _ key: String) -> String? {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").first { $0.hasPrefix(key + ":") }
            .map { $0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    @Test func aChildLeadsItsOwnSessionWithNoSignalBlockedEvenWhenOurThreadBlocksThem() async throws {
        let marker = Self.marker(4159)
        // Spawned from a thread with SIGTERM and SIGINT blocked, as Foundation.Process's children
        // on Linux would inherit them: the child must start clean anyway.
        let child: SpawnedProcess = try await withCheckedThrowingContinuation { continuation in
            Thread {
                var blocked = sigset_t()
                sigemptyset(&blocked)
                sigaddset(&blocked, SIGTERM)
                sigaddset(&blocked, SIGINT)
                pthread_sigmask(SIG_BLOCK, &blocked, nil)
                continuation.resume(with: Result { try ProcessRunner.spawn("/bin/sleep", arguments: [marker], environment: Self.environment) })
            }.start()
        }
        defer { child.stop() }
        #expect(child.isRunning)
        let ids = try #require(Self.groupAndSession(child.pid))
        #expect(ids.0 == child.pid, "not the leader of its own process group")
        #expect(ids.1 == child.pid, "not the leader of its own session")
        #expect(Self.status(child.pid, "SigBlk") == "0000000000000000")
        // No standard signal ignored. (glibc keeps its two internal real-time signals, 32 and 33,
        // out of posix_spawn's reset set: their state is the parent's and glibc's business.)
        let ignored = try #require(Self.status(child.pid, "SigIgn").flatMap { UInt64($0, radix: 16) })
        #expect(ignored & 0x7fff_ffff == 0, "signals 1-31 ignored: \(String(ignored, radix: 16))")
    }

    @Test func stopKillsTheWholeGroupAndOnlyIt() async throws {
        let marker = Self.marker(2653)
        let bystander = try ProcessRunner.spawn("/bin/sleep", arguments: [Self.marker(5897)], environment: Self.environment)
        defer { bystander.stop() }
        // The leader becomes the second sleep; the first runs beside it in the same group.
        let child = try Self.sh("sleep \(marker)1 & exec sleep \(marker)2")
        let both: Set<String> = ["sleep \(marker)1", "sleep \(marker)2"]
        let started = await ProcessTable.wait {
            Set(ProcessTable.pids(withCommandLineContaining: marker).compactMap(ProcessTable.commandLine(of:))) == both
        }
        #expect(started, "the two sleeps never ran")
        let pids = ProcessTable.pids(withCommandLineContaining: marker)
        #expect(pids.contains(child.pid))
        for pid in pids {
            #expect(Self.groupAndSession(pid)?.0 == child.pid, "pid \(pid) is not in the child's group")
        }
        child.stop()
        #expect(child.exit == .signaled(SIGKILL))
        #expect(!child.isRunning)
        #expect(await ProcessTable.waitUntilGone(marker), "a process of the stopped group survived")
        #expect(bystander.isRunning, "stopping one child touched another")
        child.stop()  // a second stop does nothing
    }

    @Test func aChildInheritsNoDescriptorButTheStandardThree() async throws {
        // A descriptor open here without close-on-exec (as libcurl's sockets are).
        let fd = open("/dev/null", O_RDONLY)
        #expect(fd > 2)
        defer { close(fd) }
        let child = try ProcessRunner.spawn("/bin/sleep", arguments: [Self.marker(3583)], environment: Self.environment,
                                            standardInput: .pipe, standardOutput: .pipe, standardError: .pipe)
        defer { child.stop() }
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/fd").sorted()
        #expect(descriptors == ["0", "1", "2"])
    }

    @Test func pipesCarryInputAndOutputAndTheEnvironmentIsOnlyWhatWasGiven() async throws {
        setenv("SELFDEBUG_SPAWN_TEST_SECRET", "sk-should-not-leak", 1)
        let child = try Self.sh("read line; echo \"got $line\"; env; echo err >&2; exit 4", input: .pipe, output: .pipe, error: .pipe)
        child.standardInput?.write(Data("hello\n".utf8))
        try child.standardInput?.close()
        let output = String(decoding: child.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        let errors = String(decoding: child.standardError?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        #expect(await child.exited() == .exited(4))
        #expect(output.hasPrefix("got hello\n"))
        #expect(output.contains("PATH=/usr/bin:/bin"))
        #expect(!output.contains("sk-should-not-leak"))
        #expect(errors == "err\n")
    }

    @Test func aLogIsAppendedToWithBothStreams() async throws {
        let log = try TemporaryFolder.make(prefix: "spawn-log") + "/server.log"
        try "earlier\n".write(toFile: log, atomically: true, encoding: .utf8)
        let child = try Self.sh("echo out; echo err >&2", output: .appending(to: log), error: .sameAsStandardOutput)
        #expect(child.waitUntilExit() == .exited(0))
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "earlier\nout\nerr\n")
    }

    @Test func whatAnExitedLeaderLeftInItsGroupIsKilled() async throws {
        let marker = Self.marker(9793)
        let child = try Self.sh("sleep \(marker) & exit 3")
        #expect(await child.exited() == .exited(3))
        #expect(await ProcessTable.waitUntilGone(marker), "the leader's leftover child survived")
    }

    @Test func droppingTheHandleStopsTheChild() async throws {
        let marker = Self.marker(2384)
        do {
            let child = try ProcessRunner.spawn("/bin/sleep", arguments: [marker], environment: Self.environment)
            #expect(await ProcessTable.waitUntilRunning(marker), "the child never started")
            withExtendedLifetime(child) {}  // held until here, so it was not dropped before the check
        }
        #expect(await ProcessTable.waitUntilGone(marker), "a dropped handle left its child running")
    }

    @Test func aProgramThatCannotStartIsAnError() {
        #expect(throws: ProcessLaunchError.self) {
            try ProcessRunner.spawn("/nonexistent/program", arguments: [], environment: Self.environment)
        }
    }
}
