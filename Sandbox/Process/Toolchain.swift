import Foundation

/// A tool selfdebug needs is missing.
public struct ToolchainError: Error, CustomStringConvertible {
    /// The tool's name.
    public var tool: String
    /// The command that installs it.
    public var hint: String
    /// Creates an error for `tool`, fixed by `hint`.
    public init(tool: String, hint: String) {
        self.tool = tool
        self.hint = hint
    }

    /// `tool not found; install it with: hint`.
    public var description: String { "\(tool) was not found on PATH; install it with: \(hint)" }
}

/// Finds the programs selfdebug runs.
public enum Toolchain {
    /// The absolute path of `name` on the caller's PATH (or in the usual system folders).
    public static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let folders = (path ?? "").split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        for folder in folders where !folder.isEmpty {
            let candidate = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The real Python interpreter behind `python3` (resolving shims such as pyenv's), once.
    public static func python() async throws -> String {
        let configured = ProcessInfo.processInfo.environment["SELFDEBUG_PYTHON"]
        guard let launcher = find(configured ?? "python3") else {
            throw ToolchainError(tool: configured ?? "python3", hint: "apt-get install -y python3")
        }
        var environment = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION"].contains($0.key) }
        environment["LANG"] = "C.UTF-8"
        let spec = ProcessSpec(
            executable: launcher, arguments: ["-c", "import sys; print(sys.executable)"],
            environment: environment, workingDirectory: "/", timeout: 20)
        let result = try await ProcessRunner.run(spec)
        let resolved = result.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return result.exitStatus == 0 && resolved.hasPrefix("/") ? resolved : launcher
    }

    /// `swiftc`, next to the running toolchain.
    public static func swiftc() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["SELFDEBUG_SWIFTC"], let found = find(configured) { return found }
        guard let found = find("swiftc") else {
            throw ToolchainError(tool: "swiftc", hint: "install a Swift toolchain from swift.org and put its usr/bin on PATH")
        }
        return (found as NSString).resolvingSymlinksInPath
    }

    /// A Python installation's folder (`/x/bin/python3` -> `/x`), bound read-only in the sandbox.
    public static func pythonPrefix(_ python: String) -> String {
        ((python as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
    }

    /// A Swift toolchain's root (`/opt/swift/usr/bin/swiftc` -> `/opt/swift`), bound read-only in the sandbox.
    public static func swiftRoot(_ swiftc: String) -> String {
        var path = swiftc
        for _ in 0..<3 { path = (path as NSString).deletingLastPathComponent }
        return path
    }

    /// Where compiled Swift modules are cached between runs.
    public static func swiftModuleCache() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].map { $0 } ?? ((environment["HOME"] ?? NSTemporaryDirectory()) as NSString).appendingPathComponent(".cache")
        let path = (base as NSString).appendingPathComponent("selfdebug/swift-module-cache")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
