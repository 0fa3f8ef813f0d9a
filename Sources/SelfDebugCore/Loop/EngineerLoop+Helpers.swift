import Foundation

extension EngineerLoop {
    // MARK: - Helpers

    /// Drops the oldest exchanges (never the system message, the task, or the latest two
    /// messages) until the conversation fits `budget` characters.
    static func shortened(_ messages: [ChatMessage], budget: Int) -> [ChatMessage] {
        var kept = messages
        func size() -> Int { kept.reduce(0) { $0 + $1.content.count } }
        while size() > budget, kept.count > 4 {
            kept.removeSubrange(2..<4)
        }
        return kept
    }

    /// Whether a provider's error says the request was longer than the model's context.
    static func saysContextTooLong(_ message: String) -> Bool {
        let lower = message.lowercased()
        return ["context_length", "context length", "maximum context", "too many tokens", "prompt is too long", "exceeds the context", "n_ctx"]
            .contains { lower.contains($0) }
    }

    /// The files a model asked to read, each as its path and a fenced block (or why not).
    static func shownFiles(_ paths: [String], files: [String: String], language: Language) -> String {
        var text = ""
        for path in paths.prefix(8) {
            let key = EditApplier.normalize(path)
            if let content = files[key] {
                let shown = content.count > 20_000 ? String(content.prefix(20_000)) + "\n[... cut: the file has \(content.count) characters]\n" : content
                let ext = (key as NSString).pathExtension
                text += Prompts.fileBlock(key, shown, fence: ext == "swift" ? "swift" : ext == "py" ? "python" : "") + "\n"
            } else {
                let near = files.keys.filter { ($0 as NSString).lastPathComponent == (key as NSString).lastPathComponent }.sorted()
                text += "\(key): no such file in the project" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)") + "\n\n"
            }
        }
        return text + "Now make the failing tests pass. Answer with edits."
    }

    static func agentTestPath(for task: TaskSpec) -> String {
        let stem = ((task.solutionFiles.first ?? "solution") as NSString).deletingPathExtension
        switch task.language {
        case .python: return "test_\((stem as NSString).lastPathComponent).py"
        case .swift: return "\(task.resolvedModule)Tests.swift"
        }
    }

    static func agentTests(in edits: [FileEdit], path: String) -> String? {
        for case .wholeFile(let editPath, let content) in edits where EditApplier.normalize(editPath) == path {
            return content
        }
        return nil
    }
}
