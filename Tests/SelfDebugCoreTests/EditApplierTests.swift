import Testing
@testable import SelfDebugCore

@Suite("Applying edits")
struct EditApplierTests {
    let task = TaskSpec(language: .python, solutionFiles: ["stats.py"], tests: ["test_stats.py": "T"], body: "x")

    func apply(_ reply: String, to files: [String: String] = [:], task: TaskSpec? = nil) -> EditApplier.Result {
        let (edits, problems) = ReplyParser().parse(reply)
        return EditApplier(task: task ?? self.task).apply(edits, problems: problems, to: files)
    }

    @Test func anonymousBlockGoesToTheOnlySolutionFile() {
        let result = apply("```python\nX = 1\n```\n")
        #expect(result == .applied(files: ["stats.py": "X = 1\n"], changed: ["stats.py"], notes: []))
    }

    @Test func lastBlockOfTheLanguageWins() {
        let result = apply("```bash\npip install x\n```\n```python\nX = 1\n```\n```python\nX = 2\n```\n")
        #expect(result == .applied(files: ["stats.py": "X = 2\n"], changed: ["stats.py"], notes: []))
    }

    @Test func searchReplaceApplies() {
        let result = apply("stats.py\n<<<<<<< SEARCH\n    return 1\n=======\n    return 2\n>>>>>>> REPLACE\n", to: ["stats.py": "def f():\n    return 1\n"])
        #expect(result == .applied(files: ["stats.py": "def f():\n    return 2\n"], changed: ["stats.py"], notes: []))
    }

    @Test func searchReplaceToleratesIndentationDrift() {
        let result = apply("stats.py\n<<<<<<< SEARCH\nreturn 1\n=======\nreturn 2\n>>>>>>> REPLACE\n", to: ["stats.py": "def f():\n    return 1\n"])
        #expect(result == .applied(files: ["stats.py": "def f():\n    return 2\n"], changed: ["stats.py"], notes: []))
    }

    @Test func missingSearchTextIsAPreciseRequestAndNothingApplies() throws {
        let result = apply(
            "stats.py\n<<<<<<< SEARCH\nreturn 1\n=======\nreturn 2\n>>>>>>> REPLACE\nstats.py\n<<<<<<< SEARCH\nreturn 7\n=======\nreturn 8\n>>>>>>> REPLACE\n",
            to: ["stats.py": "def f():\n    return 1\n"])
        guard case .rejected(let message, let reason) = result else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason == "edit did not apply")
        #expect(message.contains("the SEARCH text for stats.py is not in the file"))
        #expect(message.contains("return 7"))
        #expect(message.contains("none were"))
        #expect(message.contains("def f():"))  // the current file is shown
    }

    @Test func testFilesAreReadOnly() {
        let result = apply("test_stats.py\n```python\ndef test_x(): pass\n```\nstats.py\n```python\nX = 1\n```\n")
        guard case .applied(let files, _, let notes) = result else {
            Issue.record("expected the solution to apply")
            return
        }
        #expect(files == ["stats.py": "X = 1\n"])
        #expect(notes.count == 1)
        #expect(notes[0].contains("test file 'test_stats.py' was ignored"))
    }

    @Test func onlyTestEditsIsRejected() {
        let result = apply("test_stats.py\n```python\ndef test_x(): pass\n```\n")
        guard case .rejected(let message, _) = result else {
            Issue.record("expected a rejection")
            return
        }
        #expect(message.contains("read-only"))
    }

    @Test func shadowingAndEscapingPathsAreRefused() {
        for path in ["conftest.py", "pytest.py", "../outside.py", "/etc/x.py", ".hidden/x.py", "notes.txt"] {
            let result = apply("\(path)\n```python\nX = 1\n```\nstats.py\n```python\nY = 1\n```\n")
            guard case .applied(let files, _, let notes) = result else {
                Issue.record("expected the solution to apply for \(path)")
                continue
            }
            #expect(files.keys.sorted() == ["stats.py"], "\(path)")
            #expect(notes.count == 1, "\(path)")
        }
    }

    @Test func noCodeAsksAgainWithTheFormat() {
        guard case .rejected(let message, let reason) = apply("Let me think about it.") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason == "no code")
        #expect(message.contains("no usable code"))
        #expect(message.contains("stats.py"))
        #expect(message.contains("<<<<<<< SEARCH"))
    }

    @Test func anonymousBlocksInAMultiFileTaskNeedPaths() {
        let multi = TaskSpec(language: .python, solutionFiles: ["a.py", "b.py"], tests: [:], body: "x")
        guard case .rejected(let message, _) = apply("```python\nX = 1\n```\n", task: multi) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(message.contains("several files"))
    }
}

@Suite("Applying edits in project mode")
struct ProjectEditApplierTests {
    var task: TaskSpec {
        var task = TaskSpec(language: .python, solutionFiles: [], tests: ["tests/test_cart.py": "T", "pyproject.toml": "P"], body: "x",
                            startingFiles: ["src/shop/cart.py": "A = 1\n", "README.md": "r"])
        task.testCommand = "pytest -q"
        return task
    }

    func apply(_ reply: String) -> EditApplier.Result {
        let (edits, problems) = ReplyParser().parse(reply)
        return EditApplier(task: task).apply(edits, problems: problems, to: task.startingFiles)
    }

    @Test func sourceAndDocsMayChangeAndNewModulesAppear() {
        guard case .applied(let files, let changed, let notes) = apply("src/shop/cart.py\n```python\nA = 2\n```\nsrc/shop/tax.py\n```python\nT = 1\n```\nREADME.md\n```\nnew\n```\n") else {
            Issue.record("expected the edits to apply")
            return
        }
        #expect(changed == ["README.md", "src/shop/cart.py", "src/shop/tax.py"])
        #expect(files["src/shop/tax.py"] == "T = 1\n")
        #expect(notes.isEmpty)
    }

    @Test func newFilesThatWouldActAsTestsAreRefused() {
        for path in ["conftest.py", "src/conftest.py", "sitecustomize.py", "tests/test_more.py", "test_extra.py", "pytest.ini", "setup.cfg"] {
            let result = apply("\(path)\n```python\nX = 1\n```\nsrc/shop/cart.py\n```python\nA = 3\n```\n")
            guard case .applied(let files, _, let notes) = result else {
                Issue.record("expected the source edit to apply for \(path)")
                continue
            }
            #expect(files[path] == nil, "\(path)")
            #expect(notes.count == 1, "\(path)")
        }
    }

    @Test func existingTestsAndTheirConfigurationAreReadOnly() {
        guard case .rejected(let message, _) = apply("pyproject.toml\n```\n[tool.pytest.ini_options]\naddopts = \"-k nothing\"\n```\n") else {
            Issue.record("expected a refusal")
            return
        }
        #expect(message.contains("read-only"))
    }
}
