import Foundation

/// The machine's processes as /proc lists them, for tests that check that what they started is
/// gone. Tests look only for command lines holding a marker of their own (a random number), never
/// for programs a user may run beside the suite.
public enum ProcessTable {
    /// The pids whose command line holds `marker` (zombies have none, so they do not count).
    public static func pids(withCommandLineContaining marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let text = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return text.contains(marker) && !text.contains("/proc") ? pid : nil
        }
    }

    /// Waits until no process's command line holds `marker`; false when some still do after
    /// `seconds`. A killed process can take a moment to leave the table, more on a busy machine,
    /// so the limit is generous: it only decides how long a failing test takes to say so.
    public static func waitUntilGone(_ marker: String, within seconds: Double = 30) async -> Bool {
        await wait(within: seconds) { pids(withCommandLineContaining: marker).isEmpty }
    }

    /// Waits until a process whose command line holds `marker` exists; false if none did within
    /// `seconds`.
    public static func waitUntilRunning(_ marker: String, within seconds: Double = 60) async -> Bool {
        await wait(within: seconds) { !pids(withCommandLineContaining: marker).isEmpty }
    }

    /// The command line of `pid`, its arguments joined by spaces; nil once it is gone (or a zombie).
    public static func commandLine(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return String(decoding: data.dropLast().map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }

    /// Checks `condition` every 50 ms until it holds (true) or `seconds` have passed (false).
    public static func wait(within seconds: Double = 60, until condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return true
    }
}
