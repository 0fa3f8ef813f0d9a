import Foundation
import Testing
import SelfDebugCore
import SelfDebugExec
import SelfDebugSandbox
@testable import SelfDebugBench

/// The examples a user would have, read from benchmark prompts, and run as the model's only feedback.
@Suite("Visible tests: the task's own examples")
struct VisibleTestsTests {
    func problem(_ prompt: String, entry: String, language: Language = .python, tests: String = "") -> BenchProblem {
        BenchProblem(id: "P/1", language: language, prompt: prompt, entryPoint: entry, tests: tests, canonicalSolution: nil, instruction: nil)
    }

    @Test func humanEvalDoctestsAreExamples() throws {
        let prompt = "def add(a, b):\n    \"\"\" Add two numbers.\n    >>> add(2, 3)\n    5\n    >>> add('a',\n    ... 'b')\n    'ab'\n    >>> print_only()\n    \"\"\"\n"
        let visible = try #require(VisibleTests.of(problem(prompt, entry: "add")))
        #expect(visible.examples == [.init(call: "add(2, 3)", expected: "5"), .init(call: "add('a',\n'b')", expected: "'ab'")])
        // HumanEval/108 and others assert in the doctest line itself, with no value below it.
        let asserted = "def count(a):\n    \"\"\"\n    >>> count([]) == 0\n    >>> count([1, 1])==2\n    \"\"\"\n"
        #expect(VisibleTests.of(problem(asserted, entry: "count"))?.examples == [.init(call: "count([])", expected: "0"), .init(call: "count([1, 1])", expected: "2")])
    }

    @Test func proseExamplesAndMBPPAssertsAreExamples() throws {
        let prose = "def f(x):\n    \"\"\"Examples:\n        f(2) => 4\n        f(3) ➞ 9 # three squared\n        f(4) -> 4 * 4 = 16\n        f([1, 2]) == [1, 4].\n    \"\"\"\n"
        let visible = try #require(VisibleTests.of(problem(prose, entry: "f")))
        #expect(visible.examples.map(\.expected) == ["4", "9", "16", "[1, 4]"])
        let mbpp = "\"\"\"\nWrite a function.\nassert is_odd(3) == True\nassert set(g(1)) == {1}\n\"\"\"\n"
        let asserts = try #require(VisibleTests.of(problem(mbpp, entry: "is_odd")))
        #expect(asserts.examples == [.init(call: "is_odd(3)", expected: "True"), .init(call: "set(g(1))", expected: "{1}")])
        #expect(VisibleTests.of(problem("def h():\n    \"\"\"No examples here.\"\"\"\n", entry: "h")) == nil)
    }

