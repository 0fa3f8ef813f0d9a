import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// `selfdebug solve` run as a user runs it: the built binary, a scripted OpenAI-compatible
/// server on 127.0.0.1, real tests in the real sandbox.
@Suite("selfdebug solve, end to end")
struct SolveEndToEndTests {
    let pythonTask = """
    ---
    language: python
    solution: stats.py
    tests: test_stats.py
    timeout: 10
    max_iterations: 3
    ---
    # Mean and median
    Write `mean(xs)` and `median(xs)`; both return 0 for an empty list.
    """
    let pythonTests = """
    from stats import mean, median

    def test_mean():
        assert mean([1, 2, 3]) == 2

    def test_mean_empty():
        assert mean([]) == 0

    def test_median_even():
        assert median([1, 2, 3, 4]) == 2.5
    """
    let wrongPython = "Here you go:\n```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n\ndef median(xs):\n    xs = sorted(xs)\n    return xs[len(xs) // 2]\n```\n"
    let rightPython = "stats.py\n```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n\ndef median(xs):\n    if not xs:\n        return 0\n    xs = sorted(xs)\n    n = len(xs)\n    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2\n```\n"

    func pythonFolder() throws -> String {
        let folder = try TemporaryFolder.make(prefix: "e2e-python")
        try TemporaryFolder.write(["task.md": pythonTask, "test_stats.py": pythonTests], in: folder)
        return folder
    }

    @Test func pythonWrongThenRightThroughRealFeedback() async throws {
        let server = try ScriptedServer([.reply(wrongPython), .reply(rightPython)])
        let folder = try pythonFolder()
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        // The second request carries the actual failure text.
        let second = try #require(server.lastUserMessages().dropFirst().first)
        #expect(second.contains("ZeroDivisionError: division by zero"))
        #expect(second.contains("left:  median([1, 2, 3, 4]) = 3"))
        #expect(second.contains("stats.py:2 in mean"))
        // The run folder is complete.
        let run = folder + "/run"
        let types = try CLI.events(run).compactMap { $0["type"]?.stringValue }
        #expect(types == ["run_start", "llm_request", "llm_response", "code", "exec", "feedback", "llm_request", "llm_response", "code", "exec", "run_end"])
        for event in try CLI.events(run) {
            #expect(event["time"]?.stringValue != nil)
            #expect(event["iteration"]?.intValue != nil)
        }
        let exec = try #require(try CLI.events(run).first { $0["type"]?.stringValue == "exec" })
        #expect(exec["duration_seconds"]?.doubleValue != nil)
        #expect(exec["timed_out"]?.boolValue == false)
        #expect(exec["tests"]?.arrayValue?.count == 3)
        let summary = try CLI.summary(run)
        #expect(summary["status"]?.stringValue == "solved")
        #expect(summary["iterations"]?.intValue == 2)
        #expect(summary["llm_calls"]?.intValue == 2)
        #expect((summary["prompt_tokens"]?.intValue ?? 0) > 0)
        #expect(summary["exec_seconds"]?.doubleValue != nil)
        let solution = try String(contentsOfFile: run + "/solution/stats.py", encoding: .utf8)
        #expect(solution.contains("if xs else 0"))
        // No secret anywhere in the run folder.
        #expect(!CLI.allText(under: run).contains("sk-e2e-secret-key"))
        // The key reached the server, as a bearer token.
        #expect(server.requests().first?["authorization"]?.stringValue == "Bearer sk-e2e-secret-key-0123456789")
    }

