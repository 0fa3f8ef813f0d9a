import Foundation
import Testing
import SelfDebugCore
import SelfDebugSandbox
@testable import SelfDebugBench

/// The examples program of every Swift problem must build against a solution with the prompt's
/// signature: when it does not, the model is shown compiler errors in code it never wrote, and no
/// answer can pass (HumanEval_107 showed 33 such errors for a right answer).
///
/// Runs on the committed fixture set; `SELFDEBUG_SWIFT_BENCHDATA=FILE.jsonl` checks a whole set
/// (MultiPL-E's 159 HumanEval problems take about three minutes; for its MBPP, whose prompts
/// have no examples, the first assert shown as `--show-first-test` shows it).
@Suite("Swift examples programs build")
struct SwiftExamplesBuildTests {
    static var dataPath: String {
        if let path = ProcessInfo.processInfo.environment["SELFDEBUG_SWIFT_BENCHDATA"], !path.isEmpty { return path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/benchdata/multipl_e_humaneval_swift.jsonl").path
    }

    @Test func everyExamplesProgramTypeChecksAgainstAStubSolution() async throws {
        let problems = try BenchProblem.load(Self.dataPath).filter { $0.language == .swift }
        #expect(!problems.isEmpty)
        let swiftc = try Toolchain.swiftc()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("selfdebug-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var broken: [String] = []
        var checked = 0
        for problem in problems.map({ $0.showingFirstTest() ?? $0 }) {  // MBPP's: the first assert shown (--show-first-test)
            guard let visible = VisibleTests.of(problem) else { continue }
            // The prompt ends with the function's opening line: a body that never returns completes it.
            let stub = problem.prompt + "    fatalError()\n}\n"
            let main = folder.appendingPathComponent("main.swift")
            try (stub + "\n" + visible.program).write(to: main, atomically: true, encoding: .utf8)
            let result = try await ProcessRunner.run(ProcessSpec(
                executable: swiftc, arguments: ["-typecheck", main.path],
                environment: ProcessInfo.processInfo.environment, workingDirectory: folder.path, timeout: 120))
            checked += 1
            if result.exitStatus != 0 {
                let firstError = result.stderr.text.components(separatedBy: "\n").first { $0.contains("error:") } ?? result.stderr.text
                broken.append("\(problem.id): \(firstError)")
            }
        }
        #expect(checked > 0)
        #expect(broken.isEmpty, "\(broken.count) of \(checked) examples programs do not build:\n\(broken.joined(separator: "\n"))")
    }
}
