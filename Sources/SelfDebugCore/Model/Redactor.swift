import Foundation

/// Replaces secrets in text that is about to leave the machine (API keys and tokens of the common
/// providers, cloud credentials, private key blocks, values of `*_KEY`/`*_TOKEN`/`*_SECRET`/
/// `PASSWORD` assignments) with placeholders, and counts what it replaced by kind, never what.
public struct Redactor: Sendable {
    struct Rule: @unchecked Sendable {
        let kind: String
        let pattern: NSRegularExpression
        let template: String
    }

    static let rules: [Rule] = {
        func rule(_ kind: String, _ pattern: String, _ template: String, _ options: NSRegularExpression.Options = []) -> Rule {
            Rule(kind: kind, pattern: try! NSRegularExpression(pattern: pattern, options: options), template: template)
        }
        return [
            rule("private key", #"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----"#, "[REDACTED private key]"),
            rule("anthropic key", #"sk-ant-[A-Za-z0-9_\-]{10,}"#, "[REDACTED anthropic key]"),
            rule("openai key", #"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}"#, "[REDACTED openai key]"),
            rule("github token", #"(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})"#, "[REDACTED github token]"),
            rule("aws access key", #"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#, "[REDACTED aws access key]"),
            rule("google api key", #"AIza[0-9A-Za-z_\-]{35}"#, "[REDACTED google api key]"),
            rule("slack token", #"xox[abposr]-[A-Za-z0-9\-]{10,}"#, "[REDACTED slack token]"),
            rule("hugging face token", #"\bhf_[A-Za-z0-9]{30,}"#, "[REDACTED hugging face token]"),
            rule("stripe key", #"\b(?:sk|rk)_live_[A-Za-z0-9]{20,}"#, "[REDACTED stripe key]"),
            // NAME_KEY=value, export API_TOKEN="value": environment-style names, any value.
            rule("secret assignment", #"\b([A-Z0-9_]*(?:_KEY|_TOKEN|_SECRET|SECRET_ACCESS_KEY|PASSWORD|PASSWD))(\s*[=:]\s*)(["']?)([^\s"']{6,})\3"#, "$1$2$3[REDACTED]$3"),
            // api_key = "literal", password: 'literal': quoted literals only, so code stays code.
            rule("secret assignment", #"\b(\w*(?:key|token|secret|password|passwd)\w*)(\s*[=:]\s*)(["'])([^"'\s]{8,})\3"#, "$1$2$3[REDACTED]$3", [.caseInsensitive]),
        ]
    }()

    /// Creates a redactor.
    public init() {}

    /// `text` with every secret replaced, and how many of each kind were replaced.
    public func redact(_ text: String) -> (text: String, found: [String: Int]) {
        var result = text
        var found: [String: Int] = [:]
        for rule in Self.rules {
            let range = NSRange(result.startIndex..., in: result)
            let count = rule.pattern.numberOfMatches(in: result, range: range)
            guard count > 0 else { continue }
            // Placeholders of earlier rules are not secrets.
            let matches = rule.pattern.matches(in: result, range: range).filter { match in
                guard let span = Range(match.range, in: result) else { return false }
                return !result[span].contains("[REDACTED")
            }
            guard !matches.isEmpty else { continue }
            found[rule.kind, default: 0] += matches.count
            for match in matches.reversed() {
                guard let span = Range(match.range, in: result) else { continue }
                let replacement = rule.pattern.replacementString(for: match, in: result, offset: 0, template: rule.template)
                result.replaceSubrange(span, with: replacement)
            }
        }
        return (result, found)
    }

    /// The messages with secrets replaced, and where: one entry per message and kind (`message`
    /// is the index), never the secret.
    public func redact(_ messages: [ChatMessage]) -> (messages: [ChatMessage], findings: [[String: JSONValue]]) {
        var findings: [[String: JSONValue]] = []
        let cleaned = messages.enumerated().map { index, message -> ChatMessage in
            let (text, found) = redact(message.content)
            for (kind, count) in found.sorted(by: { $0.key < $1.key }) {
                findings.append(["message": .int(index), "role": .string(message.role.rawValue), "kind": .string(kind), "count": .int(count)])
            }
            return ChatMessage(role: message.role, content: text)
        }
        return (cleaned, findings)
    }
}
