import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// `selfdebug solve` against a model whose code skips what it cannot do: never exit 0.
@Suite("selfdebug solve: skips are not passes")
struct SolveVerdictEndToEndTests {
    let task = "---\nlanguage: python\nsolution: stats.py\ntests: test_stats.py\ntimeout: 10\nmax_iterations: 2\n---\n# Mean\nWrite `mean(xs)`; 0 for an empty list.\n"
    let tests = "from stats import mean\n\ndef test_mean():\n    assert mean([1, 2, 3]) == 2\n\ndef test_empty():\n    assert mean([]) == 0\n"

    @Test func aModelThatSkipsTheHardCaseIsNotSolvedAndIsToldSo() async throws {
        let folder = try TemporaryFolder.make(prefix: "e2e-skip")
        try TemporaryFolder.write(["task.md": task, "test_stats.py": tests], in: folder)
        let skipping = "```python\nimport unittest\n\nclass Skipped(Exception):\n    pass\n\ndef mean(xs):\n    if not xs:\n        raise unittest.SkipTest('empty input is not supported')\n    return sum(xs) / len(xs)\n```\n"
        let ownSkip = "```python\nclass Skipped(Exception):\n    pass\n\ndef mean(xs):\n    if not xs:\n        raise Skipped('later')\n    return sum(xs) / len(xs)\n```\n"
        let server = try ScriptedServer([.reply(skipping), .reply(ownSkip)])
        let result = try await CLI.run(["solve", "task.md", "--out", "run", "--json"], in: folder, environment: CLI.environment(server))
        #expect(result.status == 1, "\(result.stderr)")
        let summary = try CLI.summary(folder + "/run")
        #expect(summary["status"]?.stringValue == "unsolved")
        let feedback = try #require(server.lastUserMessages().dropFirst().first)
        #expect(feedback.contains("1 of 2 tests failed"), "\(feedback)")
        #expect(feedback.contains("a skip raised by the solution is a failure"), "\(feedback)")
        let execs = try CLI.events(folder + "/run").filter { $0["type"]?.stringValue == "exec" }
        #expect(execs.map { $0["verdict"]?.stringValue } == ["tests_failed", "tests_failed"])
    }
}
