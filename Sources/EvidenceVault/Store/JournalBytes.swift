import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bytes of a journal as the reader sees them: read piece by piece, so that a journal of any size (past
/// 2 GiB too) opens in bounded memory, and an I/O error is an error, not a crash.
protocol JournalBytes {
  /// Where the bytes end, as an offset in the journal file.
  var endOffset: Int { get }
  /// Calls `body` with the bytes in `range` (absolute journal offsets, within `..<endOffset`).
  mutating func withBytes<R>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> R
  ) throws(VaultError) -> R
}

/// Bytes already in memory, standing at `startOffset` of the journal (frames just written, read back).
struct JournalBuffer: JournalBytes {
  let bytes: [UInt8]
  let startOffset: Int
  var endOffset: Int { startOffset + bytes.count }

  func withBytes<R>(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    bytes.withUnsafeBytes { all in
      body(UnsafeRawBufferPointer(rebasing: all[(range.lowerBound - startOffset)..<(range.upperBound - startOffset)]))
    }
  }
}

/// `journal.log` on disk, read with `pread` through a window of a few MiB that slides forward as frames are read.
struct JournalFileWindow: JournalBytes {
  /// How much is read at a time: several frames of the largest size.
  static let windowByteCount = 16 << 20

  let path: String
  let endOffset: Int
  private let descriptor: Int32
  private var window: [UInt8] = []
  private var windowStart = 0

  /// Opens the journal for reading; with `limit`, the bytes after the first `limit` are not part of it (a backup's
  /// journal may hold the start of an interrupted update past the length its manifest names).
  /// - Throws: `fileSystem` when it cannot be opened.
  init(path: String, limit: Int? = nil) throws(VaultError) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("read", path, errno: errno) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      let code = errno
      _ = Glibc.close(descriptor)
      throw .fileSystem("read", path, errno: code)
    }
    self.path = path
    self.descriptor = descriptor
    self.endOffset = min(Int(info.st_size), limit ?? Int.max)
  }

  /// Closes the file; the window must not be used afterwards.
  func close() { _ = Glibc.close(descriptor) }

  mutating func withBytes<R>(
    in range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> R
  ) throws(VaultError) -> R {
    if range.lowerBound < windowStart || range.upperBound > windowStart + window.count {
      try load(from: range.lowerBound, atLeast: range.count)
    }
    let start = windowStart
    return window.withUnsafeBytes { all in
      body(UnsafeRawBufferPointer(rebasing: all[(range.lowerBound - start)..<(range.upperBound - start)]))
    }
  }

  /// Reads the window anew from `offset`: `windowByteCount` bytes, or `count` if more, or to the end of the file.
  private mutating func load(from offset: Int, atLeast count: Int) throws(VaultError) {
    let size = min(max(Self.windowByteCount, count), endOffset - offset)
    if window.count != size { window = [UInt8](repeating: 0, count: size) }
    var done = 0
    while done < size {
      let read = window.withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress.map { $0 + done }, size - done, off_t(offset + done))
      }
      if read < 0 {
        if errno == EINTR { continue }
        window = []
        throw .fileSystem("read", path, errno: errno)
      }
      if read == 0 {
        window = []
        throw VaultError(.fileSystem, "\(path) became shorter while it was being read.")
      }
      done += read
    }
    windowStart = offset
  }
}
