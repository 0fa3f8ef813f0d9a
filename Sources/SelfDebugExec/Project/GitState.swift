import Foundation
import SelfDebugSandbox

/// What git says about a project folder: which files have uncommitted changes.
public enum GitState {
    /// Paths (relative to `folder`) with uncommitted changes, or nil when `folder` is not in a git work tree.
    public static func uncommittedPaths(in folder: String) async -> Set<String>? {
        guard let git = Toolchain.find("git") else { return nil }
        let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory()]
        guard let top = try? await ProcessRunner.run(ProcessSpec(
            executable: git, arguments: ["-C", folder, "rev-parse", "--show-prefix"], environment: environment, workingDirectory: folder, timeout: 20)),
              top.exitStatus == 0
        else { return nil }
        let prefix = top.stdout.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let status = try? await ProcessRunner.run(ProcessSpec(
            executable: git, arguments: ["-C", folder, "status", "--porcelain", "--untracked-files=no", "--", "."],
            environment: environment, workingDirectory: folder, timeout: 20)), status.exitStatus == 0
        else { return nil }
        var paths = Set<String>()
        for line in status.stdout.text.split(separator: "\n") where line.count > 3 {
            var path = String(line.dropFirst(3))
            if let arrow = path.range(of: " -> ") { path = String(path[arrow.upperBound...]) }
            path = path.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if path.hasPrefix(prefix) { path.removeFirst(prefix.count) }
            paths.insert(path)
        }
        return paths
    }
}
