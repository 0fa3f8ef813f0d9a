import Foundation
import SelfDebugCore

/// A project's text files as selfdebug may show them to a model and copy them into the sandbox:
/// never secrets, version-control internals, build products, binaries or huge files.
public struct ProjectSnapshot: Sendable {
    /// The project folder.
    public var root: String
    /// Text files by relative path.
    public var files: [String: String]
    /// Files left out, with why.
    public var skipped: [String: String]
    /// The project's language: Swift when it has a `Package.swift`, else Python.
    public var language: Language
    /// Files that define or configure the tests: read-only for the model.
    public var testFiles: Set<String>
}

/// Reads a project folder into a ``ProjectSnapshot``.
public enum ProjectScanner {
    /// Folders never copied or shown.
    static let skippedFolders: Set<String> = [
        ".git", ".hg", ".svn", ".build", ".swiftpm", "build", "dist", "node_modules", "__pycache__", ".venv", "venv",
        ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".idea", ".vscode", "DerivedData", "selfdebug-runs",
        ".aws", ".ssh", ".gnupg", ".docker", ".kube", ".azure", ".config",
    ]

    /// Whether a file name looks like a secret: keys, credentials, environment files.
    public static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower == ".env" || lower.hasPrefix(".env.") || lower.hasSuffix(".env") { return true }
        if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(where: { lower.hasPrefix($0) }) { return true }
        if [".netrc", ".npmrc", ".pypirc", ".git-credentials", "credentials", "credentials.json", ".htpasswd", "secrets.json",
            "secrets.yml", "secrets.yaml", "secrets.toml"].contains(lower) { return true }
        if lower.hasPrefix("service-account") && lower.hasSuffix(".json") { return true }
        return [".pem", ".key", ".p12", ".pfx", ".keystore", ".jks", ".kdbx", ".gpg", ".asc", ".crt", ".der"].contains { lower.hasSuffix($0) }
    }

    /// Whether a path is a test file or test configuration in a project of `language`.
    public static func isTestFile(_ path: String, language: Language) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        let name = parts.last ?? path
        switch language {
        case .swift:
            return parts.first == "Tests" || name == "Package.swift"
        case .python:
            if ["conftest.py", "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml", "noxfile.py"].contains(name) { return true }
            if name.hasSuffix(".py"), name.hasPrefix("test_") || name.hasSuffix("_test.py") { return true }
            return parts.dropLast().contains { ["tests", "test", "testing"].contains($0) }
        }
    }

    /// Scans `root`; files over `maxFileBytes` or not UTF-8 text are left out.
    public static func scan(_ root: String, maxFileBytes: Int = 512_000, maxFiles: Int = 5000) throws -> ProjectSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: root])
        }
        var files: [String: String] = [:]
        var skipped: [String: String] = [:]
        var pending = [""]
        while let folder = pending.popLast() {
            let full = folder.isEmpty ? root : (root as NSString).appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? [] {
                let relative = folder.isEmpty ? name : folder + "/" + name
                let path = (full as NSString).appendingPathComponent(name)
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                let type = attributes?[.type] as? FileAttributeType
                if type == .typeSymbolicLink { skipped[relative] = "symbolic link"; continue }
                if type == .typeDirectory {
                    if skippedFolders.contains(name) || name.hasSuffix(".egg-info") || FileManager.default.fileExists(atPath: path + "/pyvenv.cfg") {
                        skipped[relative + "/"] = "not source (version control, build products, environments or credentials)"
                    } else {
                        pending.append(relative)
                    }
                    continue
                }
                guard type == .typeRegular else { continue }
                if isSecret(name) { skipped[relative] = "looks like a secret"; continue }
                let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
                if size > maxFileBytes { skipped[relative] = "larger than \(maxFileBytes / 1000) KB"; continue }
                guard let data = FileManager.default.contents(atPath: path), !data.prefix(8192).contains(0),
                      let text = String(data: data, encoding: .utf8) else {
                    skipped[relative] = "not UTF-8 text"
                    continue
                }
                if [".pyc", ".o", ".so", ".dylib", ".a"].contains(where: { name.hasSuffix($0) }) { skipped[relative] = "build product"; continue }
                files[relative] = text
                if files.count > maxFiles {
                    throw CocoaError(.fileReadTooLarge, userInfo: [NSLocalizedDescriptionKey: "\(root) has more than \(maxFiles) text files"])
                }
            }
        }
        let language: Language = files["Package.swift"] != nil ? .swift : .python
        let tests = Set(files.keys.filter { isTestFile($0, language: language) })
        return ProjectSnapshot(root: root, files: files, skipped: skipped, language: language, testFiles: tests)
    }

    /// The project's source files that `path` imports: Python modules (`import a.b`, `from a.b import c`,
    /// looked up at the root and under `src/`), or a Swift module's `Sources/NAME/` files.
    public static func importedFiles(of path: String, in snapshot: ProjectSnapshot) -> [String] {
        guard let text = snapshot.files[path] else { return [] }
        var found: [String] = []
        if path.hasSuffix(".swift") {
            let pattern = try! NSRegularExpression(pattern: #"^\s*(?:@testable\s+)?import\s+(\w+)"#, options: .anchorsMatchLines)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                found += snapshot.files.keys.filter { $0.hasPrefix("Sources/\(text[range])/") }.sorted()
            }
            return found
        }
        let pattern = try! NSRegularExpression(pattern: #"^\s*(?:from\s+([\w.]+)\s+import\s+([\w, ]+)|import\s+([\w.]+))"#, options: .anchorsMatchLines)
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            var modules: [String] = []
            if let range = Range(match.range(at: 1), in: text) {
                let base = String(text[range])
                modules.append(base)
                if let names = Range(match.range(at: 2), in: text) {
                    modules += text[names].split(separator: ",").map { base + "." + $0.trimmingCharacters(in: .whitespaces) }
                }
            } else if let range = Range(match.range(at: 3), in: text) {
                modules.append(String(text[range]))
            }
            for module in modules {
                let relative = module.replacingOccurrences(of: ".", with: "/")
                for candidate in [relative + ".py", "src/" + relative + ".py", relative + "/__init__.py", "src/" + relative + "/__init__.py"]
                where snapshot.files[candidate] != nil && !found.contains(candidate) && !snapshot.testFiles.contains(candidate) {
                    found.append(candidate)
                }
            }
        }
        return found
    }

    /// A compact map of the project: each source file with its top-level declarations, within `budget` characters.
    public static func map(_ snapshot: ProjectSnapshot, budget: Int = 4000) -> String {
        let python = try! NSRegularExpression(pattern: #"^(?:async\s+)?(?:def|class)\s+(\w+)"#, options: .anchorsMatchLines)
        let swift = try! NSRegularExpression(
            pattern: #"^(?:@\w+\s+)*(?:(?:public|internal|private|fileprivate|open|final|indirect)\s+)*(?:func|struct|class|enum|protocol|extension|actor|typealias)\s+([\w.]+)"#,
            options: .anchorsMatchLines)
        var lines: [String] = []
        var used = 0
        let paths = snapshot.files.keys.sorted()
        for (index, path) in paths.enumerated() {
            let text = snapshot.files[path]!
            let pattern = path.hasSuffix(".py") ? python : path.hasSuffix(".swift") ? swift : nil
            var names: [String] = []
            if let pattern {
                names = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
                    Range(match.range(at: 1), in: text).map { String(text[$0]) }
                }
            }
            var line = "- " + path + (snapshot.testFiles.contains(path) ? " (test)" : "")
            if !names.isEmpty { line += ": " + names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", ..." : "") }
            if used + line.count > budget {
                lines.append("- ... and \(paths.count - index) more files")
                break
            }
            lines.append(line)
            used += line.count + 1
        }
        return lines.joined(separator: "\n")
    }
}
