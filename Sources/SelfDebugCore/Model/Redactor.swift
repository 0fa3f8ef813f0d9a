import Foundation

/// Replaces secrets in text that is about to leave the machine (API keys and tokens of the common
/// providers, cloud credentials, private key blocks, values of `*_KEY`/`*_TOKEN`/`*_SECRET`/
/// `PASSWORD` assignments) with placeholders, and counts what it replaced by kind, never what.
public struct Redactor: Sendable {
    struct Rule: @unchecked Sendable {
        let kind: String
        let pattern: NSRegularExpression
        /// The capture group that holds the secret (0: the whole match).
        let group: Int
    }

    static let rules: [Rule] = {
        func rule(_ kind: String, _ pattern: String, group: Int = 0, _ options: NSRegularExpression.Options = []) -> Rule {
            Rule(kind: kind, pattern: try! NSRegularExpression(pattern: pattern, options: options), group: group)
        }
        return [
            rule("private key", #"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----"#),
            rule("anthropic key", #"sk-ant-[A-Za-z0-9_\-]{10,}"#),
            rule("openai key", #"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}"#),
            rule("github token", #"(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})"#),
            rule("aws access key", #"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#),
            rule("google api key", #"AIza[0-9A-Za-z_\-]{35}"#),
            rule("slack token", #"xox[abposr]-[A-Za-z0-9\-]{10,}"#),
            rule("hugging face token", #"\bhf_[A-Za-z0-9]{30,}"#),
            rule("stripe key", #"\b(?:sk|rk)_live_[A-Za-z0-9]{20,}"#),
            // NAME_KEY=value, export API_TOKEN="value": environment-style names, any value.
            rule("secret assignment", #"\b([A-Z0-9_]*(?:_KEY|_TOKEN|_SECRET|SECRET_ACCESS_KEY|PASSWORD|PASSWD))(\s*[=:]\s*)(["']?)([^\s"']{6,})\3"#, group: 4),
            // api_key = "literal", password: 'literal': quoted literals only, so code stays code.
            rule("secret assignment", #"\b(\w*(?:key|token|secret|password|passwd)\w*)(\s*[=:]\s*)(["'])([^"'\s]{8,})\3"#, group: 4, [.caseInsensitive]),
        ]
    }()

    /// The placeholder of a secret of `kind` when no ``SecretScope`` numbers them.
    static func placeholder(kind: String) -> String {
        kind == "secret assignment" ? "[REDACTED]" : "[REDACTED \(kind)]"
    }

    /// Creates a redactor.
    public init() {}

    /// `text` with every secret replaced, and how many of each kind were replaced.
    public func redact(_ text: String) -> (text: String, found: [String: Int]) {
        redact(text, keep: { _ in false }, placeholder: { kind, _ in Self.placeholder(kind: kind) })
    }

    /// `text` with every secret the rules find replaced by `placeholder(kind, secret)`, except
    /// those `keep` says are not secrets; and how many of each kind were replaced.
    func redact(_ text: String, keep: (String) -> Bool, placeholder: (String, String) -> String) -> (text: String, found: [String: Int]) {
        var result = text
        var found: [String: Int] = [:]
        for rule in Self.rules {
            let range = NSRange(result.startIndex..., in: result)
            let matches = rule.pattern.matches(in: result, range: range)
            guard !matches.isEmpty else { continue }
            for match in matches.reversed() {
                // Placeholders of earlier rules are not secrets.
                guard let whole = Range(match.range, in: result), !result[whole].contains("[REDACTED"),
                      let span = Range(match.range(at: rule.group), in: result) else { continue }
                let secret = String(result[span])
                guard !keep(secret) else { continue }
                found[rule.kind, default: 0] += 1
                result.replaceSubrange(span, with: placeholder(rule.kind, secret))
            }
        }
        return (result, found)
    }

    /// The messages with secrets replaced, and where: one entry per message and kind (`message`
    /// is the index), never the secret.
    public func redact(_ messages: [ChatMessage]) -> (messages: [ChatMessage], findings: [Redaction]) {
        Self.redact(messages, with: redact)
    }

    /// `messages` with each one's content passed through `redact`, and the findings by message and kind.
    static func redact(
        _ messages: [ChatMessage], with redact: (String) -> (text: String, found: [String: Int])
    ) -> (messages: [ChatMessage], findings: [Redaction]) {
        var findings: [Redaction] = []
        let cleaned = messages.enumerated().map { index, message -> ChatMessage in
            let (text, found) = redact(message.content)
            for (kind, count) in found.sorted(by: { $0.key < $1.key }) {
                findings.append(Redaction(message: index, role: message.role, kind: kind, count: count))
            }
            return ChatMessage(role: message.role, content: text)
        }
        return (cleaned, findings)
    }
}

/// Secrets replaced in one message, of one kind: where and how many, never the secret.
public struct Redaction: Codable, Sendable, Equatable {
    /// The message's index in the conversation.
    public var message: Int
    /// Who speaks in it.
    public var role: ChatMessage.Role
    /// The kind of secret (`openai key`, `private key`, `secret assignment`, ...).
    public var kind: String
    /// How many were replaced.
    public var count: Int

    /// Creates a finding.
    public init(message: Int, role: ChatMessage.Role, kind: String, count: Int) {
        self.message = message
        self.role = role
        self.kind = kind
        self.count = count
    }
}