    @Test func swiftCompileErrorIsFedBackAndFixed() async throws {
        let task = """
        ---
        language: swift
        solution: Stats.swift
        timeout: 120
        max_iterations: 3
        ---
        # Mean
        Write `func mean(_ xs: [Double]) -> Double` returning 0 for an empty array.

        ## Tests
        ```swift
        import XCTest
        @testable import Stats

        final class StatsTests: XCTestCase {
            func testMean() { XCTAssertEqual(mean([1, 2, 3]), 2) }
            func testEmpty() { XCTAssertEqual(mean([]), 0) }
        }
        ```
        """
        let wrong = "```swift\nfunc mean(_ xs: [Double]) -> Double {\n    return xs.reduce(0, +) / xs.count\n}\n```\n"
        let right = "Stats.swift\n```swift\nfunc mean(_ xs: [Double]) -> Double {\n    xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)\n}\n```\n"
        let server = try ScriptedServer([.reply(wrong), .reply(right)])
        let folder = try TemporaryFolder.make(prefix: "e2e-swift")
        try TemporaryFolder.write(["task.md": task], in: folder)
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--json"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        let feedback = try #require(server.lastUserMessages().dropFirst().first)
        #expect(feedback.contains("did not compile"))
        #expect(feedback.contains("Stats.swift:2:"))
        #expect(feedback.contains("error: cannot convert"))
        let summary = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8))
        #expect(summary["status"]?.stringValue == "solved")
        #expect(summary["tests_passed"]?.intValue == 2)
    }

    @Test func survivesTransientProviderErrors() async throws {
        let server = try ScriptedServer([
            .status(429, headers: ["Retry-After": "0"]), .status(500), .status(503), .reply(rightPython),
        ])
        let folder = try pythonFolder()
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.requests().count == 4)
        let response = try #require(try CLI.events(folder + "/run").first { $0["type"]?.stringValue == "llm_response" })
        #expect(response["attempts"]?.intValue == 4)
        #expect(result.stderr.contains("HTTP 429"))
    }

    @Test func replyWithoutCodeCountsAsATurn() async throws {
        let server = try ScriptedServer([.reply("I need to think about the edge cases first."), .reply(rightPython)])
        let folder = try pythonFolder()
        let result = try await CLI.run(["solve", "task.md", "--out", "run"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0)
        #expect(server.lastUserMessages().dropFirst().first?.contains("no usable code") == true)
        #expect(try CLI.summary(folder + "/run")["iterations"]?.intValue == 2)
    }

    @Test func timeoutIsReportedAndUnsolvedExitsOne() async throws {
        let loop = "```python\ndef mean(xs):\n    while True:\n        pass\n\ndef median(xs):\n    return 0\n```\n"
        let server = try ScriptedServer([.reply(loop)])
        let folder = try pythonFolder()
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--timeout", "2", "--max-iterations", "1"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 1)
        let exec = try #require(try CLI.events(folder + "/run").first { $0["type"]?.stringValue == "exec" })
        #expect((exec["duration_seconds"]?.doubleValue ?? 999) < 60)  // the loop never ends: the timeout ended it
        #expect(exec["timed_out"]?.boolValue == true)
        #expect(exec["verdict"]?.stringValue == "timed_out")
        #expect(try CLI.summary(folder + "/run")["status"]?.stringValue == "unsolved")
    }

    @Test func refusedCredentialsExitThreeNamingEndpointAndModel() async throws {
        let server = try ScriptedServer([.status(401, message: "bad key sk-e2e-secret-key-0123456789")])
        let folder = try pythonFolder()
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--model", "my-model"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 3)
        #expect(result.stderr.contains(server.baseURL))
        #expect(result.stderr.contains("my-model"))
        #expect(!result.stderr.contains("sk-e2e-secret-key"))
        #expect(try CLI.summary(folder + "/run")["status"]?.stringValue == "error")
        #expect(!CLI.allText(under: folder + "/run").contains("sk-e2e-secret-key"))
    }

    @Test func unsandboxedRunsWarnEveryTime() async throws {
        let server = try ScriptedServer([.reply(rightPython)])
        let folder = try pythonFolder()
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--sandbox", "none"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0)
        #expect(result.stderr.contains("WARNING: --sandbox none"))
        let start = try #require(try CLI.events(folder + "/run").first)
        #expect(start["executor"]?.stringValue?.contains("NO isolation") == true)
    }

    @Test func badLimitIsBadUsage() async throws {
        let folder = try pythonFolder()
        let result = try await CLI.run(["solve", "task.md", "--process-limit", "0"], in: folder, environment: CLI.environment(nil))
        #expect(result.status == 2)
        #expect(result.stderr.contains("--process-limit must be at least 1"))
    }

    @Test func badTaskFileExitsTwoWithFileAndLine() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-bad")
        try TemporaryFolder.write(["task.md": "---\nlanguage: cobol\n---\nDo it.\n"], in: folder)
        let result = try await CLI.run(["solve", "task.md"], in: folder, environment: CLI.environment(nil))
        #expect(result.status == 2)
        #expect(result.stderr.contains("task.md:2: unknown language 'cobol'"))
        #expect(result.stderr.contains("fix:"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/selfdebug-runs"))
    }

    @Test func badUsageExitsTwo() async throws {
        let result = try await CLI.run(["solve"], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(result.status == 2)
        #expect(result.stderr.contains("give a task file, or --resume RUN_DIR"))
        let unknown = try await CLI.run(["solve", "task.md", "--no-such-flag"], in: NSTemporaryDirectory(), environment: CLI.environment(nil))
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Unknown option"))
    }

    /// The second model call never answers, so the signal always lands while the run waits for
    /// it, however slow the machine; the test waits on the server's events, not on a clock.
    @Test(.timeLimit(.minutes(5))) func interruptLeavesAReadableRunAndExits130() async throws {
        let server = try ScriptedServer([.reply(wrongPython), .hang])
        let folder = try pythonFolder()
        guard let status = try await BackgroundRun.interrupt(["solve", "task.md", "--out", "run"], in: folder, server: server, after: 2) else { return }
        #expect(status == 130)
        await server.waitFor("closed")  // it hung up on the model instead of waiting for the reply
        let events = try CLI.events(folder + "/run")
        #expect(events.last?["type"]?.stringValue == "run_end")
        #expect(events.last?["stop_reason"]?.stringValue == "interrupted")
        let summary = try CLI.summary(folder + "/run")
        #expect(summary["status"]?.stringValue == "error")
        #expect(summary["stop_reason"]?.stringValue == "interrupted")
        #expect(FileManager.default.fileExists(atPath: folder + "/run/solution/stats.py"))
    }
}

