import Foundation
import ZIPFoundation

/// Writes a zip archive front to back into a sink, never seeking: members stored (not compressed, as photos and
/// videos do not shrink), each followed by a data descriptor with its CRC-32 and size, then the central directory.
///
/// This is what a sealed export streams into an age encryptor, so that no plaintext of the archive touches the
/// disk. Zip64 is not written: a member or an archive of 4 GiB or more is refused.
final class ZipStreamWriter {
  typealias Sink = (UnsafeRawBufferPointer) throws -> Void

  private struct Entry {
    var name: [UInt8]
    var crc32: UInt32
    var size: UInt32
    var offset: UInt32
  }

  private let sink: Sink
  private let time: UInt16
  private let date: UInt16
  private var offset: Int64 = 0
  private var entries: [Entry] = []
  private var current: (name: [UInt8], offset: Int64, crc32: UInt32, size: Int64)?
  private static let limit = Int64(UInt32.max)

  struct TooLarge: Error, CustomStringConvertible {
    var description: String { "a sealed export's archive cannot hold a file or a total of 4 GiB or more" }
  }

  /// Every member is dated `date` (in UTC), so the same package gives the same archive.
  init(date: Date, sink: @escaping Sink) {
    self.sink = sink
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let year = max(0, min(127, (parts.year ?? 1980) - 1980))
    self.date = UInt16(year << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
    self.time = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
  }

  private func emit(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try sink($0) }
    offset += Int64(bytes.count)
  }

  private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  private static func le32(_ value: UInt32) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
  }

  /// Flags: bit 3, sizes and CRC in a data descriptor after the data; bit 11, the name is UTF-8.
  private static let flags: UInt16 = 0x0808

  /// Starts the member `path` (its content follows with `write`, then `endFile`).
  func beginFile(_ path: String) throws {
    precondition(current == nil, "ZipStreamWriter.beginFile inside a file")
    guard offset < Self.limit else { throw TooLarge() }
    let name = Array(path.utf8)
    current = (name, offset, 0, 0)
    var header = Self.le32(0x0403_4b50) + Self.le16(20) + Self.le16(Self.flags) + Self.le16(0)
    header += Self.le16(time) + Self.le16(date) + Self.le32(0) + Self.le32(0) + Self.le32(0)
    header += Self.le16(UInt16(name.count)) + Self.le16(0) + name
    try emit(header)
  }

  /// Adds bytes to the current member.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard var file = current else { preconditionFailure("ZipStreamWriter.write outside a file") }
    guard file.size + Int64(bytes.count) < Self.limit else { throw TooLarge() }
    file.crc32 = Data(bytes).crc32(checksum: file.crc32)
    file.size += Int64(bytes.count)
    current = file
    try sink(bytes)
    offset += Int64(bytes.count)
  }

  func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

  /// Ends the current member with its data descriptor.
  func endFile() throws {
    guard let file = current else { preconditionFailure("ZipStreamWriter.endFile outside a file") }
    current = nil
    let size = UInt32(file.size)
    try emit(Self.le32(0x0807_4b50) + Self.le32(file.crc32) + Self.le32(size) + Self.le32(size))
    entries.append(Entry(name: file.name, crc32: file.crc32, size: size, offset: UInt32(file.offset)))
  }

  /// A whole small member.
  func addFile(_ path: String, _ bytes: [UInt8]) throws {
    try beginFile(path)
    try write(bytes)
    try endFile()
  }

  /// Writes the central directory and its end record.
  func finish() throws {
    precondition(current == nil, "ZipStreamWriter.finish inside a file")
    let directoryStart = offset
    guard entries.count < 0xFFFF else { throw TooLarge() }
    for entry in entries {
      var record = Self.le32(0x0201_4b50) + Self.le16(3 << 8 | 20) + Self.le16(20) + Self.le16(Self.flags)
      record += Self.le16(0) + Self.le16(time) + Self.le16(date) + Self.le32(entry.crc32)
      record += Self.le32(entry.size) + Self.le32(entry.size) + Self.le16(UInt16(entry.name.count))
      // No extra field, no comment, disk 0, no internal attributes; external: a regular file, mode 0600.
      record += Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le32(0o100600 << 16)
      record += Self.le32(entry.offset) + entry.name
      try emit(record)
    }
    let directorySize = offset - directoryStart
    guard offset < Self.limit else { throw TooLarge() }
    var end = Self.le32(0x0605_4b50) + Self.le16(0) + Self.le16(0)
    end += Self.le16(UInt16(entries.count)) + Self.le16(UInt16(entries.count))
    end += Self.le32(UInt32(directorySize)) + Self.le32(UInt32(directoryStart)) + Self.le16(0)
    try emit(end)
  }
}
