import Foundation

/// Where an age encryptor writes its file, or a decryptor its plaintext.
public protocol AgeOutput: AnyObject {
  /// Writes all of `bytes`, or throws.
  func write(_ bytes: UnsafeRawBufferPointer) throws(AgeError)
}

/// Where an age decryptor reads its file from.
public protocol AgeInput: AnyObject {
  /// Reads up to `buffer.count` bytes and returns how many; zero only at the end of the input.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(AgeError) -> Int
}

extension AgeOutput {
  /// Writes all of `bytes`, or throws.
  func write(_ bytes: [UInt8]) throws(AgeError) {
    var failure: AgeError?
    bytes.withUnsafeBytes { buffer in
      do throws(AgeError) { try write(buffer) } catch { failure = error }
    }
    if let failure { throw failure }
  }
}

/// Collects written bytes in memory (for tests, and for files small enough to check in memory).
public final class AgeMemoryOutput: AgeOutput {
  /// Everything written so far.
  public private(set) var bytes: [UInt8] = []
  /// Writing more than this many bytes throws, so that a hostile file cannot exhaust memory.
  public let maximumByteCount: Int

  public init(maximumByteCount: Int = .max) { self.maximumByteCount = maximumByteCount }

  public func write(_ bytes: UnsafeRawBufferPointer) throws(AgeError) {
    guard bytes.count <= maximumByteCount - self.bytes.count else {
      throw AgeError(
        .limitExceeded, "The decrypted content is larger than the \(maximumByteCount) bytes allowed in memory.")
    }
    self.bytes.append(contentsOf: bytes)
  }

  /// Overwrites the collected bytes with zeroes and empties the buffer.
  public func wipe() {
    AgeSodium.wipe(&bytes)
    bytes = []
  }
}

/// Writes to an open file descriptor (which the caller owns, syncs and closes).
public final class AgeFileDescriptorOutput: AgeOutput {
  public let fileDescriptor: Int32

  public init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

  public func write(_ bytes: UnsafeRawBufferPointer) throws(AgeError) {
    var offset = 0
    while offset < bytes.count {
      guard let base = bytes.baseAddress else { return }
      let written = Foundation.write(fileDescriptor, base + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw AgeError.system("write the output file", errno: errno)
      }
      offset += written
    }
  }
}

/// Reads from bytes in memory.
public final class AgeMemoryInput: AgeInput {
  private let bytes: [UInt8]
  private var offset = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AgeError) -> Int {
    let count = min(buffer.count, bytes.count - offset)
    guard count > 0, let base = buffer.baseAddress else { return 0 }
    bytes.withUnsafeBytes { source in
      if let start = source.baseAddress { base.copyMemory(from: start + offset, byteCount: count) }
    }
    offset += count
    return count
  }
}

/// Reads from an open file descriptor (which the caller owns and closes).
public final class AgeFileDescriptorInput: AgeInput {
  public let fileDescriptor: Int32

  public init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AgeError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let count = Foundation.read(fileDescriptor, base, buffer.count)
      if count >= 0 { return count }
      if errno == EINTR { continue }
      throw AgeError.system("read the age file", errno: errno)
    }
  }
}

/// A buffered reader over an `AgeInput`: lines for the header, then runs of bytes for the payload.
final class AgeByteReader {
  private let input: any AgeInput
  private var buffer: [UInt8] = []
  private var start = 0
  private var atEnd = false
  private static let readSize = 64 * 1024
  /// Where each read lands before it is appended (so that no 64 KiB of zeroes is made and cut back per read).
  private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)

  init(_ input: any AgeInput) { self.input = input }

  deinit {
    scratch.initializeMemory(as: UInt8.self, repeating: 0)  // it held ciphertext only, but leave nothing behind
    scratch.deallocate()
  }

  private var available: Int { buffer.count - start }

  /// Reads more from the input; false at the end.
  private func fill() throws(AgeError) -> Bool {
    guard !atEnd else { return false }
    if start > 0 {
      buffer.removeFirst(start)
      start = 0
    }
    let count = try input.read(into: scratch)
    buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
    if count == 0 { atEnd = true }
    return count > 0
  }

  /// The next line without its LF; nil at the end of input. Throws `tooLong` once `limit` bytes pass without a LF.
  func readLine(limit: Int, tooLong: AgeError, unterminated: AgeError) throws(AgeError) -> [UInt8]? {
    var searched = 0
    while true {
      if let index = buffer[(start + searched)...].firstIndex(of: 0x0A) {
        guard index - start < limit else { throw tooLong }
        let line = Array(buffer[start..<index])
        start = index + 1
        return line
      }
      searched = available
      guard searched < limit else { throw tooLong }
      if try !fill() {
        guard available == 0 else { throw unterminated }
        return nil
      }
    }
  }

  /// Up to `count` bytes; fewer only at the end of the input.
  func read(upTo count: Int) throws(AgeError) -> [UInt8] {
    while available < count {
      if try !fill() { break }
    }
    let taken = min(count, available)
    let bytes = Array(buffer[start..<(start + taken)])
    start += taken
    return bytes
  }

  /// Up to `count` bytes (fewer only at the end), and whether anything follows them.
  func read(upTo count: Int, lookingAhead: Bool) throws(AgeError) -> (bytes: [UInt8], more: Bool) {
    while available < count + 1 {
      if try !fill() { break }
    }
    let taken = min(count, available)
    let bytes = Array(buffer[start..<(start + taken)])
    start += taken
    return (bytes, available > 0)
  }

  /// Everything that is left, refusing more than `limit` bytes.
  func readAll(limit: Int, tooLarge: AgeError) throws(AgeError) -> [UInt8] {
    while true {
      guard available <= limit else { throw tooLarge }
      if try !fill() { break }
    }
    let bytes = Array(buffer[start...])
    start = buffer.count
    return bytes
  }

  /// Looks at up to `count` bytes without consuming them.
  func peek(upTo count: Int) throws(AgeError) -> [UInt8] {
    while available < count {
      if try !fill() { break }
    }
    return Array(buffer[start..<(start + min(count, available))])
  }
}
