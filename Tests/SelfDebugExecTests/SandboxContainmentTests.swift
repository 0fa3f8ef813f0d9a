import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec
@testable import SelfDebugSandbox
import TestSupport

/// Hostile programs in the bubblewrap sandbox: each must be contained, and the feedback must
/// say what happened.
@Suite("Sandbox containment (adversarial programs)")
struct SandboxContainmentTests {
    /// A test file that runs `attack()` from the solution and reports what it returned.
    let harness = "from sol import attack\n\ndef test_attack():\n    result = attack()\n    print('RESULT', result)\n    assert result == 'contained'\n"

    func attack(_ body: String, timeout: Double = 10, limits: ResourceLimits = ResourceLimits()) async throws -> (ExecOutcome, String) {
        let code = "import os, sys, socket, subprocess, time\n\ndef attack():\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
        let outcome = try await Run.python(code, tests: harness, timeout: timeout, limits: limits)
        let task = TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: [:], timeout: timeout, body: "x")
        return (outcome, FeedbackBuilder().feedback(for: outcome, task: task))
    }

    func printed(_ outcome: ExecOutcome) -> String {
        (outcome.tests.compactMap(\.output) + [Run.output(outcome)]).joined(separator: "\n")
    }

    @Test func cannotReachAListenerOnTheHostLoopback() async throws {
        let listener = try LoopbackListener()
        let (outcome, feedback) = try await attack("""
        try:
            socket.create_connection(("127.0.0.1", \(listener.port)), timeout=3)
            return "connected"
        except OSError as error:
            return "blocked: " + type(error).__name__
        """)
        #expect(listener.accepted == 0)
        #expect(printed(outcome).contains("RESULT blocked"))
        #expect(feedback.contains("blocked: ConnectionRefusedError") || feedback.contains("blocked: OSError"))
    }

    @Test func cannotWriteOutsideTheWorkspace() async throws {
        let marker = "selfdebug-escape-\(UUID().uuidString.prefix(8))"
        let project = FileManager.default.currentDirectoryPath
        let home = NSHomeDirectory()
        let (outcome, _) = try await attack("""
        results = []
        for path in ["/tmp/\(marker)", "\(home)/\(marker)", "\(project)/\(marker)", "/usr/\(marker)", "/etc/\(marker)"]:
            try:
                with open(path, "w") as handle:
                    handle.write("escaped")
                results.append("wrote " + path)
            except OSError as error:
                results.append("refused " + type(error).__name__)
        return " | ".join(results)
        """)
        for path in ["/tmp/\(marker)", "\(home)/\(marker)", "\(project)/\(marker)", "/usr/\(marker)", "/etc/\(marker)"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written on the host")
        }
        #expect(printed(outcome).contains("refused"))
    }

    @Test func privateTmpAndSystemLibrariesAreUsable() async throws {
        let (outcome, _) = try await attack("""
        import tempfile
        with open("/tmp/scratch.txt", "w") as handle:
            handle.write("ok")
        with tempfile.NamedTemporaryFile() as handle:
            handle.write(b"ok")
        open("/etc/ld.so.cache", "rb").read(16)
        return "contained"
        """)
        #expect(outcome.verdict == .passed, "\(printed(outcome))")
    }

    @Test func cannotReadACanaryInTheHostsHome() async throws {
        let secret = "canary-\(UUID().uuidString)"
        let path = NSHomeDirectory() + "/.selfdebug-canary-\(UUID().uuidString.prefix(8))"
        try secret.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (outcome, _) = try await attack("""
        try:
            return open("\(path)").read()
        except OSError as error:
            return "unreadable: " + type(error).__name__
        """)
        #expect(!printed(outcome).contains(secret))
        #expect(printed(outcome).contains("unreadable"))
    }

    @Test func symlinkToAHostFileShowsNothing() async throws {
        let secret = "canary-\(UUID().uuidString)"
        let path = NSHomeDirectory() + "/.selfdebug-link-canary-\(UUID().uuidString.prefix(8))"
        try secret.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (outcome, _) = try await attack("""
        os.symlink("\(path)", "link")
        try:
            return open("link").read()
        except OSError as error:
            return "dangling: " + type(error).__name__
        """)
        #expect(!printed(outcome).contains(secret))
        #expect(printed(outcome).contains("dangling"))
    }

    @Test func environmentHoldsNoSecrets() async throws {
        setenv("OPENAI_API_KEY", "sk-canary-openai-key", 1)
        setenv("ANTHROPIC_API_KEY", "sk-ant-canary", 1)
        let (outcome, _) = try await attack("""
        text = repr(dict(os.environ)) + open("/proc/self/environ").read()
        try:
            text += open("/proc/1/environ").read()
        except OSError as error:
            text += " pid 1: " + type(error).__name__
        return text
        """)
        let text = printed(outcome)
        #expect(!text.contains("sk-canary-openai-key"))
        #expect(!text.contains("sk-ant-canary"))
        #expect(text.contains("PATH"))
    }

    @Test func hostProcessesAreInvisible() async throws {
        let (outcome, _) = try await attack("""
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
        return "pids=%d uid=%d" % (len(pids), os.getuid())
        """)
        let text = printed(outcome)
        let count = text.range(of: #"pids=(\d+)"#, options: .regularExpression).map { Int(text[$0].dropFirst(5)) ?? 999 } ?? 999
        #expect(count < 10, "\(text)")
        #expect(!text.contains("uid=0"))
    }

    @Test func daemonsDoNotOutliveTheRun() async throws {
        let marker = "98\(Int.random(in: 10_000...99_999))"
        _ = try await attack("""
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.execvp("sleep", ["sleep", "\(marker)"])
            os._exit(0)
        subprocess.Popen(["setsid", "nohup", "sleep", "\(marker)1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3)
        return "started"
        """)
        #expect(await ProcessTable.waitUntilGone(marker), "a daemon outlived the run: \(ProcessTable.pids(withCommandLineContaining: marker))")
    }

    @Test func forkBombHitsTheProcessLimit() async throws {
        var limits = ResourceLimits()
        limits.processes = 64
        let (outcome, _) = try await attack("""
        children = 0
        try:
            for _ in range(5000):
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
                children += 1
        except OSError as error:
            return "stopped after %d: %s" % (children, type(error).__name__)
        return "forked %d" % children
        """, timeout: 20, limits: limits)
        // The children sleep 30 s: ending well before that means the limit and the kill worked.
        // (20 s, not 5: the fork loop ends as soon as the limit is hit, but on a busy machine
        // 64 forks and Python's start-up can take seconds, and a timeout would print nothing.)
        #expect((outcome.runs.last?.durationSeconds ?? 99) < 25)
        let text = printed(outcome)
        #expect(text.contains("stopped after"), "\(text)")
        #expect(outcome.notes.contains("Limit hit: process limit 64 reached (fork or thread creation failed)."))
    }

    @Test func missingBubblewrapSaysHowToInstallIt() {
        #expect {
            _ = try BubblewrapSandbox(bwrapProgram: "/nonexistent/bwrap")
        } throws: { error in
            "\(error)".contains("apt-get install -y bubblewrap") && "\(error)".contains("--sandbox none")
        }
    }

    @Test func memoryBeyondTheLimitFailsAndIsReported() async throws {
        var limits = ResourceLimits()
        limits.memoryBytes = 256 << 20
        let (outcome, feedback) = try await attack("data = bytearray(4 * 1024 * 1024 * 1024)\nreturn 'allocated'", limits: limits)
        #expect(outcome.tests.first?.message?.contains("MemoryError") == true)
        #expect(feedback.contains("memory limit 256 MiB"))
    }

    @Test func hugeOutputIsCutAndSaidSo() async throws {
        let (outcome, feedback) = try await attack("""
        chunk = "x" * 1000000
        for _ in range(300):
            sys.__stdout__.write(chunk)
        sys.__stdout__.flush()
        return "printed"
        """, timeout: 30)
        let run = try #require(outcome.runs.last)
        #expect(run.stdout.truncated)
        #expect(run.stdout.totalBytes >= 300_000_000)
        #expect(run.stdout.text.utf8.count < 64_000)
        #expect(feedback.contains("output cut"))
    }

    @Test func sleepingPastTheTimeoutEndsPromptly() async throws {
        let (outcome, feedback) = try await attack("time.sleep(600)\nreturn 'woke'", timeout: 2)
        #expect((outcome.runs.last?.durationSeconds ?? 999) < 60)
        #expect(outcome.verdict == .timedOut)
        #expect(feedback.contains("timed out after 2 s"))
    }

    @Test func cpuLimitKillsABusyLoop() async throws {
        var limits = ResourceLimits()
        limits.cpuSeconds = 1
        let (outcome, feedback) = try await attack("while True:\n    pass", timeout: 20, limits: limits)
        #expect(outcome.verdict == .crashed)
        #expect(outcome.runs.last?.limitsHit.contains("killed: CPU limit 1 s") == true)
        #expect(feedback.contains("CPU limit"))
    }

    @Test func deletingTheTestsCannotMakeARunPass() async throws {
        let (outcome, _) = try await attack("""
        import glob
        for path in glob.glob("test_*.py") + glob.glob("*.py"):
            os.remove(path)
        return "deleted"
        """)
        #expect(outcome.verdict == .testsFailed)
    }
}

/// A TCP listener on the host's 127.0.0.1 that counts connections.
final class LoopbackListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var count = 0

    init() throws {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, length) } }
        guard bound == 0, listen(listening, 16) == 0 else { throw CocoaError(.fileWriteUnknown) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) } }
        fd = listening
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [weak self] in
            while true {
                let client = accept(listening, nil, nil)
                if client < 0 { return }
                self?.lock.withLock { self?.count += 1 }
                close(client)
            }
        }
    }

    var accepted: Int { lock.withLock { count } }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
