import Foundation

/// Runs a reader on a thread of its own and hands its messages to the caller's thread in blocks, so that parsing
/// the export and storing the messages (encoding, encrypting, writing) use two cores.
///
/// At most two blocks wait between the threads: a few hundred messages, or a few MiB of attachment bytes, so
/// memory stays bounded however large the export is. Messages reach `handler` in file order, and an error ends
/// the import as it did when both ran on one thread: the reader's error after the messages read before it, the
/// handler's error at once (the reader is then stopped at its next message).
enum ReadAhead {
  /// Messages per block.
  static let blockCount = 256
  /// Attachment bytes after which a block is handed over even if it has fewer messages.
  static let blockAttachmentByteCount = 4 << 20
  /// Blocks that may wait to be handled.
  static let queueLength = 2

  static func read(
    _ reader: some MessageReader, progress: @escaping ImportProgress, _ handler: (ImportedMessage) throws -> Void
  ) throws {
    let queue = Handoff()
    let work = UncheckedSendable(value: (reader, progress))
    let thread = Thread {
      let (reader, progress) = work.value
      var block: [ImportedMessage] = []
      var attachmentBytes = 0
      var failure: (any Error)?
      do {
        try reader.read(progress: progress) { message in
          block.append(message)
          attachmentBytes += message.attachmentByteCount
          if block.count >= blockCount || attachmentBytes >= blockAttachmentByteCount {
            try queue.put(block)
            block = []
            attachmentBytes = 0
          }
        }
      } catch {
        failure = error
      }
      // The messages read before the end (or before the reader's error) are handled first.
      if !block.isEmpty && !(failure is Handoff.Stopped) {
        do { try queue.put(block) } catch { failure = error }
      }
      queue.finish(throwing: failure)
    }
    thread.stackSize = 8 << 20
    thread.start()
    defer { queue.stopAndWait() }
    while let block = try queue.take() {
      for message in block { try handler(message) }
    }
  }
}

extension ImportedMessage {
  /// The bytes of the attachments it carries in memory.
  fileprivate var attachmentByteCount: Int {
    attachments.reduce(0) { total, attachment in
      if case .bytes(let bytes) = attachment.content { return total + bytes.count }
      return total
    }
  }
}

/// A value that is handed to one other thread and then used only there.
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
}

/// The blocks between the reading thread and the storing one, guarded by one lock.
private final class Handoff: @unchecked Sendable {
  /// Thrown to the reading thread when the storing one has stopped (it failed, or it is done).
  struct Stopped: Error {}

  private let condition = NSCondition()
  private var blocks: [[ImportedMessage]] = []
  private var readerDone = false
  private var readerError: (any Error)?
  private var stopped = false

  /// Called by the reader: waits while the queue is full; throws `Stopped` if nobody will take the block.
  func put(_ block: [ImportedMessage]) throws {
    condition.lock()
    defer { condition.unlock() }
    while blocks.count >= ReadAhead.queueLength && !stopped { condition.wait() }
    if stopped { throw Stopped() }
    blocks.append(block)
    condition.broadcast()
  }

  /// Called by the reader when it has returned or thrown; it touches nothing after this.
  func finish(throwing error: (any Error)?) {
    condition.lock()
    defer { condition.unlock() }
    readerDone = true
    readerError = error
    condition.broadcast()
  }

  /// The next block, nil at the end; rethrows the reader's error once the blocks before it are taken.
  func take() throws -> [ImportedMessage]? {
    condition.lock()
    defer { condition.unlock() }
    while blocks.isEmpty && !readerDone { condition.wait() }
    if !blocks.isEmpty {
      condition.broadcast()
      return blocks.removeFirst()
    }
    if let readerError { throw readerError }
    return nil
  }

  /// Tells the reader to stop and waits until it has finished, so that nothing of it outlives the import.
  func stopAndWait() {
    condition.lock()
    defer { condition.unlock() }
    stopped = true
    blocks.removeAll()
    condition.broadcast()
    while !readerDone { condition.wait() }
  }
}
