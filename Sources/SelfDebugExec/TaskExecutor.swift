import Foundation
import SelfDebugCore
import SelfDebugSandbox

/// The executor the CLI uses: runs each code version's tests in the sandbox, by language.
public struct TaskExecutor: Executor {
    let sandbox: any Sandbox
    let limits: ResourceLimits
    let python: String?
    let swiftc: String?
    let moduleCache: String
    let packages = PersistentWorkspaces()

    /// Creates an executor; finds the toolchain `language` needs (throws ``ToolchainError`` when missing).
    public static func make(for language: Language, sandbox: any Sandbox, limits: ResourceLimits = ResourceLimits()) async throws -> TaskExecutor {
        if let bubblewrap = sandbox as? BubblewrapSandbox { try await bubblewrap.probe() }
        switch language {
        case .python:
            return TaskExecutor(sandbox: sandbox, limits: limits, python: try await Toolchain.python(), swiftc: nil, moduleCache: Toolchain.swiftModuleCache())
        case .swift:
            return TaskExecutor(sandbox: sandbox, limits: limits, python: nil, swiftc: try Toolchain.swiftc(), moduleCache: Toolchain.swiftModuleCache())
        }
    }

    /// The sandbox and the limits.
    public var description: String { "sandbox: \(sandbox.description); limits: \(limits.summary)" }

    /// Python only: runs one test under a tracer, in the sandbox, and returns the trace.
    public func trace(_ request: ExecRequest, test: String) async throws -> String? {
        guard request.task.language == .python, let python else { return nil }
        return try await PythonTestRunner(python: python, sandbox: sandbox, limits: limits).trace(request, test: test)
    }

    /// Package mode when the files include a root `Package.swift`.
    static func isPackage(_ request: ExecRequest) -> Bool {
        request.files["Package.swift"] != nil || request.task.tests["Package.swift"] != nil
    }

    /// Runs the request's files against its task's pristine tests; a skip the code under test
    /// caused is a failure (``SkipAttribution``).
    public func run(_ request: ExecRequest) async throws -> ExecOutcome {
        SkipAttribution.apply(to: try await runTests(request), task: request.task, files: request.files)
    }

    func runTests(_ request: ExecRequest) async throws -> ExecOutcome {
        if case .program = request.task.verification {
            return try await ProgramRunner(sandbox: sandbox, limits: limits, python: python, swiftc: swiftc, moduleCache: moduleCache).run(request)
        }
        switch request.task.language {
        case .python:
            guard let python else { throw ToolchainError(tool: "python3", hint: "apt-get install -y python3") }
            return try await PythonTestRunner(python: python, sandbox: sandbox, limits: limits).run(request)
        case .swift:
            guard let swiftc else { throw ToolchainError(tool: "swiftc", hint: "install a Swift toolchain") }
            if Self.isPackage(request) {
                let swift = (swiftc as NSString).deletingLastPathComponent + "/swift"
                return try await SwiftPackageRunner(
                    swift: swift, toolchainRoot: Toolchain.swiftRoot(swiftc), sandbox: sandbox, limits: limits,
                    workspace: try packages.workspace(for: request.task)).run(request)
            }
            return try await SwiftTestRunner(swiftc: swiftc, moduleCache: moduleCache, sandbox: sandbox, limits: limits).run(request)
        }
    }
}

/// One persistent package workspace per task, for as long as the executor lives.
final class PersistentWorkspaces: @unchecked Sendable {
    private let lock = NSLock()
    private var byTask: [String: PersistentWorkspace] = [:]

    func workspace(for task: TaskSpec) throws -> PersistentWorkspace {
        let key = (task.source ?? "") + "|" + task.resolvedModule + "|" + task.body.prefix(200)
        return try lock.withLock {
            if let existing = byTask[key] { return existing }
            let created = try PersistentWorkspace()
            byTask[key] = created
            return created
        }
    }
}
