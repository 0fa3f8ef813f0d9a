import Foundation
import Testing
@testable import SelfDebugExec
@testable import SelfDebugSandbox
import TestSupport

@Suite("Processes: status, output, timeouts and tree-kill")
struct ProcessRunnerTests {
    func sh(_ script: String, timeout: Double = 10, keep: Int = 16_384) async throws -> ProcessResult {
        var spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", script], environment: ["PATH": "/usr/bin:/bin"], workingDirectory: "/tmp", timeout: timeout)
        spec.keepHeadBytes = keep
        spec.keepTailBytes = keep
        return try await ProcessRunner.run(spec)
    }

    @Test func aChildInheritsNoDescriptorButTheStandardThree() async throws {
        // A descriptor open in selfdebug without close-on-exec (as libcurl's sockets are).
        let fd = open("/dev/null", O_RDONLY)
        #expect(fd > 2)
        defer { close(fd) }
        let result = try await sh("if [ -e /proc/$$/fd/\(fd) ]; then echo inherited; else echo clean; fi")
        #expect(result.stdout.text == "clean\n")
    }

    @Test func exitStatusAndBothStreams() async throws {
        let result = try await sh("echo out; echo err >&2; exit 3")
        #expect(result.exitStatus == 3)
        #expect(result.signal == nil)
        #expect(result.stdout.text == "out\n")
        #expect(result.stderr.text == "err\n")
        #expect(!result.timedOut)
    }

    @Test func signalIsReported() async throws {
        let result = try await sh("kill -SEGV $$")
        #expect(result.signal == 11)
        #expect(result.exitStatus == nil)
    }

    @Test func environmentIsOnlyWhatWasGiven() async throws {
        setenv("SELFDEBUG_TEST_SECRET", "sk-should-not-leak", 1)
        let result = try await sh("env")
        #expect(!result.stdout.text.contains("sk-should-not-leak"))
        #expect(result.stdout.text.contains("PATH=/usr/bin:/bin"))
    }

    @Test func timeoutKillsTheWholeGroupPromptly() async throws {
        let marker = "3141\(Int.random(in: 100...999))"
        let result = try await sh("sleep \(marker) & sleep \(marker)1", timeout: 1)
        #expect(result.timedOut)
        // The sleeps would last a month: a run that ends at all was ended by the timeout. The
        // bound is loose so a busy machine does not fail it; speed lives in benchmarks.
        #expect(result.duration < 30)
        #expect(await ProcessTable.waitUntilGone(marker), "a process of the timed-out group survived")
    }

    @Test func leftoverChildrenOfAnExitedLeaderAreKilled() async throws {
        let marker = "2718\(Int.random(in: 100...999))"
        let result = try await sh("sleep \(marker) & exit 0")
        #expect(result.exitStatus == 0)
        #expect(await ProcessTable.waitUntilGone(marker), "the leader's leftover child survived")
    }

    @Test func escapedDaemonHoldingThePipeDoesNotHangTheCaller() async throws {
        // Without a pid namespace a setsid daemon escapes the group (the sandbox handles that);
        // the runner must still return soon after the leader exits.
        let marker = "1618\(Int.random(in: 100...999))"
        let result = try await sh("setsid sleep \(marker) & echo started", timeout: 120)
        // Waiting for the daemon to close the pipe would last until the 120 s timeout.
        #expect(!result.timedOut)
        #expect(result.duration < 60)
        #expect(result.stdout.text.contains("started"))
        _ = try await sh("pkill -f 'sleep \(marker)'")
    }

    @Test func hugeOutputKeepsHeadAndTailAndSaysTheCut() async throws {
        let result = try await sh("echo FIRST; head -c 50000000 /dev/zero | tr '\\0' x; echo; echo LAST", timeout: 30, keep: 8192)
        #expect(result.exitStatus == 0)
        #expect(result.stdout.truncated)
        #expect(result.stdout.totalBytes > 50_000_000)
        #expect(result.stdout.text.hasPrefix("FIRST\n"))
        #expect(result.stdout.text.hasSuffix("LAST\n"))
        #expect(result.stdout.text.contains("output cut"))
        #expect(result.stdout.text.utf8.count < 20_000)
    }

    @Test func cancellationKillsTheProcess() async throws {
        let marker = "1414\(Int.random(in: 100...999))"
        let task = Task { try await sh("sleep \(marker)", timeout: 600) }
        #expect(await ProcessTable.waitUntilRunning(marker), "the process never started")
        task.cancel()
        let result = try await task.value
        #expect(result.cancelled)
        #expect(await ProcessTable.waitUntilGone(marker), "the cancelled process survived")
    }
}
