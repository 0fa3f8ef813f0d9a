import Foundation
import Testing
import SelfDebugCore
@testable import SelfDebugExec
@testable import SelfDebugSandbox

@Suite("Swift XCTest tests in the sandbox")
struct SwiftRunnerTests {
    let tests = """
    import XCTest
    @testable import Sol

    final class SolTests: XCTestCase {
        func testAdd() { XCTAssertEqual(add(2, 2), 4) }
        func testInternal() throws { XCTAssertEqual(helper(), 1) }
        func testAsync() async { XCTAssertEqual(add(1, 1), 2) }
    }
    """

    @Test func passingCodePassesWithTestableImport() async throws {
        let outcome = try await Run.swift("public func add(_ a: Int, _ b: Int) -> Int { a + b }\nfunc helper() -> Int { 1 }\n", tests: tests)
        #expect(outcome.verdict == .passed, "\(Run.output(outcome))")
        #expect(outcome.tests.map(\.name) == ["SolTests.testAdd", "SolTests.testInternal", "SolTests.testAsync"])
    }

    @Test func failureShowsTheAssertion() async throws {
        let outcome = try await Run.swift("public func add(_ a: Int, _ b: Int) -> Int { a * b + 1 }\nfunc helper() -> Int { 1 }\n", tests: tests)
        #expect(outcome.verdict == .testsFailed)
        let failed = try #require(outcome.tests.first { $0.name == "SolTests.testAdd" })
        #expect(failed.message?.contains(#"XCTAssertEqual failed: ("5") is not equal to ("4")"#) == true)
        #expect(failed.location == "SolTests.swift:5")
    }

    @Test func compileErrorIsParsed() async throws {
        let outcome = try await Run.swift("public func add(_ a: Int, _ b: Int) -> Int { return \"x\" }\nfunc helper() -> Int { 1 }\n", tests: tests)
        #expect(outcome.verdict == .buildFailed)
        let error = try #require(outcome.diagnostics.first { $0.severity == "error" })
        #expect(error.file == "Sol.swift")
        #expect(error.line == 1)
        #expect(error.message.contains("String"))
        #expect(error.sourceLine?.contains("return \"x\"") == true)
    }

    @Test func crashNamesTheTestAndTheTrap() async throws {
        let outcome = try await Run.swift("public func add(_ a: Int, _ b: Int) -> Int { let xs: [Int] = []; return xs[a] }\nfunc helper() -> Int { 1 }\n", tests: tests)
        #expect(outcome.verdict == .crashed)
        let crashed = try #require(outcome.tests.last)
        #expect(crashed.name == "SolTests.testAdd")
        #expect(crashed.outcome == .crashed)
        #expect(crashed.message?.contains("Index out of range") == true)
    }

    @Test func infiniteLoopTimesOut() async throws {
        let outcome = try await Run.swift("public func add(_ a: Int, _ b: Int) -> Int { while true {} }\nfunc helper() -> Int { 1 }\n", tests: tests, timeout: 10)
        #expect(outcome.verdict == .timedOut)
    }

    @Test func swiftTestingTestsRunInTaskMode() async throws {
        let tests = """
        import Testing
        @testable import Sol

        @Test func adds() { #expect(add(2, 3) == 5) }
        @Test func addsZero() { #expect(add(0, 0) == 0) }
        @Suite struct More {
            @Test(arguments: [1, 2]) func param(x: Int) { #expect(add(x, 1) == x + 1) }
        }
        """
        let wrong = try await Run.swift("func add(_ a: Int, _ b: Int) -> Int { a * b }\n", tests: tests)
        #expect(wrong.verdict == .testsFailed, "\(Run.output(wrong))")
        let adds = try #require(wrong.tests.first { $0.name == "adds()" })
        #expect(adds.outcome == .failed)
        #expect(adds.message == "Expectation failed: (add(2, 3) → 6) == 5")
        #expect(adds.location == "SolTests.swift:4")
        #expect(wrong.tests.first { $0.name == "addsZero()" }?.outcome == .passed)
        // Both arguments fail and their cases run in either order: the detail names whichever failed first.
        let details = wrong.tests.first { $0.name == "param(x:)" }?.details ?? []
        #expect(details.contains { $0.contains("x → 1") || $0.contains("x → 2") }, "\(details)")
        let right = try await Run.swift("func add(_ a: Int, _ b: Int) -> Int { a + b }\n", tests: tests)
        #expect(right.verdict == .passed, "\(Run.output(right))")
        #expect(right.tests.count == 3)
    }

