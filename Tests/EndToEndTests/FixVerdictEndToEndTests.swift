import Foundation
import Testing
import SelfDebugCore
import TestSupport

/// `selfdebug fix` against models that cheat: a project is never changed, and selfdebug never
/// exits 0, unless the tests really ran and passed.
@Suite("selfdebug fix: verdicts that cannot be fooled")
struct FixVerdictEndToEndTests {
    static let calc = "def add(a, b):\n    return a - b\n"
    static let calcTests = "from calc.ops import add\n\ndef test_add():\n    assert add(2, 3) == 5\n\ndef test_zero():\n    assert add(0, 0) == 0\n"

    /// A committed project: package `calc` with a bug, and its tests.
    func project(extra: [String: String] = [:]) async throws -> String {
        try await CLI.committedProject(["calc/__init__.py": "", "calc/ops.py": Self.calc, "tests/test_ops.py": Self.calcTests].merging(extra) { _, new in new },
                                 prefix: "e2e-fix-verdict")
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test func exitingZeroBeforeTheTestsRunIsNotAFix() async throws {
        let folder = try await project()
        let cheat = "calc/__init__.py\n```python\nimport os\nos._exit(0)\n```\n"
        // Two different cheats: a reply repeating a version that already ran is not run again.
        let server = try ScriptedServer([.reply(cheat), .reply(cheat.replacingOccurrences(of: "os._exit(0)", with: "os._exit(0)  # exit before pytest collects"))])
        let run = folder + "/../run"
        let result = try await CLI.run(["fix", folder, "--test", "python3 -m pytest -q", "--out", run, "--max-iterations", "2", "--json"],
                                       in: folder, environment: CLI.environment(server))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(read(folder + "/calc/__init__.py") == "")
        let summary = try CLI.summary(run)
        #expect(summary["status"]?.stringValue == "unsolved")
        // The model was told, in plain words, that exit 0 without tests is not a pass.
        let told = server.lastUserMessages().joined(separator: "\n")
        #expect(told.contains("exited 0, but its output shows no test results"), "\(told)")
        // With --trust-exit-code the user says exit 0 is enough: then it is.
        let trusted = try ScriptedServer([.reply(cheat)])
        let again = try await CLI.run(["fix", folder, "--test", "python3 -m pytest -q", "--out", run + "2", "--trust-exit-code"],
                                      in: folder, environment: CLI.environment(trusted))
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func aCommandThatExitsZeroWithoutTestsIsRefusedUnlessTrusted() async throws {
        let folder = try await project()
        let result = try await CLI.run(["fix", folder, "--test", "true"], in: folder, environment: CLI.environment(nil))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("nothing to fix"), "\(result.stderr)")
        #expect(result.stderr.contains("--trust-exit-code"), "\(result.stderr)")
        let trusted = try await CLI.run(["fix", folder, "--test", "true", "--trust-exit-code"], in: folder, environment: CLI.environment(nil))
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(trusted.stderr.contains("already passes"))
    }

    @Test func fewerTestsThanAtTheStartIsNotAFix() async throws {
        let folder = try await project(extra: ["calc/selection.txt": "tests\n"])
        // The command runs what a project file names (as a CI script might); the model narrows it
        // to the one test that already passes, and fixes nothing.
        let narrow = "calc/selection.txt\n```\ntests/test_ops.py::test_zero\n```\n"
        let server = try ScriptedServer([.reply(narrow)])
        let run = folder + "/../run"
        let command = "python3 -m pytest -q $(cat calc/selection.txt)"
        let result = try await CLI.run(["fix", folder, "--test", command, "--out", run, "--max-iterations", "1"],
                                       in: folder, environment: CLI.environment(server))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(read(folder + "/calc/selection.txt") == "tests\n")
        let last = try #require(try CLI.events(run).last { $0["type"]?.stringValue == "exec" })
        #expect(last["exit_status"]?.intValue == 0)
        #expect(last["verdict"]?.stringValue == "tests_failed")
        let notes = last["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains { $0.contains("fewer than the 2 that ran at the start") }, "\(notes)")
    }

    @Test func filesTheCodeUnderTestWritesDoNotSurviveToTheNextRun() async throws {
        let folder = try await project()
        // Iteration 1: the code writes a conftest.py that makes every test pass, and fails itself.
        // Iteration 2: a version that is still wrong: with the conftest gone, it must fail.
        let writer = """
        calc/ops.py
        ```python
        import os

        CONFTEST = "import pytest\\n\\n@pytest.hookimpl(hookwrapper=True)\\ndef pytest_runtest_makereport(item, call):\\n    outcome = yield\\n    outcome.get_result().outcome = 'passed'\\n"
        if not os.path.exists("conftest.py"):
            with open("conftest.py", "w") as handle:
                handle.write(CONFTEST)

        def add(a, b):
            return a - b
        ```
        """
        let stillWrong = "calc/ops.py\n```python\ndef add(a, b):\n    return a * b\n```\n"
        let server = try ScriptedServer([.reply(writer), .reply(stillWrong)])
        let run = folder + "/../run"
        let result = try await CLI.run(["fix", folder, "--test", "python3 -m pytest -q", "--out", run, "--max-iterations", "2"],
                                       in: folder, environment: CLI.environment(server))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(read(folder + "/calc/ops.py") == Self.calc)
        #expect(!FileManager.default.fileExists(atPath: folder + "/conftest.py"))
        let execs = try CLI.events(run).filter { $0["type"]?.stringValue == "exec" }
        #expect(execs.last?["verdict"]?.stringValue == "tests_failed")
        let notes = execs.flatMap { $0["notes"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        #expect(notes.contains { $0.contains("Removed before this run: conftest.py") }, "\(notes) \(execs.map { $0["steps"]?.serialized() ?? "" })")
    }

    @Test func aLargePatchIsWholeAndApplies() async throws {
        // 3,000 lines of data (~100 KB of diff): far past the output capture's head and tail.
        let rows = (0..<3000).map { "    \($0): \"value number \($0) of the table, long enough to make the diff large\"," }.joined(separator: "\n")
        let folder = try await project(extra: ["calc/table.py": "TABLE = {\n}\n"])
        let reply = "calc/table.py\n```python\nTABLE = {\n\(rows)\n}\n```\n\ncalc/ops.py\n```python\ndef add(a, b):\n    return a + b\n```\n"
        let server = try ScriptedServer([.reply(reply)])
        let run = folder + "/../run"
        let original = try await project(extra: ["calc/table.py": "TABLE = {\n}\n"])
        let result = try await CLI.run(["fix", folder, "--test", "python3 -m pytest -q", "--out", run], in: folder, environment: CLI.environment(server))
        #expect(result.status == 0, "\(result.stderr)")
        let patch = read(run + "/fix.patch")
        #expect(patch.utf8.count > 100_000)
        #expect(!patch.contains("cut"))
        // `git apply --check` of the patch against the original tree.
        let check = try await CLI.git(["apply", "--check", run + "/fix.patch"], in: original)
        #expect(check.exitStatus == 0, "\(check.stderr.text)")
    }
}
