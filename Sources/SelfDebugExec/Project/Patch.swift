import Foundation
import SelfDebugSandbox

/// Unified diffs between two versions of a project's files, made with `diff -u`.
public enum Patch {
    /// The paths whose content differs between `old` and `new` (added or changed), sorted.
    public static func changedPaths(from old: [String: String], to new: [String: String]) -> [String] {
        new.keys.filter { old[$0] != new[$0] }.sorted()
    }

    /// A unified diff (`a/PATH`, `b/PATH`) of every changed path; new files diff against /dev/null.
    public static func unified(from old: [String: String], to new: [String: String]) async throws -> String {
        let folder = NSTemporaryDirectory() + "selfdebug-patch-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard let diff = Toolchain.find("diff") else {
            throw ToolchainError(tool: "diff", hint: "apt-get install -y diffutils")
        }
        var patch = ""
        for (index, path) in changedPaths(from: old, to: new).enumerated() {
            let before = old[path].map { _ in folder + "/\(index).old" } ?? "/dev/null"
            let after = folder + "/\(index).new"
            if let content = old[path] { try content.write(toFile: before, atomically: true, encoding: .utf8) }
            try (new[path] ?? "").write(toFile: after, atomically: true, encoding: .utf8)
            let result = try await ProcessRunner.run(ProcessSpec(
                executable: diff, arguments: ["-u", "--label", old[path] == nil ? "/dev/null" : "a/" + path, "--label", "b/" + path, before, after],
                environment: ["LANG": "C.UTF-8"], workingDirectory: folder, timeout: 30))
            patch += result.stdout.text
        }
        return patch
    }
}
