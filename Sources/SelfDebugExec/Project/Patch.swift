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
        var patch = Data()
        for (index, path) in changedPaths(from: old, to: new).enumerated() {
            let before = old[path].map { _ in folder + "/\(index).old" } ?? "/dev/null"
            let after = folder + "/\(index).new"
            let output = folder + "/\(index).diff"
            if let content = old[path] { try content.write(toFile: before, atomically: true, encoding: .utf8) }
            try (new[path] ?? "").write(toFile: after, atomically: true, encoding: .utf8)
            // diff writes to a file, never through the capped output capture: a patch is never cut.
            let result = try await ProcessRunner.run(ProcessSpec(
                executable: "/bin/sh",
                arguments: ["-c", "exec \"$0\" \"$@\" > \"$OUT\"", diff, "-u", "--label", old[path] == nil ? "/dev/null" : "a/" + path, "--label", "b/" + path, before, after],
                environment: ["LANG": "C.UTF-8", "OUT": output], workingDirectory: folder, timeout: 60))
            // diff: 0 the same, 1 different, anything else trouble.
            guard let status = result.exitStatus, status <= 1, result.signal == nil, !result.timedOut,
                  let text = FileManager.default.contents(atPath: output) else {
                throw PatchError(description: "diff failed on \(path) (\(result.exitStatus.map { "exit status \($0)" } ?? "no exit status")): \(result.stderr.text.prefix(300))")
            }
            patch.append(text)
        }
        return String(decoding: patch, as: UTF8.self)
    }
}

/// A patch could not be made.
public struct PatchError: Error, CustomStringConvertible {
    /// What failed.
    public var description: String
}