    @Test func xctestAndSwiftTestingTogether() async throws {
        let tests = """
        import XCTest
        import Testing
        @testable import Sol

        final class OldTests: XCTestCase {
            func testAdd() { XCTAssertEqual(add(1, 1), 2) }
        }

        @Test func newAdd() { #expect(add(2, 2) == 5) }
        """
        let outcome = try await Run.swift("func add(_ a: Int, _ b: Int) -> Int { a + b }\n", tests: tests)
        #expect(outcome.verdict == .testsFailed)
        #expect(outcome.tests.map(\.name).sorted() == ["OldTests.testAdd", "newAdd()"])
        #expect(outcome.tests.first { $0.name == "OldTests.testAdd" }?.outcome == .passed)
    }

    @Test func missingFoundationIsExplained() async throws {
        let outcome = try await Run.swift("func add(_ a: Int, _ b: Int) -> Int { Int(sqrt(Double(a * a))) + b }\nfunc helper() -> Int { 1 }\n", tests: tests)
        #expect(outcome.verdict == .buildFailed)
        #expect(outcome.notes.contains { $0.contains("sqrt need `import Foundation`") })
    }

    @Test func manifestFindsClassesAndMethods() {
        let source = """
        import XCTest
        // class Hidden: XCTestCase { func testNo() {} }
        final class A: XCTestCase {
            func testOne() throws {}
            func helper() {}
            func testTwo() async throws {}
        }
        class B : XCTestCase { func test_three() {} }
        """
        let classes = XCTestManifest.classes(in: source)
        #expect(classes.map(\.name) == ["A", "B"])
        #expect(classes[0].methods.map(\.name) == ["testOne", "testTwo"])
        #expect(classes[0].methods.map(\.isAsync) == [false, true])
        #expect(XCTestManifest.main(for: classes).contains("(\"testTwo\", asyncTest(A.testTwo))"))
    }
}

@Suite("Swift package mode in the sandbox")
struct SwiftPackageModeTests {
    let package = "// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(name: \"Calc\", targets: [.target(name: \"Calc\"), .testTarget(name: \"CalcTests\", dependencies: [\"Calc\"])])\n"
    let tests = [
        "Tests/CalcTests/CalcTests.swift": "import XCTest\n@testable import Calc\n\nfinal class CalcTests: XCTestCase {\n    func testAdd() { XCTAssertEqual(add(1, 2), 3) }\n}\n",
        "Tests/CalcTests/NewTests.swift": "import Testing\n@testable import Calc\n\n@Test func addsTwo() { #expect(add(2, 2) == 4) }\n",
    ]

    @Test func buildsAndTestsAPackageAcrossIterations() async throws {
        var allTests = tests
        allTests["Package.swift"] = package
        let task = TaskSpec(language: .swift, solutionFiles: ["Sources/Calc/Calc.swift"], tests: allTests, timeout: 300, body: "package")
        let executor = try await TaskExecutor.make(for: .swift, sandbox: try BubblewrapSandbox())
        // 1. A compile error, with its place in the package.
        let broken = try await executor.run(ExecRequest(task: task, files: ["Sources/Calc/Calc.swift": "public func add(_ a: Int, _ b: Int) -> Int { a + \"b\" }\n"]))
        #expect(broken.verdict == .buildFailed, "\(Run.output(broken))")
        #expect(broken.diagnostics.first { $0.severity == "error" }?.file == "Sources/Calc/Calc.swift")
        // 2. Wrong: both kinds of tests report.
        let wrong = try await executor.run(ExecRequest(task: task, files: ["Sources/Calc/Calc.swift": "public func add(_ a: Int, _ b: Int) -> Int { a * b }\n"]))
        #expect(wrong.verdict == .testsFailed, "\(Run.output(wrong))")
        #expect(wrong.tests.first { $0.name == "CalcTests.testAdd" }?.outcome == .failed)
        #expect(wrong.tests.first { $0.name == "addsTwo()" }?.outcome == .passed)
        // 3. Right, reusing the build folder.
        let right = try await executor.run(ExecRequest(task: task, files: ["Sources/Calc/Calc.swift": "public func add(_ a: Int, _ b: Int) -> Int { a + b }\n"]))
        #expect(right.verdict == .passed, "\(Run.output(right))")
        #expect(right.tests.count == 2)
    }
}
