import XCTest
@testable import DataStructures

final class StackTests: XCTestCase {
    func testNewStackIsEmpty() {
        let stack = Stack<Int>()
        XCTAssertTrue(stack.isEmpty)
        XCTAssertEqual(stack.count, 0)
        XCTAssertNil(stack.peek())
        XCTAssertEqual(stack.toArray(), [])
    }

    func testPushAndPopAreLastInFirstOut() {
        var stack = Stack<String>()
        stack.push("a")
        stack.push("b")
        stack.push("c")
        XCTAssertEqual(stack.count, 3)
        XCTAssertFalse(stack.isEmpty)
        XCTAssertEqual(stack.pop(), "c")
        XCTAssertEqual(stack.pop(), "b")
        stack.push("d")
        XCTAssertEqual(stack.pop(), "d")
        XCTAssertEqual(stack.pop(), "a")
        XCTAssertTrue(stack.isEmpty)
    }

    func testPopOnEmptyStackReturnsNil() {
        var stack = Stack<Int>()
        XCTAssertNil(stack.pop())
        stack.push(1)
        XCTAssertEqual(stack.pop(), 1)
        XCTAssertNil(stack.pop())
        XCTAssertEqual(stack.count, 0)
    }

    func testPeekDoesNotRemove() {
        var stack = Stack([1, 2])
        XCTAssertEqual(stack.peek(), 2)
        XCTAssertEqual(stack.peek(), 2)
        XCTAssertEqual(stack.count, 2)
        stack.pop()
        XCTAssertEqual(stack.peek(), 1)
    }

    func testInitFromSequencePutsLastElementOnTop() {
        let stack = Stack(1...4)
        XCTAssertEqual(stack.count, 4)
        XCTAssertEqual(stack.peek(), 4)
        XCTAssertEqual(stack.toArray(), [4, 3, 2, 1])
        XCTAssertEqual(Stack("xyz").toArray(), ["z", "y", "x"])
    }

    func testCopiesAreIndependent() {
        var original = Stack([1, 2, 3])
        var copy = original
        copy.push(4)
        XCTAssertEqual(original.toArray(), [3, 2, 1])
        XCTAssertEqual(copy.toArray(), [4, 3, 2, 1])
        original.pop()
        XCTAssertEqual(copy.count, 4)
        XCTAssertEqual(original.count, 2)
    }

    func testEquatableComparesElementsInOrder() {
        var built = Stack<Int>()
        built.push(1)
        built.push(2)
        XCTAssertEqual(built, Stack([1, 2]))
        XCTAssertNotEqual(built, Stack([2, 1]))
        XCTAssertNotEqual(built, Stack([1]))
        XCTAssertEqual(Stack<Int>(), Stack([Int]()))
    }
}
