import Foundation

/// A zip archive written byte by byte, so that a test can make it say anything: sizes, offsets and counts that
/// no zip library would write. Independent of the reader under test (and of ZIPFoundation).
struct HandMadeZip {
  struct Member {
    var path: String
    /// The bytes written as the member's data: compressed for method 8.
    var data: [UInt8]
    var method: UInt16
    var crc32: UInt32
    var compressedSize: UInt64
    var uncompressedSize: UInt64
    /// Sizes and offset saturated (0xFFFFFFFF) in the directory entry and given in a ZIP64 extra field.
    var zip64 = false
    /// The header offset the directory entry records instead of the real one.
    var recordedOffset: UInt64?
    /// Write no local header and data: the directory entry points at member `sharesWith`'s.
    var sharesWith: Int?
    /// The Unix file type and mode the directory entry records (0o120777 for a symbolic link).
    var unixMode: UInt32 = 0o100600

    /// `content` stored as it is.
    static func stored(_ path: String, _ content: [UInt8]) -> Member {
      Member(
        path: path, data: content, method: 0, crc32: CRC32.of(content), compressedSize: UInt64(content.count),
        uncompressedSize: UInt64(content.count))
    }

    /// `content` deflated into stored deflate blocks: a valid deflate stream with no compression.
    static func deflated(_ path: String, _ content: [UInt8]) -> Member {
      let data = Deflate.storedBlocks(content)
      return Member(
        path: path, data: data, method: 8, crc32: CRC32.of(content), compressedSize: UInt64(data.count),
        uncompressedSize: UInt64(content.count))
    }

    /// `count` zero bytes, deflated to about 1/158 of that.
    static func deflatedZeros(_ path: String, count: Int) -> Member {
      let data = Deflate.zeros(count)
      return Member(
        path: path, data: data, method: 8, crc32: CRC32.of([UInt8](repeating: 0, count: count)),
        compressedSize: UInt64(data.count), uncompressedSize: UInt64(count))
    }
  }

  var members: [Member]
  /// Write a ZIP64 end record and locator, with the end record's fields saturated.
  var zip64End = false
  /// What the end record says, instead of the truth.
  var recordedDirectoryOffset: UInt64?
  var recordedDirectoryByteCount: UInt64?
  var recordedMemberCount: UInt64?

  init(_ members: [Member]) { self.members = members }

  /// The package folder's files, stored under `top/`.
  static func of(folder: URL, top: String = "dossier") throws -> HandMadeZip {
    var members: [Member] = []
    let walker = FileManager.default.enumerator(atPath: folder.path)
    while let path = walker?.nextObject() as? String {
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
      if isFolder.boolValue { continue }
      members.append(.stored("\(top)/\(path)", [UInt8](try Data(contentsOf: folder.appendingPathComponent(path)))))
    }
    return HandMadeZip(members.sorted { $0.path < $1.path })
  }

  /// The member named `path`.
  func member(_ path: String) -> Member? { members.first { $0.path == path } }

  /// Replaces the member named `path` (which must exist) with `member`.
  mutating func replace(_ path: String, with member: Member) {
    guard let position = members.firstIndex(where: { $0.path == path }) else {
      preconditionFailure("no member \(path)")
    }
    members[position] = member
  }

  func write(to url: URL) throws { try Data(bytes()).write(to: url) }

