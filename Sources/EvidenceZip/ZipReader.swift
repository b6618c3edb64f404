import Foundation
import ZIPFoundation

/// How much a zip archive from a stranger may make the verifier read, allocate and inflate.
///
/// Every size in a zip is the archive's word, and an archive made to harm can claim anything: a central
/// directory of terabytes, a member that inflates a thousandfold (a "zip bomb"), many members sharing one
/// compressed kernel. Each figure here is checked before the work it would cost is done.
public struct ZipLimits: Sendable {
  /// The central directory is read whole; more than this is refused before reading it.
  public var centralDirectoryByteCount: Int64 = 64 << 20
  /// Members in one archive.
  public var memberCount = 1_000_000
  /// A member may inflate to at most this many times its compressed size (deflate itself reaches about 1 032).
  public var inflationRatio: Int64 = 1_024
  /// A member may inflate to at most this many bytes, however well it compresses.
  public var memberByteCount: Int64 = 64 << 30

  public static let standard = ZipLimits()

  public init(
    centralDirectoryByteCount: Int64 = 64 << 20, memberCount: Int = 1_000_000, inflationRatio: Int64 = 1_024,
    memberByteCount: Int64 = 64 << 30
  ) {
    self.centralDirectoryByteCount = centralDirectoryByteCount
    self.memberCount = memberCount
    self.inflationRatio = inflationRatio
    self.memberByteCount = memberByteCount
  }

  /// The most `compressedByteCount` bytes of a member may inflate to.
  public func inflatedByteCountLimit(compressedByteCount: Int64) -> Int64 {
    let (relative, overflow) = compressedByteCount.multipliedReportingOverflow(by: inflationRatio)
    return overflow ? memberByteCount : min(relative, memberByteCount)
  }
}

/// A zip archive from a stranger (an evidence package to verify, a chat export to import): its central directory parsed with every offset, size and count
/// checked against the file, and each member streamed in pieces, bounded by `ZipLimits` and by what the caller
/// expects, never by what the archive says it holds.
///
/// ZIPFoundation's `Archive` is not used for reading: it converts the archive's 64-bit offsets with trapping
/// arithmetic, and on Linux its inflate loop never ends on a truncated member. Its inflater (zlib) is used, fed
/// by a provider that stops at the member's last compressed byte.
///
/// One reader reads one member at a time (it seeks a shared file handle); share it between threads behind a lock.
public final class ZipReader {
  /// A regular file in the archive.
  public struct Member: Sendable, Equatable {
    public let path: String
    /// 0 stored, 8 deflated.
    public let method: UInt16
    public let crc32: UInt32
    public let compressedByteCount: Int64
    /// As the archive records it: checked against the limits before reading, and against what comes out.
    public let uncompressedByteCount: Int64
    /// Where the member's compressed bytes start in the archive file.
    let dataOffset: Int64
  }

  /// Why the archive, or one member, cannot be read; `description` is a sentence for the verdict.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    /// Not a zip archive at all: no end-of-directory record.
    case notAZip
    /// A zip archive whose directory contradicts itself or the file; the associated text says how.
    case malformed(String)
    /// A zip feature a package never uses (several disks, encryption, another compression method).
    case unsupported(String)
    /// Two members have the same name: a tool unpacking it may show either.
    case duplicateName(String)
    /// The member is larger than the caller can take (`limit` bytes).
    case tooLarge(limit: Int64)
    /// The member would inflate beyond `ZipLimits`: a zip bomb, or damage.
    case inflatesTooMuch
    /// The member's bytes do not decompress, or not to the size and CRC-32 its directory entry records.
    case damaged

