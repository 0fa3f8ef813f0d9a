import Testing
@testable import SelfDebugCore

@Suite("Reading replies")
struct ReplyParserTests {
    let parser = ReplyParser()

    @Test func singleFencedBlock() {
        let (edits, problems) = parser.parse("Sure:\n```python\ndef f():\n    return 1\n```\nDone.")
        #expect(problems.isEmpty)
        #expect(edits == [.anonymousBlock(language: "python", content: "def f():\n    return 1\n")])
    }

    @Test func wholeFilesBehindPathLines() {
        let reply = """
        stats.py
        ```python
        A = 1
        ```

        **src/helpers.py**
        ```python
        B = 2
        ```
        """
        let (edits, _) = parser.parse(reply)
        #expect(edits == [.wholeFile(path: "stats.py", content: "A = 1\n"), .wholeFile(path: "src/helpers.py", content: "B = 2\n")])
    }

    /// The local 1.5B on Examples/python/inventory, four turns running: each path in a bare fence
    /// of its own (left open or closed), then the file's block. It was told four times that its
    /// blocks had no paths.
    @Test func aPathInABareFenceOfItsOwnNamesTheNextBlock() {
        let unclosed = "```\ninventory/models.py\n```python\nA = 1\n```\n\n```\ninventory/store.py\n```python\nB = 2\n```\n"
        #expect(parser.parse(unclosed).edits == [.wholeFile(path: "inventory/models.py", content: "A = 1\n"),
                                                 .wholeFile(path: "inventory/store.py", content: "B = 2\n")])
        let closed = "```\ninventory/models.py\n```\n```python\nA = 1\n```\n"
        #expect(parser.parse(closed).edits == [.wholeFile(path: "inventory/models.py", content: "A = 1\n")])
        // A bare block whose one line is a path but no block follows is code, as before.
        #expect(parser.parse("```\nnotes.txt\n```\nDone.").edits == [.anonymousBlock(language: nil, content: "notes.txt\n")])
    }

    @Test func pathInFenceInfo() {
        let (edits, _) = parser.parse("```swift Sources/Stats.swift\nlet x = 1\n```\n")
        #expect(edits == [.wholeFile(path: "Sources/Stats.swift", content: "let x = 1\n")])
    }

    @Test func searchReplaceFenced() {
        let reply = """
        stats.py
        ```python
        <<<<<<< SEARCH
            return a
        =======
            return b
        >>>>>>> REPLACE
        ```
        """
        let (edits, problems) = parser.parse(reply)
        #expect(problems.isEmpty)
        #expect(edits == [.searchReplace(path: "stats.py", search: "    return a\n", replace: "    return b\n")])
    }

    @Test func searchReplaceUnfencedSeveralBlocks() {
        let reply = """
        a.py
        <<<<<<< SEARCH
        x = 1
        =======
        x = 2
        >>>>>>> REPLACE

        b.py
        <<<<<<< SEARCH
        =======
        y = 3
        >>>>>>> REPLACE
        """
        let (edits, _) = parser.parse(reply)
        #expect(edits == [
            .searchReplace(path: "a.py", search: "x = 1\n", replace: "x = 2\n"),
            .searchReplace(path: "b.py", search: "", replace: "y = 3\n"),
        ])
    }

    @Test func searchWithoutPathIsAProblem() {
        let (edits, problems) = parser.parse("<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n")
        #expect(edits.isEmpty)
        #expect(problems == ["a SEARCH/REPLACE block has no file path on the line before it"])
    }

    @Test func unterminatedBlockIsAProblem() {
        let (_, problems) = parser.parse("a.py\n<<<<<<< SEARCH\nx\n")
        #expect(!problems.isEmpty)
    }

    @Test func proseWithoutCode() {
        let (edits, problems) = parser.parse("I think the bug is in line 3.")
        #expect(edits.isEmpty)
        #expect(problems.isEmpty)
    }

    @Test func pathLinesAreRecognisedNotProse() {
        #expect(ReplyParser.pathLine("### `stats.py`") == "stats.py")
        #expect(ReplyParser.pathLine("File: ./src/a.py") == "src/a.py")
        #expect(ReplyParser.pathLine("Here is the fix.") == nil)
        #expect(ReplyParser.pathLine("stats.py:") == "stats.py")
        #expect(ReplyParser.pathLine("version 1.2") == nil)
    }

    @Test func longerFencesNestShorterOnes() {
        let (edits, _) = parser.parse("README.md\n````\n```python\nx\n```\n````\n")
        #expect(edits == [.wholeFile(path: "README.md", content: "```python\nx\n```\n")])
    }
}
