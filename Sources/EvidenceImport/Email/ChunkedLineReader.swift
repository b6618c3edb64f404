import Foundation

/// Reads a file line by line in fixed-size chunks, so a large mailbox is never held in memory whole.
final class ChunkedLineReader {
  private let handle: FileHandle
  private let chunkSize: Int
  private var buffer: [UInt8] = []
  private var start = 0
  private var scanned = 0
  private var atEnd = false
  /// The byte offset in the file where the next line starts.
  private(set) var offset: Int64 = 0

  /// The longest line it hands out; a longer one throws `LineTooLong`.
  let lineLimit: Int

  /// A line longer than `lineLimit`, at the byte offset where it starts.
  struct LineTooLong: Error {
    var offset: Int64
  }

  /// Opens a reader on `handle`, which it reads from its current position.
  init(handle: FileHandle, chunkSize: Int = 64 * 1024, lineLimit: Int = ImportLimits.standard.emailLineByteCount) {
    self.handle = handle
    self.chunkSize = max(chunkSize, 1)
    self.lineLimit = lineLimit
  }

  /// The next line with its line ending ("\n" or "\r\n", none for a last line without one), or nil at the end.
  func nextLine() throws -> [UInt8]? {
    while true {
      if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
        if newline - start >= lineLimit { throw LineTooLong(offset: offset) }
        let line = Array(buffer[start...newline])
        start = newline + 1
        scanned = start
        offset += Int64(line.count)
        return line
      }
      scanned = buffer.count
      if buffer.count - start > lineLimit { throw LineTooLong(offset: offset) }
      if atEnd {
        guard start < buffer.count else { return nil }
        let line = Array(buffer[start...])
        start = buffer.count
        scanned = start
        offset += Int64(line.count)
        return line
      }
      try fill()
    }
  }

  /// Drops the lines already returned and appends the next chunk of the file.
  private func fill() throws {
    if start > 0 {
      buffer.removeFirst(start)
      scanned -= start
      start = 0
    }
    guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else {
      atEnd = true
      return
    }
    buffer.append(contentsOf: data)
  }
}
