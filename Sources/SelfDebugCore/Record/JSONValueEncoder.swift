import Foundation

/// Encodes an `Encodable` value straight into a ``JSONValue`` tree, keys as the value's coding
/// keys say (no conversion).
///
/// Why not `JSONEncoder` and back: it writes `10.0` as `10`, so a `Double` field would come back
/// as an integer and `trajectory.jsonl` would change its numbers' spelling (`"timeout_seconds":10.0`).
/// This encoder keeps integers and floating-point numbers apart, as ``JSONValue/serialized(leadingKeys:)``
/// writes them.
public enum JSONValueEncoder {
    /// The value as a JSON tree.
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let node = Node()
        try value.encode(to: TreeEncoder(node: node, codingPath: []))
        return node.json
    }

    /// A value under construction: containers hand out child nodes that are filled in later.
    final class Node {
        enum Content {
            case value(JSONValue)
            case object([String: Node])
            case array([Node])
        }

        var content: Content = .value(.null)

        var json: JSONValue {
            switch content {
            case .value(let value): value
            case .object(let members): .object(members.mapValues(\.json))
            case .array(let elements): .array(elements.map(\.json))
            }
        }

        /// The member `key`, made an object first (several keyed containers may share one node).
        func member(_ key: String) -> Node {
            var members: [String: Node] = [:]
            if case .object(let existing) = content { members = existing }
            let child = members[key] ?? Node()
            members[key] = child
            content = .object(members)
            return child
        }

        func makeObject() { if case .object = content {} else { content = .object([:]) } }
        func makeArray() { if case .array = content {} else { content = .array([]) } }

        func appended() -> Node {
            let child = Node()
            if case .array(let elements) = content { content = .array(elements + [child]) } else { content = .array([child]) }
            return child
        }

        var count: Int { if case .array(let elements) = content { elements.count } else { 0 } }
    }

    struct TreeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.makeObject()
            return KeyedEncodingContainer(Keyed(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.makeArray()
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    /// Puts one value in `node`: scalars directly, anything else through its own `encode(to:)`.
    static func put<T: Encodable>(_ value: T, in node: Node, codingPath: [any CodingKey]) throws {
        switch value {
        case let value as Bool: node.content = .value(.bool(value))
        case let value as String: node.content = .value(.string(value))
        case let value as Double: node.content = .value(.double(value))
        case let value as Float: node.content = .value(.double(Double(value)))
        case let value as any BinaryInteger:
            node.content = .value(Int(exactly: value).map(JSONValue.int) ?? .double(Double(value)))
        default: try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) { node.member(key.stringValue).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONValueEncoder.put(value, in: node.member(key.stringValue), codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.member("super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { node.count }

        mutating func encodeNil() { node.appended().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.put(value, in: node.appended(), codingPath: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(node: node.appended(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            TreeEncoder(node: node.appended(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.appended(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() { node.content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try JSONValueEncoder.put(value, in: node, codingPath: codingPath) }
    }
}