    @Test func mbppAssertsWithoutSpacesSplitAndWholeAssertsShowTheirCall() throws {
        let mbpp = "\"\"\"\nWrite a function.\nassert ratio([0, 1, 2])==0.67\nassert ratio([]) != 1\nassert ratio([1]) <= 1\n"
            + "assert math.isclose(ratio([1, 2]), 1.0, rel_tol=0.001)\nassert g('a==b') == 'x'\n\"\"\"\n"
        let visible = try #require(VisibleTests.of(problem(mbpp, entry: "ratio")))
        #expect(visible.examples == [
            .init(call: "ratio([0, 1, 2])", expected: "0.67"), .init(call: "ratio([]) != 1", expected: nil),
            .init(call: "ratio([1]) <= 1", expected: nil), .init(call: "math.isclose(ratio([1, 2]), 1.0, rel_tol=0.001)", expected: nil),
            .init(call: "g('a==b')", expected: "'x'"),
        ])
        #expect(VisibleTests.firstCallArgument("math.isclose(ratio([1, 2]), 1.0, rel_tol=0.001)") == "ratio([1, 2])")
        #expect(VisibleTests.firstCallArgument("all(x > 0 for x in f(3))") == nil)
        #expect(VisibleTests.firstCallArgument("f(1) and g(2)") == nil)
        #expect(visible.program.contains("check(\"math.isclose(ratio([1, 2]), 1.0, rel_tol=0.001)\", None, \"ratio([1, 2])\")"))
    }

    @Test func aWholeAssertThatFailsSaysWhatItsCallReturned() async throws {
        let prompt = "\"\"\"\nWrite area.\nassert math.isclose(area(2), 12.56, rel_tol=0.01)\nassert area(1)==3.14\n\"\"\"\n"
        let bench = problem(prompt, entry: "area", tests: "assert area(3) == 28.26\n")
        let task = bench.task(maxIterations: 1, timeout: 20, feedback: .visible)
        let inner = try await TaskExecutor.make(for: .python, sandbox: try BubblewrapSandbox())
        let judged = JudgedExecutor(inner: inner, hiddenTests: bench.tests, hasExamples: true)
        let wrong = try await judged.run(ExecRequest(task: task, files: ["solution.py": "import math\ndef area(r):\n    return 3 * r * r\n"]))
        let message = try #require(wrong.tests.first?.message)
        #expect(message.contains("assert math.isclose(area(2), 12.56, rel_tol=0.01) failed (area(2) returned 12)"), "\(message)")
        #expect(message.contains("area(1) returned 3, expected 3.14"), "\(message)")
    }

    @Test func swiftDocExamplesKeepTheHiddenTestsHelpersButNoneOfTheirCases() throws {
        let prompt = "/// Doubles.\n/// >>> double(x: 2)\n/// 4\n/// >>> double(x: 0)\n/// 0\nfunc double(x: Int) -> Int {\n"
        let hidden = "func helper() {}\n\nassert(double(x: 21) == 42)\n"
        let visible = try #require(VisibleTests.of(problem(prompt, entry: "double", language: .swift, tests: hidden)))
        #expect(visible.examples.count == 2)
        #expect(visible.program.contains("func helper() {}"))
        #expect(!visible.program.contains("42"))
        #expect(visible.program.contains("assert(selfdebugExample1 == 4"))
    }

    /// MultiPL-E's Swift prompts run prose straight after an example's value (HumanEval_107): the
    /// value is its first balanced line; a literal that spans lines is kept whole.
    @Test func swiftExampleValuesEndWhereTheirBracketsClose() throws {
        let prompt = """
        /// Example 1:
        /// >>> even_odd_palindrome(n: 3)
        /// (1, 2)
        /// Explanation:
        /// Integer palindrome are 1, 2, 3. one of them is even, and two of them are odd.
        /// >>> words(s: "a b")
        /// ["a",
        /// "b"]
        /// Note:
        /// 1. 1 <= n <= 10^3
        func even_odd_palindrome(n: Int) -> (Int, Int) {

        """
        let visible = try #require(VisibleTests.of(problem(prompt, entry: "even_odd_palindrome", language: .swift, tests: "assert(true)\n")))
        #expect(visible.examples.map(\.expected) == ["(1, 2)", "[\"a\",\n\"b\"]"])
        #expect(!visible.program.contains("Explanation"))
        #expect(!visible.program.contains("Note"))
    }

    @Test func examplesRunAgainstASolutionAndSayWhatFailed() async throws {
        let prompt = "def f(x):\n    \"\"\"\n    >>> f(2)\n    4\n    >>> f(3)\n    9\n    >>> f(True)\n    true\n    >>> f(undefined_prose_name)\n    1\n    \"\"\"\n"
        let bench = problem(prompt, entry: "f", tests: "assert f(10) == 100\n")
        let task = bench.task(maxIterations: 1, timeout: 20, feedback: .visible)
        #expect(task.programTestsAreExamples == true)
        let inner = try await TaskExecutor.make(for: .python, sandbox: try BubblewrapSandbox())
        let judged = JudgedExecutor(inner: inner, hiddenTests: bench.tests, hasExamples: true)
        // Right on the examples, wrong on the hidden test: passes what the model sees, judged failed.
        let cheat = try await judged.run(ExecRequest(task: task, files: ["solution.py": "def f(x):\n    return {2: 4, 3: 9, True: True}[x]\n"]))
        #expect(cheat.verdict == .passed, "\(cheat.tests)")
        #expect(cheat.judgedVerdict == .testsFailed)
        // Wrong on an example: the model is told the call, the value and the expected value, never the hidden test.
        let wrong = try await judged.run(ExecRequest(task: task, files: ["solution.py": "def f(x):\n    return x + x\n"]))
        #expect(wrong.verdict == .testsFailed)
        let message = try #require(wrong.tests.first?.message)
        #expect(message.contains("2 of 3 examples from the task failed"), "\(message)")
        #expect(message.contains("f(3) returned 6, expected 9"), "\(message)")
        let feedback = FeedbackBuilder().feedback(for: wrong, task: task)
        #expect(!feedback.contains("f(10)"))
        #expect(!feedback.contains("100"))
        // Nothing of the examples runner's own code or places: only what failed.
        #expect(!feedback.contains("raise AssertionError") && !feedback.contains("tests:") && !feedback.contains("traceback"), "\(feedback)")
        // An example whose call raises is named, with the solution's line that raised.
        let raising = try await judged.run(ExecRequest(task: task, files: ["solution.py": "def f(x):\n    return [1][x]\n"]))
        let told = FeedbackBuilder().feedback(for: raising, task: task)
        #expect(told.contains("IndexError") && told.contains("check(\"f(2)\", \"4\")") && told.contains("solution.py:2 in f"), "\(told)")
        #expect(!told.contains("raise AssertionError") && !told.contains("__selfdebug_examples()"), "\(told)")
    }

    /// `--feedback trace`: the first failing example's run, block by block, follows the report:
    /// the branch taken and the values, from the model's own code and the visible example only.
    @Test func aTracedExamplesProgramShowsTheFailingExamplesBlocks() async throws {
        let prompt = "def circular_shift(x, shift):\n    \"\"\"\n    >>> circular_shift(12, 1)\n    \"21\"\n    >>> circular_shift(12, 2)\n    \"12\"\n    \"\"\"\n"
        let bench = problem(prompt, entry: "circular_shift", tests: "assert circular_shift(97, 8) == '79', 'secret case'\n")
        let visible = try #require(VisibleTests.of(bench)).traced()
        let task = bench.task(maxIterations: 1, timeout: 20, feedback: .visible, visibleTests: visible)
        let inner = try await TaskExecutor.make(for: .python, sandbox: try BubblewrapSandbox())
        let judged = JudgedExecutor(inner: inner, hiddenTests: bench.tests, hasExamples: true)
        let wrong = "def circular_shift(x, shift):\n    digits = str(x)\n    if shift >= len(digits):\n        return digits[::-1]\n    return digits[-shift:] + digits[:-shift]\n"
        let outcome = try await judged.run(ExecRequest(task: task, files: ["solution.py": wrong]))
        let message = try #require(outcome.tests.first?.message)
        #expect(message.contains("circular_shift(12, 2) returned '21', expected \"12\""), "\(message)")
        #expect(message.contains("Trace of circular_shift(12, 2)"), "\(message)")
        #expect(message.contains("[1] circular_shift lines 2-4: x = 12, shift = 2, digits = '12' -> returns '21'"), "\(message)")
        #expect(!message.contains("secret case") && !message.contains("97"), "\(message)")
        // A right answer passes the traced program as it passes the plain one.
        let right = "def circular_shift(x, shift):\n    digits = str(x)\n    if shift > len(digits):\n        return digits[::-1]\n    return digits[len(digits) - shift:] + digits[:len(digits) - shift]\n"
        #expect(try await judged.run(ExecRequest(task: task, files: ["solution.py": right])).verdict == .passed)
        // An example whose call raises keeps its traceback and gets the trace up to the raise.
        let raising = "def circular_shift(x, shift):\n    digits = str(x)\n" + (1...12).map { "    d\($0) = '\($0)' * 30\n" }.joined()
            + "    return str(x)[-shift:] + str(x[:-shift])\n"
        let raised = try await judged.run(ExecRequest(task: task, files: ["solution.py": raising]))
        let told = FeedbackBuilder().feedback(for: raised, task: task)
        #expect(told.contains("TypeError") && told.contains("solution.py:15 in circular_shift"), "\(told)")
        // The whole trace, to the line that raised (longer than a detail's usual 400 characters).
        #expect(told.contains("Trace of circular_shift(12, 1)") && told.contains("digits = '12'") && told.contains("-> raises TypeError: 'int' object is not subscriptable"), "\(told)")
        #expect(!told.contains("returns None"), "\(told)")
        #expect(!told.contains("secret case") && !told.contains("97"), "\(told)")
        // Without tracing, the program is the plain one.
        #expect(!(VisibleTests.of(bench)?.program.contains("__selfdebug_trace") ?? true))
    }

    @Test func withoutExamplesTheModelLearnsOnlyThatTheHiddenTestsFailed() async throws {
        let bench = problem("def f(x):\n    \"\"\"Square it.\"\"\"\n", entry: "f", tests: "assert f(10) == 100, 'secret case'\n")
        let task = bench.task(maxIterations: 1, timeout: 20, feedback: .visible)
        #expect(task.programTestsAreExamples == nil)
        let inner = try await TaskExecutor.make(for: .python, sandbox: try BubblewrapSandbox())
        let judged = JudgedExecutor(inner: inner, hiddenTests: bench.tests, hasExamples: false)
        let outcome = try await judged.run(ExecRequest(task: task, files: ["solution.py": "def f(x):\n    return x\n"]))
        #expect(outcome.judgedVerdict == .testsFailed)
        let feedback = FeedbackBuilder().feedback(for: outcome, task: task)
        #expect(feedback.contains("the hidden tests did not pass"), "\(feedback)")
        #expect(!feedback.contains("secret case"))
        #expect(!feedback.contains("100"))
    }

    /// `--show-first-test`: a Swift prompt without examples shows its first hidden assert as one,
    /// as MBPP's own prompts do; it becomes the visible test, and all the asserts still judge.
    @Test func theFirstHiddenAssertCanBeShownAsAnExample() async throws {
        let hidden = "func ==(left: [(Int, Int)], right: [(Int, Int)]) -> Bool {\n    return left.count == right.count\n}\n\nassert(double(x: 2) == 4)\nassert(double(x: 5) == 10)\n"
        let bench = problem("\n/// Write a function that doubles x.\nfunc double(x: Int) -> Int {\n", entry: "double", language: .swift, tests: hidden)
        let shown = try #require(bench.showingFirstTest())
        #expect(shown.prompt == "\n/// Write a function that doubles x.\n/// Example:\n/// >>> double(x: 2)\n/// 4\nfunc double(x: Int) -> Int {\n")
        #expect(shown.firstTestShown == true)
        #expect(VisibleTests.of(shown)?.examples == [.init(call: "double(x: 2)", expected: "4")])
        #expect(shown.showingFirstTest() == nil)  // it has an example now
        let task = shown.task(maxIterations: 1, timeout: 60, feedback: .visible)
        let inner = try await TaskExecutor.make(for: .swift, sandbox: try BubblewrapSandbox())
        let judged = JudgedExecutor(inner: inner, hiddenTests: shown.tests, hasExamples: true)
        // Right on the shown example, wrong on the other assert: passes what the model sees, judged failed.
        let file = task.solutionFiles.first ?? "Solution.swift"
        let cheat = try await judged.run(ExecRequest(task: task, files: [file: "func double(x: Int) -> Int {\n    return 4\n}\n"]))
        #expect(cheat.verdict == .passed, "\(cheat.tests)")
        #expect(cheat.judgedVerdict != nil && cheat.judgedVerdict != .passed)  // Swift's failing assert traps
        let wrong = try await judged.run(ExecRequest(task: task, files: [file: "func double(x: Int) -> Int {\n    return x + 1\n}\n"]))
        let told = FeedbackBuilder().feedback(for: wrong, task: task)
        #expect(told.contains("double(x: 2) returned 3, expected 4"), "\(told)")
        #expect(!told.contains("10"), "\(told)")
    }

    /// MultiPL-E's MBPP Swift prompts have no examples: a build that fails with the hidden tests
    /// shows the code's own errors where they are, and of the tests' errors only how many (their
    /// source lines are the hidden cases).
    @Test func withoutExamplesASwiftBuildFailureHidesTheTestsSource() async throws {
        let hidden = "func helper() {}\n\nassert(next_palindrome(num: 9797) == 9889)\n"
        let bench = problem("/// The next palindrome.\nfunc next_palindrome(num: Int) -> Int {\n", entry: "next_palindrome", language: .swift, tests: hidden)
        let task = bench.task(maxIterations: 1, timeout: 60, feedback: .visible)
        #expect(task.programTestsAreExamples == nil)
        let inner = try await TaskExecutor.make(for: .swift, sandbox: try BubblewrapSandbox())
        let judged = JudgedExecutor(inner: inner, hiddenTests: bench.tests, hasExamples: false)
        let file = task.solutionFiles.first ?? "Solution.swift"
        // Wrong label: every error is in the hidden tests' call.
        let relabelled = try await judged.run(ExecRequest(task: task, files: [file: "func next_palindrome(n: Int) -> Int {\n    return n + 1\n}\n"]))
        #expect(relabelled.judgedVerdict == .buildFailed)
        let told = FeedbackBuilder().feedback(for: relabelled, task: task)
        #expect(told.contains("the hidden tests do not compile against this code"), "\(told)")
        #expect(!told.contains("9797") && !told.contains("9889"), "\(told)")
        // An error in the code itself: shown in the model's own file, with its line.
        let broken = try await judged.run(ExecRequest(task: task, files: [file: "func next_palindrome(num: Int) -> Int {\n    let s: Int = \"x\"\n    return s\n}\n"]))
        let shown = FeedbackBuilder().feedback(for: broken, task: task)
        #expect(shown.contains("\(file):2:"), "\(shown)")
        #expect(!shown.contains("9797"), "\(shown)")
    }
}
