import Foundation
import MCP
import SelfDebugApp
import SelfDebugCore
import SelfDebugEngineer

/// The `solve` and `fix` tools' structured results (`structuredContent`) and their `outputSchema`.
enum McpResults {
    static func property(_ type: String, _ description: String) -> Value {
        .object(["type": .string(type), "description": .string(description)])
    }

    static let count: Value = .object(["type": "integer", "minimum": 0])

    /// What both tools return; only `status` is always there (a call that fails before a run has
    /// just `status: "error"`, `error` and `exit_status`).
    static let common: [String: Value] = [
        "status": .object([
            "type": "string", "enum": ["solved", "unsolved", "error"],
            "description": "solved only when every required test ran and passed",
        ]),
        "stop_reason": property("string", "Why the run stopped: solved, max_iterations, budget, model_error, executor_error, interrupted"),
        "iterations": property("integer", "Model turns taken"),
        "run_dir": property("string", "The run folder: trajectory.jsonl, summary.json and the result"),
        "tests": .object([
            "type": "object", "description": "The best version's tests",
            "properties": ["passed": count, "failed": count, "total": count],
        ]),
        "usage": .object([
            "type": "object", "description": "Tokens spent",
            "properties": ["prompt_tokens": count, "completion_tokens": count],
        ]),
        "error": property("string", "What went wrong, when the status is error"),
        "exit_status": property("integer", "The exit status the command line would give (README, Exit status)"),
    ]

    static func schema(_ extra: [String: Value]) -> Value {
        .object(["type": "object", "properties": .object(common.merging(extra) { _, new in new }), "required": ["status"]])
    }

    /// `solve`'s output schema.
    static let solveSchema = schema([
        "solution_dir": property("string", "The folder holding the final files"),
        "files": .object(["type": "array", "items": ["type": "string"], "description": "The solution files, relative to solution_dir"]),
    ])

    /// `fix`'s output schema.
    static let fixSchema = schema([
        "patch": property("string", "The patch file of the change"),
        "applied": property("boolean", "Whether the change was applied to the project (only when the tests pass)"),
        "changed": .object(["type": "array", "items": ["type": "string"], "description": "The project files changed"]),
    ])

    /// The common fields of a finished run.
    static func run(_ summary: RunSummary, folder: RunFolder, interrupted: Bool) -> [String: Value] {
        var fields: [String: Value] = [
            "status": .string(summary.status.rawValue), "stop_reason": .string(summary.stopReason.rawValue),
            "iterations": .int(summary.iterations), "run_dir": .string(folder.path),
            "tests": ["passed": .int(summary.testsPassed), "failed": .int(summary.testsTotal - summary.testsPassed), "total": .int(summary.testsTotal)],
            "usage": ["prompt_tokens": .int(summary.promptTokens), "completion_tokens": .int(summary.completionTokens)],
            "exit_status": .int(Int(ExitStatus(for: summary, interrupted: interrupted).rawValue)),
        ]
        if let error = summary.error { fields["error"] = .string(error) }
        return fields
    }

    /// `solve`'s result: the summary and the files as text, the fields as structured content.
    static func solve(_ result: RunResult, folder: RunFolder, interrupted: Bool) -> CallTool.Result {
        var text = JSONValue(encoding: result.summary).serialized() + "\n\nrun folder: \(folder.path)\n"
        for (path, content) in result.files.sorted(by: { $0.key < $1.key }) { text += "\n\(path)\n```\n\(content)```\n" }
        var fields = run(result.summary, folder: folder, interrupted: interrupted)
        fields["solution_dir"] = .string((folder.path as NSString).appendingPathComponent("solution"))
        fields["files"] = .array(result.files.keys.sorted().map(Value.string))
        return .init(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: .object(fields), isError: result.summary.status == .error)
    }

    /// `fix`'s result: the summary and the patch as text, the fields as structured content.
    static func fix(_ report: FixReport) -> CallTool.Result {
        var summary = JSONValue(encoding: report.result.summary)
        if case .object(var members) = summary {
            members["patch"] = .string(report.patchPath)
            members["applied"] = .bool(report.applied)
            members["changed"] = .array(report.changed.map(JSONValue.string))
            summary = .object(members)
        }
        let patch = (try? String(contentsOfFile: report.patchPath, encoding: .utf8)) ?? ""
        var fields = run(report.result.summary, folder: report.folder, interrupted: report.interrupted)
        fields["patch"] = .string(report.patchPath)
        fields["applied"] = .bool(report.applied)
        fields["changed"] = .array(report.changed.map(Value.string))
        return .init(content: [.text(text: summary.serialized() + "\n\n" + patch, annotations: nil, _meta: nil)],
                     structuredContent: .object(fields), isError: report.result.summary.status == .error)
    }

    /// `fix` when the test command already passes: nothing changed.
    static func alreadyPasses(_ command: String, directory: String) -> CallTool.Result {
        .init(content: [.text(text: "`\(command)` already passes in \(directory): nothing to fix.", annotations: nil, _meta: nil)],
              structuredContent: ["status": "solved", "iterations": 0, "applied": false, "changed": [], "exit_status": 0], isError: false)
    }

    /// A call that failed before or outside a run: the message, and the same as structured content.
    static func failure(_ error: any Error) -> CallTool.Result {
        let message = ExitStatus.message(for: error)
        return .init(content: [.text(text: message, annotations: nil, _meta: nil)],
                     structuredContent: ["status": "error", "error": .string(message), "exit_status": .int(Int(ExitStatus(for: error).rawValue))],
                     isError: true)
    }
}