    public var description: String {
      switch self {
      case .notAZip: "it is not a zip archive"
      case .malformed(let how): "it is not a readable zip archive (\(how))"
      case .unsupported(let what): "it uses \(what), which an evidence package never does"
      case .duplicateName(let name): "it holds two files named \(name)"
      case .tooLarge(let limit):
        "it is larger than the \(ByteCountFormatter.string(fromByteCount: limit, countStyle: .file)) such a file can be"
      case .inflatesTooMuch:
        "it would decompress to far more than its compressed size allows (a zip bomb, or damage)"
      case .damaged: "it is damaged (it does not decompress to the size and checksum the archive records)"
      }
    }
  }

  public let limits: ZipLimits
  /// The regular files, in directory order; directories and symbolic links are left out.
  public let members: [Member]
  /// Entries that are neither files nor folders (symbolic links, devices, FIFOs), by name: never read, but named,
  /// so that a caller can refuse an archive that holds them.
  public let specialEntries: [String]
  private let byPath: [String: Int]
  private let handle: FileHandle

  /// Reads the central directory of the zip archive at `url`.
  /// - Throws: `Failure` (never for a member's content, which is read only by `read(_:byteLimit:into:)`).
  public init(url: URL, limits: ZipLimits = .standard) throws(Failure) {
    guard let handle = try? FileHandle(forReadingFrom: url) else { throw .notAZip }
    self.handle = handle
    self.limits = limits
    do {
      let fileByteCount = try Self.fileSize(handle)
      let directory = try Self.findCentralDirectory(handle, fileByteCount: fileByteCount, limits: limits)
      let bytes = try Self.read(handle, at: directory.offset, count: Int(directory.byteCount))
      (members, specialEntries) = try Self.parseMembers(
        bytes, expectedCount: directory.memberCount, directoryOffset: directory.offset, handle: handle)
      var byPath: [String: Int] = [:]
      for (position, member) in members.enumerated() {
        guard byPath.updateValue(position, forKey: member.path) == nil else { throw Failure.duplicateName(member.path) }
      }
      self.byPath = byPath
    } catch let failure as Failure {
      try? handle.close()
      throw failure
    } catch {
      try? handle.close()
      throw .malformed("it cannot be read")
    }
  }

  deinit { try? handle.close() }

  /// The regular file at `path`, if there is one.
  public func member(at path: String) -> Member? { byPath[path].map { members[$0] } }

  /// Streams the member's content to `body` in pieces of at most 64 KiB, checking its size and CRC-32.
  ///
  /// Nothing is allocated from the sizes the archive records. A member that records, or inflates to, more than
  /// `byteLimit` stops with `tooLarge`; beyond `ZipLimits` (relative to its compressed size, and absolutely)
  /// with `inflatesTooMuch`.
  public func read(_ member: Member, byteLimit: Int64, into body: (Data) throws -> Void) throws(Failure) {
    do {
      try stream(member, byteLimit: byteLimit, into: body)
    } catch let failure as Failure {
      throw failure
    } catch {
      throw .damaged
    }
  }

  /// `read`, but an error `body` throws comes out as it is (a full disk while storing a member is not damage
  /// to the archive); everything about the archive still throws `Failure`.
  public func stream(_ member: Member, byteLimit: Int64, into body: (Data) throws -> Void) throws {
    guard member.uncompressedByteCount <= byteLimit else { throw Failure.tooLarge(limit: byteLimit) }
    let inflationLimit =
      member.method == 0
      ? member.compressedByteCount : limits.inflatedByteCountLimit(compressedByteCount: member.compressedByteCount)
    guard member.uncompressedByteCount <= inflationLimit else { throw Failure.inflatesTooMuch }
    // The archive's own figure bounds what is accepted, so the limits above bound it too.
    let expected = member.uncompressedByteCount
    var produced: Int64 = 0
    var checksum: UInt32 = 0
    var bodyFailure: (any Error)?
    func deliver(_ data: Data) throws {
      produced += Int64(data.count)
      guard produced <= expected else { throw Failure.damaged }
      guard !data.isEmpty else { return }
      do { try body(data) } catch {
        bodyFailure = error
        throw error
      }
    }
    do {
      switch member.method {
      case 0:
        var offset: Int64 = 0
        while offset < member.compressedByteCount {
          let count = Int(min(Int64(Self.chunkByteCount), member.compressedByteCount - offset))
          let data = try Self.read(handle, at: member.dataOffset + offset, count: count)
          checksum = data.crc32(checksum: checksum)
          try deliver(data)
          offset += Int64(count)
        }
      default:
        guard member.compressedByteCount > 0 || expected > 0 else { break }
        checksum = try Data.decompress(
          size: member.compressedByteCount, bufferSize: Self.chunkByteCount, skipCRC32: false,
          provider: compressedBytes(of: member), consumer: { try deliver($0) })
      }
    } catch {
      if let bodyFailure { throw bodyFailure }
      if let failure = error as? Failure { throw failure }
      throw Failure.damaged
    }
    guard produced == expected, checksum == member.crc32 else { throw Failure.damaged }
  }

  /// The whole content of a member that must be small: at most `byteLimit` bytes.
  public func contents(of member: Member, byteLimit: Int64) throws(Failure) -> Data {
    var data = Data()
    try read(member, byteLimit: byteLimit) { data.append($0) }
    return data
  }

  // MARK: - Reading the compressed bytes

  private static let chunkByteCount = 64 << 10

  /// A provider of the member's compressed bytes that throws when asked for more than the member holds.
  ///
  /// On Linux, ZIPFoundation's inflate loop asks for `bufferSize` bytes each time, tells zlib that many are
  /// there whatever it was given, and loops until the stream ends: so every piece is exactly `bufferSize` bytes
  /// (zero after the member's last byte, which no complete deflate stream reads), and a stream that has not ended
  /// when the member's bytes are used up fails here instead of looping for ever.
  private func compressedBytes(of member: Member) -> Provider {
    var offset: Int64 = 0
    return { [handle] _, requested in
      let remaining = member.compressedByteCount - offset
      guard remaining > 0, requested > 0 else { throw Failure.damaged }
      let count = Int(min(Int64(requested), remaining))
      var data = try Self.read(handle, at: member.dataOffset + offset, count: count)
      offset += Int64(count)
      #if !canImport(Darwin)
        if data.count < requested { data.append(Data(count: requested - data.count)) }
      #endif
      return data
    }
  }

  private static func fileSize(_ handle: FileHandle) throws -> Int64 {
    let end = try handle.seekToEnd()
    guard let size = Int64(exactly: end) else { throw Failure.malformed("it is too large") }
    return size
  }

  /// Exactly `count` bytes at `offset`, or `malformed` when the file ends first.
  private static func read(_ handle: FileHandle, at offset: Int64, count: Int) throws -> Data {
    guard offset >= 0, count >= 0 else { throw Failure.malformed("an offset is out of range") }
    guard count > 0 else { return Data() }
    try handle.seek(toOffset: UInt64(offset))
    var data = Data()
    while data.count < count {
      guard let piece = try handle.read(upToCount: count - data.count), !piece.isEmpty else {
        throw Failure.malformed("it ends early")
      }
      data.append(piece)
    }
    return data
  }

  // MARK: - The central directory

  private struct CentralDirectory {
    var offset: Int64
    var byteCount: Int64
    var memberCount: Int
  }

  private static let endRecordSignature: UInt32 = 0x0605_4B50
  private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
  private static let zip64EndRecordSignature: UInt32 = 0x0606_4B50
  private static let centralHeaderSignature: UInt32 = 0x0201_4B50
  private static let localHeaderSignature: UInt32 = 0x0403_4B50

  /// Finds the end-of-central-directory record (and its ZIP64 form) and checks that the directory it points to
  /// lies inside the file, before it.
  private static func findCentralDirectory(_ handle: FileHandle, fileByteCount: Int64, limits: ZipLimits) throws
    -> CentralDirectory
  {
    let endRecordSize: Int64 = 22
    guard fileByteCount >= endRecordSize else { throw Failure.notAZip }
    // The record is the last 22 bytes plus a comment of at most 65 535 bytes.
    let tailCount = min(fileByteCount, endRecordSize + 0xFFFF)
    let tailStart = fileByteCount - tailCount
    let tail = Bytes(try read(handle, at: tailStart, count: Int(tailCount)))
    var found: Int?
    var position = Int(tailCount - endRecordSize)
    while position >= 0 {
      if tail.uint32(at: position) == endRecordSignature,
        position + Int(endRecordSize) + Int(tail.uint16(at: position + 20)) <= Int(tailCount)
      {
        found = position
        break
      }
      position -= 1
    }
    guard let record = found else { throw Failure.notAZip }
    let endOffset = tailStart + Int64(record)
    var disk = UInt32(tail.uint16(at: record + 4))
    var directoryDisk = UInt32(tail.uint16(at: record + 6))
    var onDisk = UInt64(tail.uint16(at: record + 8))
    var total = UInt64(tail.uint16(at: record + 10))
    var byteCount = UInt64(tail.uint32(at: record + 12))
    var offset = UInt64(tail.uint32(at: record + 16))
    var directoryEnd = endOffset
    if total == 0xFFFF || onDisk == 0xFFFF || byteCount == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
      // ZIP64: a locator just before the record points to the ZIP64 end record.
      let locatorOffset = endOffset - 20
      guard locatorOffset >= 0 else { throw Failure.malformed("its ZIP64 locator is missing") }
      let locator = Bytes(try read(handle, at: locatorOffset, count: 20))
      guard locator.uint32(at: 0) == zip64LocatorSignature else {
        throw Failure.malformed("its ZIP64 locator is missing")
      }
      guard let zip64Offset = Int64(exactly: locator.uint64(at: 8)), zip64Offset >= 0,
        zip64Offset <= locatorOffset - 56
      else { throw Failure.malformed("its ZIP64 end record lies outside the file") }
      let zip64 = Bytes(try read(handle, at: zip64Offset, count: 56))
      guard zip64.uint32(at: 0) == zip64EndRecordSignature else {
        throw Failure.malformed("its ZIP64 end record is missing")
      }
      disk = zip64.uint32(at: 16)
      directoryDisk = zip64.uint32(at: 20)
      onDisk = zip64.uint64(at: 24)
      total = zip64.uint64(at: 32)
      byteCount = zip64.uint64(at: 40)
      offset = zip64.uint64(at: 48)
      directoryEnd = zip64Offset
    }
    guard disk == 0, directoryDisk == 0, onDisk == total else { throw Failure.unsupported("several disks") }
    guard let start = Int64(exactly: offset), let size = Int64(exactly: byteCount), size <= directoryEnd,
      start <= directoryEnd - size
    else { throw Failure.malformed("its directory lies outside the file") }
    guard size <= limits.centralDirectoryByteCount else {
      throw Failure.malformed("its directory is larger than \(limits.centralDirectoryByteCount >> 20) MiB")
    }
    // Every directory entry takes at least 46 bytes, so the count is bounded by the size already checked.
    guard let count = Int(exactly: total), count <= limits.memberCount, Int64(count) <= size / 46 else {
      throw Failure.malformed("its directory claims more files than it can hold")
    }
    return CentralDirectory(offset: start, byteCount: size, memberCount: count)
  }

  /// The regular files the directory lists, each checked to lie before the directory without overlapping
  /// another (overlapping members are how a small archive is made to inflate without bound).
  private static func parseMembers(
    _ data: Data, expectedCount: Int, directoryOffset: Int64, handle: FileHandle
  ) throws -> (members: [Member], special: [String]) {
    let directory = Bytes(data)
    var members: [Member] = []
    var special: [String] = []
    var extents: [(start: Int64, end: Int64)] = []
    var position = 0
    for _ in 0..<expectedCount {
      guard position <= directory.count - 46, directory.uint32(at: position) == centralHeaderSignature else {
        throw Failure.malformed("its directory is damaged")
      }
      let versionMadeBy = directory.uint16(at: position + 4)
      let flags = directory.uint16(at: position + 8)
      let method = directory.uint16(at: position + 10)
      let crc32 = directory.uint32(at: position + 16)
      var compressed = UInt64(directory.uint32(at: position + 20))
      var uncompressed = UInt64(directory.uint32(at: position + 24))
      let nameLength = Int(directory.uint16(at: position + 28))
      let extraLength = Int(directory.uint16(at: position + 30))
      let commentLength = Int(directory.uint16(at: position + 32))
      var disk = UInt32(directory.uint16(at: position + 34))
      let externalAttributes = directory.uint32(at: position + 38)
      var localOffset = UInt64(directory.uint32(at: position + 42))
      let nameStart = position + 46
      let next = nameStart + nameLength + extraLength + commentLength
      guard next <= directory.count else { throw Failure.malformed("its directory is damaged") }
      // ZIP64: the extra field 0x0001 holds, in this order, whichever of the four fields are saturated.
      var extra = nameStart + nameLength
      let extraEnd = extra + extraLength
      while extra + 4 <= extraEnd {
        let id = directory.uint16(at: extra)
        let length = Int(directory.uint16(at: extra + 2))
        let body = extra + 4
        guard body + length <= extraEnd else { throw Failure.malformed("its directory is damaged") }
        if id == 0x0001 {
          var field = body
          func next64() throws -> UInt64 {
            guard field + 8 <= body + length else { throw Failure.malformed("a ZIP64 field is short") }
            defer { field += 8 }
            return directory.uint64(at: field)
          }
          if uncompressed == 0xFFFF_FFFF { uncompressed = try next64() }
          if compressed == 0xFFFF_FFFF { compressed = try next64() }
          if localOffset == 0xFFFF_FFFF { localOffset = try next64() }
          if disk == 0xFFFF {
            guard field + 4 <= body + length else { throw Failure.malformed("a ZIP64 field is short") }
            disk = directory.uint32(at: field)
          }
        }
        extra = body + length
      }
      let nameBytes = directory.slice(nameStart, nameLength)
      let path = String(decoding: nameBytes, as: UTF8.self)
      position = next
      let unixType = versionMadeBy >> 8 == 3 ? (externalAttributes >> 16) & 0o170000 : 0
      let isDirectory = path.hasSuffix("/") || unixType == 0o040000
      guard !isDirectory else { continue }
      guard unixType == 0 || unixType == 0o100000 else {  // symbolic links, devices: named, never read
        special.append(path)
        continue
      }
      guard disk == 0 else { throw Failure.unsupported("several disks") }
      guard flags & 0x0001 == 0 else { throw Failure.unsupported("encryption") }
      guard method == 0 || method == 8 else { throw Failure.unsupported("compression method \(method)") }
      guard let compressedCount = Int64(exactly: compressed), let uncompressedCount = Int64(exactly: uncompressed),
        let headerOffset = Int64(exactly: localOffset), headerOffset <= directoryOffset - 30
      else { throw Failure.malformed("\(path) lies outside the file") }
      guard method == 8 || compressedCount == uncompressedCount else {
        throw Failure.malformed("\(path) records two sizes for stored data")
      }
      let header = Bytes(try read(handle, at: headerOffset, count: 30))
      guard header.uint32(at: 0) == localHeaderSignature else { throw Failure.malformed("\(path) has no header") }
      let dataOffset = headerOffset + 30 + Int64(header.uint16(at: 26)) + Int64(header.uint16(at: 28))
      guard dataOffset <= directoryOffset, compressedCount <= directoryOffset - dataOffset else {
        throw Failure.malformed("\(path) lies outside the file")
      }
      extents.append((headerOffset, dataOffset + compressedCount))
      members.append(
        Member(
          path: path, method: method, crc32: crc32, compressedByteCount: compressedCount,
          uncompressedByteCount: uncompressedCount, dataOffset: dataOffset))
    }
    extents.sort { $0.start < $1.start }
    for (earlier, later) in zip(extents, extents.dropFirst()) where later.start < earlier.end {
      throw Failure.malformed("two files share the same bytes")
    }
    return (members, special)
  }
}

/// Little-endian fields of a byte buffer; callers check that each field lies inside it.
private struct Bytes {
  let bytes: [UInt8]
  init(_ data: Data) { bytes = [UInt8](data) }
  var count: Int { bytes.count }

  func uint16(at offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }
  func uint32(at offset: Int) -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
  }
  func uint64(at offset: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
  }
  func slice(_ start: Int, _ count: Int) -> ArraySlice<UInt8> { bytes[start..<start + count] }
}
