import Foundation
import Testing
import SelfDebugCore
import SelfDebugSandbox
import TestSupport

/// `selfdebug replay` and `selfdebug show` on real run folders.
@Suite("selfdebug replay and show, end to end")
struct ReplayShowEndToEndTests {
    let task = "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\nmax_iterations: 3\n---\n# Mean\nWrite mean(xs): 0 for an empty list.\n"
    let tests = "from stats import mean\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n\ndef test_empty():\n    assert mean([]) == 0\n"

    /// A finished run: a wrong version, then a right one.
    func solvedRun() async throws -> String {
        let server = try ScriptedServer([
            .reply("```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```\n"),
            .reply("```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n```\n"),
        ])
        let folder = try TemporaryFolder.make(prefix: "e2e-replay")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        return folder + "/run"
    }

    @Test func replayMatchesTheRecordWithNoModel() async throws {
        let run = try await solvedRun()
        let result = try await CLI.run(["replay", run], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("iteration 1: match (recorded tests_failed 1/2, replayed tests_failed 1/2)"))
        #expect(result.stdout.contains("iteration 2: match (recorded passed 2/2, replayed passed 2/2)"))
        #expect(result.stdout.contains("2 of 2 versions match the record"))
    }

    @Test func replaySaysWhatNoLongerMatches() async throws {
        let run = try await solvedRun()
        // Pretend the record said the first version passed test_empty.
        let path = run + "/trajectory.jsonl"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let index = try #require(lines.firstIndex { $0.contains("\"type\":\"exec\"") })
        lines[index] = lines[index].replacingOccurrences(of: "\"verdict\":\"tests_failed\"", with: "\"verdict\":\"passed\"")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await CLI.run(["replay", run, "--json"], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(result.status == 1)
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        let first = try #require(json["versions"]?.arrayValue?.first)
        #expect(first["matches"]?.boolValue == false)
        #expect(first["differences"]?.arrayValue?.first?.stringValue == "verdict: recorded passed, now tests_failed")
    }

    @Test func showTellsTheStoryAndTheHTMLRendersInABrowser() async throws {
        let run = try await solvedRun()
        let text = try await CLI.run(["show", run], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(text.status == 0)
        #expect(text.stdout.contains("── iteration 1"))
        #expect(text.stdout.contains("+    return sum(xs) / len(xs) if xs else 0"))
        #expect(text.stdout.contains("ran: tests_failed, tests 1/2"))
        #expect(text.stdout.contains("ZeroDivisionError"))
        #expect(text.stdout.contains("solved (solved) after 2 iterations"))

        let page = run + "/../report.html"
        let html = try await CLI.run(["show", run, "--html", page], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(html.status == 0)
        let source = try String(contentsOfFile: page, encoding: .utf8)
        #expect(source.contains("<svg"))
        #expect(!source.contains("<script"))
        #expect(!source.contains("http://") || !source.contains("src=\"http"))  // no external assets

        // A real headless browser renders it.
        let chromium = try #require(Toolchain.find("chromium") ?? Toolchain.find("chromium-browser"), "chromium is installed by scripts/test.sh")
        let rendered = try await ProcessRunner.run(ProcessSpec(
            executable: chromium, arguments: ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--dump-dom", "file://" + page],
            environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()], workingDirectory: NSTemporaryDirectory(), timeout: 60))
        #expect(rendered.exitStatus == 0)
        #expect(rendered.stdout.text.contains("<h2>Iteration 2</h2>"))
        #expect(rendered.stdout.text.contains("<rect"))
        #expect(!rendered.stderr.text.contains("Uncaught"))
        #expect(!rendered.stderr.text.contains(":CONSOLE("))
    }

    @Test func notARunFolderIsBadInput() async throws {
        let result = try await CLI.run(["show", NSTemporaryDirectory()], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not a run folder"))
    }
}

@Suite("selfdebug solve --resume and --from-step, end to end")
struct ResumeEndToEndTests {
    let task = "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\nmax_iterations: 3\n---\n# Mean\nWrite mean(xs): 0 for an empty list.\n"
    let tests = "from stats import mean\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n\ndef test_empty():\n    assert mean([]) == 0\n"
    let wrong = "```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```\n"
    let right = "```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n```\n"

    @Test func resumeServesTheRecordThenAsksTheModel() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-resume")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        let first = try ScriptedServer([.reply(wrong)])
        let stopped = try await CLI.run(["solve", "task.md", "--out", "run1", "--max-iterations", "1"], in: folder, environment: CLI.environment(first))
        #expect(stopped.status == 1)
        let second = try ScriptedServer([.reply(right)])
        let resumed = try await CLI.run(["solve", "--resume", "run1", "--out", "run2", "--max-iterations", "2"], in: folder, environment: CLI.environment(second))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("1 recorded replies to serve"))
        #expect(second.requests().count == 1)  // the first turn came from the record
        let responses = try CLI.events(folder + "/run2").filter { $0["type"]?.stringValue == "llm_response" }
        #expect(responses.map { $0["replayed"]?.boolValue } == [true, false])
    }

    @Test func fromStepBranchesBeforeThatIteration() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-branch")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        let first = try ScriptedServer([.reply(wrong), .reply(right)])
        _ = try await CLI.run(["solve", "task.md", "--out", "run1"], in: folder, environment: CLI.environment(first))
        let live = try ScriptedServer([.reply(right)])
        let branched = try await CLI.run(["solve", "--resume", "run1", "--from-step", "1", "--out", "run2"], in: folder, environment: CLI.environment(live))
        #expect(branched.status == 0)
        #expect(live.requests().count == 1)
        #expect(try CLI.summary(folder + "/run2")["iterations"]?.intValue == 1)
    }
}
