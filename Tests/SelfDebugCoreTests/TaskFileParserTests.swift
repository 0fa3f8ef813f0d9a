import Foundation
import Testing
@testable import SelfDebugCore

@Suite("Task files")
struct TaskFileParserTests {
    /// A folder with the given files, for tests paths.
    func folder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "taskfile-\(UUID().uuidString)"
        for (name, content) in files {
            let full = (path as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return path
    }

    func parse(_ text: String, files: [String: String] = [:]) throws -> TaskFileParser.Parsed {
        try TaskFileParser().parse(text: text, path: "task.md", baseDirectory: try folder(files))
    }

    func error(_ text: String, files: [String: String] = [:]) -> TaskFileError? {
        do {
            _ = try parse(text, files: files)
            return nil
        } catch let error as TaskFileError {
            return error
        } catch {
            return nil
        }
    }

    @Test func readsEveryKey() throws {
        let parsed = try parse("""
        ---
        language: swift
        solution: [Stats.swift, Helpers.swift]
        tests: StatsTests.swift
        module: Stats
        timeout: 12.5
        max_iterations: 7
        ---
        # Statistics
        Write mean.
        """, files: ["StatsTests.swift": "import XCTest\n"])
        let task = parsed.task
        #expect(task.language == .swift)
        #expect(task.solutionFiles == ["Stats.swift", "Helpers.swift"])
        #expect(task.tests == ["StatsTests.swift": "import XCTest\n"])
        #expect(task.module == "Stats")
        #expect(task.timeout == 12.5)
        #expect(task.maxIterations == 7)
        #expect(task.title == "Statistics")
        #expect(task.body == "# Statistics\nWrite mean.")
        #expect(parsed.warnings.isEmpty)
    }

    @Test func inlineTestsAreTakenOutOfTheBody() throws {
        let task = try parse("""
        ---
        language: python
        solution: stats.py
        ---
        # Mean
        Write mean.

        ## Tests
        ```python
        from stats import mean
        def test_mean():
            assert mean([2]) == 2
        ```

        ## Notes
        Keep it simple.
        """).task
        #expect(task.tests == ["test_stats.py": "from stats import mean\ndef test_mean():\n    assert mean([2]) == 2\n"])
        #expect(task.body.contains("Keep it simple."))
        #expect(!task.body.contains("def test_mean"))
    }

    @Test func testsFolderIsRead() throws {
        let task = try parse("---\nlanguage: python\ntests: tests\n---\nDo it.\n", files: [
            "tests/test_a.py": "a", "tests/sub/test_b.py": "b", "tests/notes.txt": "x",
        ]).task
        #expect(task.tests == ["tests/test_a.py": "a", "tests/sub/test_b.py": "b"])
        #expect(task.solutionFiles == ["solution.py"])
    }

    @Test func missingFrontMatter() throws {
        let error = try #require(self.error("# Title\nno front matter"))
        #expect(error.line == 1)
        #expect(error.message.contains("missing YAML front matter"))
        #expect(error.hint?.contains("---") == true)
    }

    @Test func unclosedFrontMatter() throws {
        let error = try #require(self.error("---\nlanguage: python\n# Title\n"))
        #expect(error.message.contains("never closed"))
    }

    @Test func unknownLanguageNamesItsLine() throws {
        let error = try #require(self.error("---\ntimeout: 3\nlanguage: rust\n---\nBody\n"))
        #expect(error.line == 3)
        #expect(error.message == "unknown language 'rust'")
        #expect(error.description.hasPrefix("task.md:3: unknown language 'rust'"))
        #expect(error.hint?.contains("python") == true)
    }

    @Test func missingLanguage() throws {
        let error = try #require(self.error("---\ntimeout: 3\n---\nBody\n"))
        #expect(error.message == "missing 'language'")
    }

    @Test func testsPathThatDoesNotExist() throws {
        let error = try #require(self.error("---\nlanguage: python\ntests: test_nope.py\n---\nBody\n"))
        #expect(error.line == 3)
        #expect(error.message.contains("'test_nope.py' does not exist"))
    }

    @Test func nonNumericTimeout() throws {
        let error = try #require(self.error("---\nlanguage: python\ntimeout: soon\n---\nBody\n"))
        #expect(error.line == 3)
        #expect(error.message.contains("positive number"))
        #expect(error.message.contains("soon"))
    }

    @Test func badMaxIterations() throws {
        let error = try #require(self.error("---\nlanguage: python\nmax_iterations: 0\n---\nBody\n"))
        #expect(error.message.contains("at least 1"))
    }

    @Test func emptyBody() throws {
        let error = try #require(self.error("---\nlanguage: python\n---\n\n   \n"))
        #expect(error.message.contains("no text"))
    }

    @Test func invalidYAMLNamesTheFileLine() throws {
        let error = try #require(self.error("---\nlanguage: python\ntests: [a.py\n---\nBody\n"))
        #expect(error.message.contains("not valid YAML"))
        #expect(error.line != nil)
    }

    @Test func unknownKeysWarnWithSuggestion() throws {
        let parsed = try parse("---\nlanguage: python\ntimout: 5\n---\nBody\n")
        #expect(parsed.warnings.count == 1)
        #expect(parsed.warnings[0].line == 3)
        #expect(parsed.warnings[0].message.contains("did you mean 'timeout'"))
    }

    @Test func solutionPathsMustStayInside() throws {
        let error = try #require(self.error("---\nlanguage: python\nsolution: ../evil.py\n---\nBody\n"))
        #expect(error.message.contains("relative path"))
    }

    @Test func moduleDefaultsFromTestableImportThenSolution() {
        var task = TaskSpec(language: .swift, solutionFiles: ["stats.swift"], tests: [:], body: "x")
        #expect(task.resolvedModule == "Stats")
        task.tests = ["T.swift": "import XCTest\n@testable import Geometry\n"]
        #expect(task.resolvedModule == "Geometry")
        task.module = "Explicit"
        #expect(task.resolvedModule == "Explicit")
    }
}
