import Foundation
import Synchronization
import Testing

@testable import EvidenceImport

/// Reading on a thread of its own must not change what the handler sees, in what order, or which error ends it.
@Suite struct ReadAheadTests {
  static func messages(_ count: Int) -> [ImportedMessage] {
    (0..<count).map { number in
      ImportedMessage(
        channel: .sms, direction: .received, sender: Party(address: "+46701234567"),
        time: SourceTime(instant: Date(timeIntervalSince1970: 1_795_901_400 + Double(number))), text: "\(number)",
        attachments: number % 7 == 0
          ? [ImportedAttachment(name: "p.jpg", content: .bytes(Array(repeating: 1, count: 1 << 20)))] : [],
        position: "<sms> \(number + 1)")
    }
  }

  static func noProgress(_ done: Int64, _ total: Int64) {}

  /// Yields its messages and counts how many it was able to hand over.
  final class CountingReader: MessageReader, @unchecked Sendable {
    let messages: [ImportedMessage]
    let failAfter: Int?
    let handedOver = Atomic<Int>(0)

    init(messages: [ImportedMessage], failAfter: Int? = nil) {
      self.messages = messages
      self.failAfter = failAfter
    }

    func read(progress: ImportProgress, _ handler: (ImportedMessage) throws -> Void) throws {
      for (offset, message) in messages.enumerated() {
        if let failAfter, offset == failAfter {
          throw ImportError(file: "backup.xml", position: "<sms> \(offset + 1)", message: "The date is not a number.")
        }
        try handler(message)
        handedOver.add(1, ordering: .relaxed)
      }
    }
  }

  @Test(arguments: [0, 1, 255, 256, 257, 513, 2_000])
  func everyMessageArrivesInFileOrder(count: Int) throws {
    let messages = Self.messages(count)
    var seen: [ImportedMessage] = []
    try ReadAhead.read(CountingReader(messages: messages), progress: Self.noProgress) { seen.append($0) }
    #expect(seen == messages)
  }

  @Test(arguments: [0, 1, 300, 1_000])
  func theReadersErrorComesAfterTheMessagesBeforeIt(failAfter: Int) {
    let messages = Self.messages(1_200)
    var seen = 0
    #expect(throws: ImportError.self) {
      try ReadAhead.read(CountingReader(messages: messages, failAfter: failAfter), progress: Self.noProgress) { _ in
        seen += 1
      }
    }
    #expect(seen == failAfter)
  }

  @Test func theHandlersErrorStopsTheReader() {
    struct DiskFull: Error {}
    let reader = CountingReader(messages: Self.messages(5_000))
    var seen = 0
    #expect(throws: DiskFull.self) {
      try ReadAhead.read(reader, progress: Self.noProgress) { _ in
        seen += 1
        if seen == 10 { throw DiskFull() }
      }
    }
    #expect(seen == 10)
    // It read ahead by at most what the queue holds, and it is finished when `read` returns.
    let handedOver = reader.handedOver.load(ordering: .relaxed)
    #expect(handedOver <= ReadAhead.blockCount * (ReadAhead.queueLength + 2))
  }
}
