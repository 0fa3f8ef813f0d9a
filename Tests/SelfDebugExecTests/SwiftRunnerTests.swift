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
