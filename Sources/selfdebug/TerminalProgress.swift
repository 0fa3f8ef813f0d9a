import Foundation
import SelfDebugCore

/// Shows progress on standard error: one live status line on a terminal, plain lines otherwise.
final class TerminalProgress: ProgressSink, @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private var lastPlain = ""
    private var lineOpen = false

    init(live: Bool = isatty(2) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb") {
        self.live = live
    }

    func update(_ progress: ProgressUpdate) {
        lock.withLock {
            var text = "[\(progress.iteration)/\(progress.maxIterations)] \(progress.phase.rawValue)"
            if let passed = progress.testsPassed, let total = progress.testsTotal, total > 0 { text += " · tests \(passed)/\(total)" }
            if progress.tokens > 0 { text += " · \(Self.tokens(progress.tokens)) tokens" }
            if let message = progress.message { text += " · \(message)" }
            if live {
                let width = 200
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + String(text.prefix(width))).utf8))
                lineOpen = true
                if progress.phase == .done || progress.phase == .result || progress.phase == .retrying {
                    FileHandle.standardError.write(Data("\n".utf8))
                    lineOpen = false
                }
            } else if text != lastPlain {
                FileHandle.standardError.write(Data((text + "\n").utf8))
                lastPlain = text
            }
        }
    }

    /// Prints a line of its own (ending any open status line first).
    func say(_ text: String) {
        lock.withLock {
            if lineOpen { FileHandle.standardError.write(Data("\n".utf8)); lineOpen = false }
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    static func tokens(_ count: Int) -> String {
        count >= 1000 ? String(format: "%.1fk", Double(count) / 1000) : "\(count)"
    }
}

/// With `--verbose`: echoes the model's replies and the feedback to standard error.
struct VerboseEcho: Recorder {
    let progress: TerminalProgress

    func record(_ event: TrajectoryEvent) {
        switch event.body {
        case .llmResponse(let response):
            progress.say("--- model reply (iteration \(event.iteration)) ---\n\(response.text)")
        case .feedback(let feedback):
            progress.say("--- feedback (iteration \(event.iteration)) ---\n\(feedback.text)")
        default:
            break
        }
    }
}
