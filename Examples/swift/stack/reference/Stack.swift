/// A last-in, first-out stack with value semantics.
public struct Stack<Element> {
    /// Bottom first: the top of the stack is the array's last element.
    private var storage: [Element]

    public init() {
        storage = []
    }

    /// The stack holding `elements`, pushed in order: the sequence's last element is on top.
    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        storage = Array(elements)
    }

    public mutating func push(_ element: Element) {
        storage.append(element)
    }

    /// Removes and returns the top element; nil (and no change) when the stack is empty.
    @discardableResult
    public mutating func pop() -> Element? {
        storage.popLast()
    }

    /// The top element without removing it; nil when empty.
    public func peek() -> Element? {
        storage.last
    }

    public var count: Int { storage.count }

    public var isEmpty: Bool { storage.isEmpty }

    /// The elements from the top of the stack to the bottom.
    public func toArray() -> [Element] {
        Array(storage.reversed())
    }
}

extension Stack: Equatable where Element: Equatable {}
