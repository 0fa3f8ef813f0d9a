import SelfDebugProcessRecord

/// Keeps the first and the last bytes of a stream and counts the rest, so a program that prints
/// hundreds of megabytes costs a few kilobytes of memory.
struct HeadTailBuffer {
    let headLimit: Int
    let tailLimit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var tailStart = 0  // index of the oldest byte in the ring once it is full
    private(set) var total = 0

    init(headLimit: Int, tailLimit: Int) {
        self.headLimit = headLimit
        self.tailLimit = tailLimit
        head.reserveCapacity(min(headLimit, 1 << 16))
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        var rest = bytes[...]
        if head.count < headLimit {
            let take = min(headLimit - head.count, rest.count)
            head.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        guard tailLimit > 0, !rest.isEmpty else { return }
        if rest.count >= tailLimit {
            tail = Array(rest.suffix(tailLimit))
            tailStart = 0
            return
        }
        for byte in rest {
            if tail.count < tailLimit {
                tail.append(byte)
            } else {
                tail[tailStart] = byte
                tailStart = (tailStart + 1) % tailLimit
            }
        }
    }

    /// The bytes kept from the end, in order.
    var tailBytes: [UInt8] { Array(tail[tailStart...] + tail[..<tailStart]) }

    /// The capture as text, with the cut said in the middle.
    func captured() -> CapturedText {
        let cut = total - head.count - tail.count
        if cut <= 0 {
            return CapturedText(text: String(decoding: head + tailBytes, as: UTF8.self), totalBytes: total)
        }
        let text = String(decoding: head, as: UTF8.self)
            + "\n[... output cut: \(cut) bytes of \(total) not kept; first \(head.count) and last \(tail.count) bytes kept ...]\n"
            + String(decoding: tailBytes, as: UTF8.self)
        return CapturedText(text: text, totalBytes: total, truncated: true, keptHeadBytes: head.count, keptTailBytes: tail.count)
    }
}
