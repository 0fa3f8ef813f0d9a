import ArgumentParser
import Foundation
import MCP
import SelfDebugApp
import SelfDebugCore

/// `selfdebug mcp`: an MCP stdio server exposing `solve` and `fix` as tools, with progress
/// notifications, so coding assistants can call selfdebug as their engineer.
struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve `solve` and `fix` as MCP tools over stdio (JSON-RPC), with progress notifications.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var runOptions: RunOptions

    static let tools = [
        Tool(
            name: "solve",
            description: "Solve a selfdebug task file (Markdown with YAML front matter and tests): write code until the tests pass in a sandbox. Returns the run summary and the solution files.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "task_file": .object(["type": "string", "description": "Path of the task file"]),
                    "max_iterations": .object(["type": "integer", "description": "Model turns at most"]),
                    "timeout": .object(["type": "number", "description": "Seconds for one sandboxed build and test run"]),
                    "out": .object(["type": "string", "description": "The run folder"]),
                ]),
                "required": .array(["task_file"]),
            ]),
            // It writes a run folder (not read-only) but changes nothing of the user's; it asks a model (open world).
            annotations: .init(readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true),
            outputSchema: McpResults.solveSchema),
        Tool(
            name: "fix",
            description: "Make a project's failing test command pass by editing its source in a sandboxed copy; the project changes only when the tests pass, and the change is saved as a patch.",
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "directory": .object(["type": "string", "description": "The project folder"]),
                    "test_command": .object(["type": "string", "description": "The shell command that runs the tests"]),
                    "max_iterations": .object(["type": "integer", "description": "Model turns at most"]),
                    "timeout": .object(["type": "number", "description": "Seconds for one sandboxed test run"]),
                    "allow_test_edits": .object(["type": "boolean", "description": "Let the model edit the tests too"]),
                    "force": .object(["type": "boolean", "description": "Change files with uncommitted changes"]),
                    "out": .object(["type": "string", "description": "The run folder"]),
                ]),
                "required": .array(["directory", "test_command"]),
            ]),
            // It rewrites the project's files when the tests pass.
            annotations: .init(readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true),
            outputSchema: McpResults.fixSchema),
    ]

    func run() async throws {
        let server = Server(name: "selfdebug", version: selfdebugVersion, capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: Self.tools) }
        await server.withMethodHandler(CallTool.self) { [modelOptions, runOptions] params in
            let progress = params._meta?.progressToken.map { McpProgress(server: server, token: $0) }
            do {
                return try await Self.call(params, modelOptions: modelOptions, runOptions: runOptions, progress: progress)
            } catch {
                return McpResults.failure(error)
            }
        }
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }

    static func call(_ params: CallTool.Parameters, modelOptions: ModelOptions, runOptions: RunOptions, progress: McpProgress?) async throws -> CallTool.Result {
        let arguments = params.arguments ?? [:]
        var options = runOptions
        options.quiet = true  // stdout is the protocol
        if let max = arguments["max_iterations"]?.intValue { options.maxIterations = max }
        if let timeout = arguments["timeout"]?.doubleValue ?? arguments["timeout"]?.intValue.map(Double.init) { options.timeout = timeout }
        if let out = arguments["out"]?.stringValue { options.out = out }
        var run = try TerminalRun(modelOptions: modelOptions, runOptions: options)
        run.session.extraProgress = progress
        let result = try await call(params.name, arguments: arguments, session: run.session)
        await progress?.finish()  // every notification goes out before the result
        return result
    }

    static func call(_ name: String, arguments: [String: Value], session: AppSession) async throws -> CallTool.Result {
        switch name {
        case "solve":
            guard let taskFile = arguments["task_file"]?.stringValue else { throw AppError(.badInput, "solve needs \"task_file\"") }
            let run = try await SolveService(session: session).solve(.init(taskFile: taskFile))
            return McpResults.solve(run.result, folder: run.folder, interrupted: run.interrupted)
        case "fix":
            guard let directory = arguments["directory"]?.stringValue, let command = arguments["test_command"]?.stringValue else {
                throw AppError(.badInput, "fix needs \"directory\" and \"test_command\"")
            }
            let request = FixService.Request(
                directory: directory, testCommand: command, allowTestEdits: arguments["allow_test_edits"]?.boolValue ?? false,
                force: arguments["force"]?.boolValue ?? false)
            guard case .ran(let report) = try await FixService(session: session).fix(request) else {
                return McpResults.alreadyPasses(command, directory: directory)
            }
            return McpResults.fix(report)
        default:
            throw AppError(.badInput, "unknown tool '\(name)'; the tools are solve and fix")
        }
    }
}

/// Sends the loop's progress as MCP progress notifications, in order.
final class McpProgress: ProgressSink, @unchecked Sendable {
    private let continuation: AsyncStream<ProgressUpdate>.Continuation
    private let sender: Task<Void, Never>

    init(server: Server, token: ProgressToken) {
        let (stream, continuation) = AsyncStream<ProgressUpdate>.makeStream()
        self.continuation = continuation
        sender = Task {
            for await update in stream {
                var message = "iteration \(update.iteration)/\(update.maxIterations): \(update.phase.rawValue)"
                if let passed = update.testsPassed, let total = update.testsTotal, total > 0 { message += ", tests \(passed)/\(total)" }
                if let remark = update.message { message += ", \(remark)" }
                let done = Double(max(0, update.iteration - (update.phase == .done ? 0 : 1)))
                try? await server.notify(ProgressNotification.message(
                    .init(progressToken: token, progress: done, total: Double(update.maxIterations), message: message)))
            }
        }
    }

    func update(_ progress: ProgressUpdate) { continuation.yield(progress) }

    func finish() async {
        continuation.finish()
        await sender.value
    }
}
