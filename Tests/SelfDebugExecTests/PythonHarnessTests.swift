import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec
@testable import SelfDebugSandbox

/// The Python harness as shipped: its files in the binary, and its fast path against the real
/// pytest on the examples' own tests. (Its behaviour piece by piece is tested in Python:
/// Tests/PythonHarnessTests.)
@Suite("The Python harness")
struct PythonHarnessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func everyFileOfTheHarnessIsInTheBinaryAsItIsOnDisk() throws {
        let folder = Self.root + "/Sandbox/Harness/python"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".py") }
        // A module added to the folder must also be named in Package.swift and PythonHarness.files.
        #expect(Set(names) == Set(PythonHarness.files.keys))
        #expect(PythonHarness.files[PythonHarness.fileName] != nil)
        for name in names {
            #expect(PythonHarness.files[name] == (try String(contentsOfFile: folder + "/" + name, encoding: .utf8)), "\(name)")
        }
    }

    static let pythonExamples: [String] = {
        let folder = root + "/Examples/python"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.map { folder + "/" + $0 + "/task.md" }.filter { FileManager.default.fileExists(atPath: $0) }.sorted()
    }()

    @Test(arguments: pythonExamples)
    func theFastPathAndTheRealPytestAgreeOnAnExample(taskPath: String) async throws {
        var task = try TaskFileParser().parse(fileAt: taskPath).task
        // The comparison is of results, not speed: under the task's own 10 s the real pytest
        // (its import alone is seconds on a busy machine) once timed out on CI where the fast
        // path passed.
        task.timeout = 300
        let folder = (taskPath as NSString).deletingLastPathComponent
        var files: [String: String] = [:]
        for file in task.solutionFiles {
            files[file] = try String(contentsOfFile: folder + "/reference/" + file, encoding: .utf8)
        }
        let request = ExecRequest(task: task, files: files)
        var runner = PythonTestRunner(python: try await Toolchain.python(), sandbox: try BubblewrapSandbox(), limits: ResourceLimits())
        let fast = try await runner.run(request)
        runner.realPytest = true
        let real = try await runner.run(request)
        #expect(fast.verdict == .passed, "\(fast.tests) \(fast.diagnostics)")
        #expect(fast.notes.isEmpty, "the examples' tests should not need pytest: \(fast.notes)")
        #expect(real.notes.contains { $0.contains("pytest") })
        let fastResults = fast.tests.map { "\($0.name) \($0.outcome.rawValue)" }.sorted()
        #expect(fastResults.count >= 3)
        #expect(fastResults == real.tests.map { "\($0.name) \($0.outcome.rawValue)" }.sorted())
    }
}
