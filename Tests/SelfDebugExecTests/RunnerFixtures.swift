import Foundation
import SelfDebugCore
@testable import SelfDebugExec
@testable import SelfDebugSandbox

/// Runs code against tests through the real executor, in the real sandbox.
enum Run {
    static func python(
        _ solution: String, tests: String, timeout: Double = 10, limits: ResourceLimits = ResourceLimits(), sandbox: (any Sandbox)? = nil,
        extraTests: [String: String] = [:]
    ) async throws -> ExecOutcome {
        let task = TaskSpec(language: .python, solutionFiles: ["sol.py"], tests: ["test_sol.py": tests].merging(extraTests) { a, _ in a }, timeout: timeout, body: "x")
        let executor = try await TaskExecutor.make(for: .python, sandbox: try sandbox ?? BubblewrapSandbox(), limits: limits)
        return try await executor.run(ExecRequest(task: task, files: ["sol.py": solution]))
    }

    static func swift(_ solution: String, tests: String, timeout: Double = 120, module: String = "Sol") async throws -> ExecOutcome {
        let task = TaskSpec(language: .swift, solutionFiles: ["Sol.swift"], tests: ["SolTests.swift": tests], module: module, timeout: timeout, body: "x")
        let executor = try await TaskExecutor.make(for: .swift, sandbox: try BubblewrapSandbox())
        return try await executor.run(ExecRequest(task: task, files: ["Sol.swift": solution]))
    }

    static func output(_ outcome: ExecOutcome) -> String {
        outcome.runs.map { $0.stdout.text + $0.stderr.text }.joined(separator: "\n")
    }
}
