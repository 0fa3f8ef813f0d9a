import Foundation

/// Which secrets one run keeps from the model and from its record, and how to put them back.
///
/// Only secrets from outside the task are replaced: the values of the environment's secret
/// variables (always, wherever they appear), and provider keys, tokens and private keys the
/// ``Redactor`` recognises in text the task did not give and the model did not write (a project's
/// own files, the output of its tests). A literal in the task's body or tests, or in the model's own
/// replies, is never touched: the model must see its own code as it wrote it, or the SEARCH text
/// it copies would not match. Each secret gets its own placeholder for the whole run, and the model's
/// replies have the placeholders mapped back before an edit is applied, so a SEARCH block across one
/// still matches and the file keeps the real value.
public final class SecretScope: @unchecked Sendable {
    private let lock = NSLock()
    /// Values that never leave, with the name they came from (an environment variable's).
    private let outside: [(value: String, name: String)]
    /// Text the task gave or the model wrote.
    private var owned: [String]
    /// Placeholder to original, and back.
    private var originals: [String: String] = [:]
    private var placeholders: [String: String] = [:]

    /// A scope for `task`, whose body, tests and starting files are its own (in project mode they
    /// are the user's project, not the task's), keeping `outsideSecrets` (value to name) out.
    public init(task: TaskSpec, outsideSecrets: [String: String]) {
        outside = outsideSecrets.filter { $0.key.count >= 6 }.map { (value: $0.key, name: $0.value) }
            .sorted { $0.value.count > $1.value.count }
        owned = task.isProject ? [] : [task.body] + task.tests.values + task.startingFiles.values + (task.programTests.map { [$0] } ?? [])
    }

    /// The secret values of an environment: those of variables named like a key, a token, a secret,
    /// a password or a credential, and any value the ``Redactor`` recognises as a provider key
    /// (value to variable name).
    public static func outsideSecrets(environment: [String: String]) -> [String: String] {
        let secretName = try! NSRegularExpression(pattern: "(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)", options: [.caseInsensitive])
        var secrets: [String: String] = [:]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where value.count >= 8 {
            let named = secretName.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
            if named || Redactor().redact(value).text != value { secrets[value] = name }
        }
        return secrets
    }

    /// Marks text the model wrote as its own.
    public func own(_ text: String) { lock.withLock { owned.append(text) } }

    /// `text` with the outside secrets and every recognised secret the task or the model did not
    /// write replaced by their placeholders, and how many of each kind were replaced.
    public func redact(_ text: String) -> (text: String, found: [String: Int]) {
        lock.withLock {
            var result = text
            var found: [String: Int] = [:]
            for (value, name) in outside where result.contains(value) {
                found["environment secret", default: 0] += result.components(separatedBy: value).count - 1
                result = result.replacingOccurrences(of: value, with: placeholder(for: value, kind: name))
            }
            let (cleaned, recognised) = Redactor().redact(
                result, keep: { secret in owned.contains { $0.contains(secret) } },
                placeholder: { kind, secret in placeholder(for: secret, kind: kind) })
            return (cleaned, found.merging(recognised, uniquingKeysWith: +))
        }
    }

    /// The messages redacted, and where: one entry per message and kind (`message` is the index).
    public func redact(_ messages: [ChatMessage]) -> (messages: [ChatMessage], findings: [Redaction]) {
        Redactor.redact(messages, with: redact)
    }

    /// `text` (the model's reply) with each placeholder this run gave out mapped back to its secret.
    public func restore(_ text: String) -> String {
        lock.withLock {
            guard text.contains("[REDACTED") else { return text }
            var result = text
            for (placeholder, original) in originals.sorted(by: { $0.key.count > $1.key.count }) {
                result = result.replacingOccurrences(of: placeholder, with: original)
            }
            return result
        }
    }

    /// `value` with the outside secrets replaced (for the record: no environment value is ever written).
    public func scrub(_ value: JSONValue) -> JSONValue {
        guard !outside.isEmpty else { return value }
        switch value {
        case .string(let text):
            return .string(outside.reduce(text) { text, secret in
                text.contains(secret.value) ? text.replacingOccurrences(of: secret.value, with: "[REDACTED \(secret.name)]") : text
            })
        case .array(let items): return .array(items.map(scrub))
        case .object(let members): return .object(members.mapValues(scrub))
        default: return value
        }
    }

    /// The one placeholder of `secret` in this run (called with the lock held).
    private func placeholder(for secret: String, kind: String) -> String {
        if let known = placeholders[secret] { return known }
        let base = Redactor.placeholder(kind: kind)
        var candidate = base
        var number = 2
        while originals[candidate] != nil {
            candidate = String(base.dropLast()) + " #\(number)]"
            number += 1
        }
        originals[candidate] = secret
        placeholders[secret] = candidate
        return candidate
    }
}