@Suite("selfdebug solve feedback modes, end to end")
struct FeedbackModesEndToEndTests {
    @Test func traceModeShowsTheFailingTestsVariables() async throws {
        let task = "---\nlanguage: python\nsolution: fib.py\ntests: test_fib.py\nmax_iterations: 2\n---\n# Fibonacci\nWrite fib(n).\n"
        let tests = "from fib import fib\n\ndef test_small():\n    assert fib(1) == 1\n\ndef test_ten():\n    assert fib(10) == 55\n"
        let wrong = "```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n - 1):\n        a, b = b, a + b\n    return a\n```\n"
        let right = "```python\ndef fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n"
        let server = try ScriptedServer([.reply(wrong), .reply(right)])
        let folder = try TemporaryFolder.make(prefix: "e2e-trace")
        try TemporaryFolder.write(["task.md": task, "test_fib.py": tests], in: folder)
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--feedback", "trace"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        let feedback = try #require(server.lastUserMessages().dropFirst().first)
        #expect(feedback.contains("Trace of test_small"))
        #expect(feedback.contains("fib.py:fib"))
        #expect(feedback.contains("-> returns 0"))
        #expect(try CLI.events(folder + "/run").contains { $0["type"]?.stringValue == "trace" })
    }
}

@Suite("selfdebug solve with Anthropic, end to end")
struct AnthropicEndToEndTests {
    @Test func solvesThroughTheMessagesAPI() async throws {
        let server = try ScriptedServer([
            .status(529, message: "Overloaded"),
            .reply("```python\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0\n```\n"),
        ])
        let folder = try TemporaryFolder.make(prefix: "e2e-anthropic")
        try TemporaryFolder.write([
            "task.md": "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\n---\n# Mean\nWrite mean(xs); 0 when empty.\n",
            "test_stats.py": "from stats import mean\n\ndef test_mean():\n    assert mean([]) == 0\n",
        ], in: folder)
        var environment = CLI.environment(nil)
        environment["OPENAI_API_KEY"] = nil
        environment["ANTHROPIC_API_KEY"] = "sk-ant-e2e-secret"
        environment["ANTHROPIC_BASE_URL"] = server.rootURL
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--model", "claude-test"], in: folder, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("via anthropic \(server.rootURL)"))
        #expect(server.requests().count == 2)
        #expect(!CLI.allText(under: folder + "/run").contains("sk-ant-e2e-secret"))
    }
}