  func bytes() -> [UInt8] {
    var out: [UInt8] = []
    var offsets: [UInt64] = []
    for member in members {
      if let shared = member.sharesWith {
        offsets.append(offsets[shared])
        continue
      }
      offsets.append(UInt64(out.count))
      let name = Array(member.path.utf8)
      out += le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(member.method) + le16(0) + le16(0x21)
      out += le32(member.crc32)
      out += le32(UInt32(truncatingIfNeeded: min(member.compressedSize, 0xFFFF_FFFF)))
      out += le32(UInt32(truncatingIfNeeded: min(member.uncompressedSize, 0xFFFF_FFFF)))
      out += le16(UInt16(name.count)) + le16(0) + name + member.data
    }
    let directoryOffset = UInt64(out.count)
    for (member, offset) in zip(members, offsets) {
      let name = Array(member.path.utf8)
      let recorded = member.recordedOffset ?? offset
      var extra: [UInt8] = []
      if member.zip64 {
        let body = le64(member.uncompressedSize) + le64(member.compressedSize) + le64(recorded)
        extra = le16(0x0001) + le16(UInt16(body.count)) + body
      }
      func field(_ value: UInt64) -> [UInt8] {
        member.zip64 ? le32(0xFFFF_FFFF) : le32(UInt32(truncatingIfNeeded: value))
      }
      out += le32(0x0201_4B50) + le16(0x031E) + le16(45) + le16(0x0800) + le16(member.method) + le16(0) + le16(0x21)
      out += le32(member.crc32) + field(member.compressedSize) + field(member.uncompressedSize)
      out += le16(UInt16(name.count)) + le16(UInt16(extra.count)) + le16(0) + le16(0) + le16(0)
      out += le32(member.unixMode << 16) + field(recorded) + name + extra
    }
    let directoryByteCount = UInt64(out.count) - directoryOffset
    let count = recordedMemberCount ?? UInt64(members.count)
    let start = recordedDirectoryOffset ?? directoryOffset
    let size = recordedDirectoryByteCount ?? directoryByteCount
    if zip64End {
      let zip64Offset = UInt64(out.count)
      out += le32(0x0606_4B50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
      out += le64(count) + le64(count) + le64(size) + le64(start)
      out += le32(0x0706_4B50) + le32(0) + le64(zip64Offset) + le32(1)
      out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(0xFFFF) + le16(0xFFFF)
      out += le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF) + le16(0)
    } else {
      let count16 = UInt16(truncatingIfNeeded: count)
      out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(count16) + le16(count16)
      out += le32(UInt32(truncatingIfNeeded: size)) + le32(UInt32(truncatingIfNeeded: start)) + le16(0)
    }
    return out
  }

  private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
  private func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}

/// CRC-32 as zip uses it (IEEE, reflected, 0xEDB88320).
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { byte in
    (0..<8).reduce(UInt32(byte)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }

  static func of(_ bytes: [UInt8]) -> UInt32 {
    ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
  }
}

/// Deflate streams (RFC 1951) written by hand.
enum Deflate {
  /// `content` in stored blocks of at most 65 535 bytes.
  static func storedBlocks(_ content: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var start = 0
    repeat {
      let count = min(65_535, content.count - start)
      let final: UInt8 = start + count == content.count ? 1 : 0
      let length = UInt16(count)
      out += [final, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
      out += content[start..<start + count]
      start += count
    } while start < content.count
    return out
  }

  /// `count` (at least 1) zero bytes in one block of fixed Huffman codes: a literal 0, then copies of 258 bytes
  /// at distance 1 (13 bits each), then literals, then the end of the block.
  static func zeros(_ count: Int, endingTheStream: Bool = true) -> [UInt8] {
    var bits = BitWriter()
    bits.write(1, count: 1)  // BFINAL
    bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
    bits.code(0x30, length: 8)  // literal 0
    var remaining = count - 1
    while remaining >= 258 {
      bits.code(0xC5, length: 8)  // length 258 (symbol 285)
      bits.code(0, length: 5)  // distance 1
      remaining -= 258
    }
    for _ in 0..<remaining { bits.code(0x30, length: 8) }
    if endingTheStream { bits.code(0, length: 7) }  // end of block (symbol 256)
    return bits.bytes()
  }

  private struct BitWriter {
    var out: [UInt8] = []
    var current: UInt8 = 0
    var used = 0

    /// Header fields: least significant bit first.
    mutating func write(_ value: UInt32, count: Int) {
      for index in 0..<count { bit(UInt8((value >> index) & 1)) }
    }

    /// Huffman codes: most significant bit first.
    mutating func code(_ value: UInt32, length: Int) {
      for index in (0..<length).reversed() { bit(UInt8((value >> index) & 1)) }
    }

    mutating func bit(_ value: UInt8) {
      current |= value << used
      used += 1
      if used == 8 {
        out.append(current)
        current = 0
        used = 0
      }
    }

    func bytes() -> [UInt8] { used > 0 ? out + [current] : out }
  }
}
