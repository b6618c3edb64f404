import EvidenceZip
import Foundation

/// A file inside a zip export (a WhatsApp photo or video), read piece by piece only when it is stored, so that it is
/// never whole in memory and never inflates past its cap.
///
/// Nothing is allocated from the sizes the zip declares: a member may inflate to at most `ImportLimits`'s ratio
/// times its compressed size (and never past the absolute cap), and never to more than it declares.
public struct ArchiveMember: Sendable, Equatable {
  /// The archive's file name, for errors.
  public let archiveName: String
  /// The member's path inside the archive.
  public var path: String { member.path }
  /// The most bytes it may inflate to.
  public let byteCap: Int64
  private let archive: SharedArchive
  private let member: ZipReader.Member

  init(archiveName: String, member: ZipReader.Member, archive: SharedArchive, limits: ImportLimits) {
    self.archiveName = archiveName
    self.byteCap = limits.inflatedByteCap(compressedByteCount: UInt64(member.compressedByteCount))
    self.archive = archive
    self.member = member
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.archive === rhs.archive && lhs.member == rhs.member && lhs.byteCap == rhs.byteCap
  }

  /// Hands the member's bytes to `sink` in pieces, in order.
  /// - Throws: `ImportError` when the member is damaged or inflates past `byteCap` (nothing it gave counts then);
  ///   whatever `sink` throws.
  public func read(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
    try archive.extract(member, name: archiveName, cap: byteCap, sink)
  }

  /// The whole member, for small ones (and tests).
  public func bytes() throws -> [UInt8] {
    var bytes: [UInt8] = []
    try read { bytes.append(contentsOf: $0) }
    return bytes
  }
}

/// One open archive shared by the members read from it, one extraction at a time.
final class SharedArchive: @unchecked Sendable {
  let reader: ZipReader
  private let lock = NSLock()

  init(_ reader: ZipReader) {
    self.reader = reader
  }

  /// Streams `member` into `sink`; it may not declare, or inflate to, more than `cap` bytes. Its size and CRC-32
  /// are checked as the bytes come: a member that is damaged fails, even after some of it was given to `sink`.
  func extract(
    _ member: ZipReader.Member, name: String, cap: Int64, _ sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    lock.lock()
    defer { lock.unlock() }
    do {
      try reader.stream(member, byteLimit: cap) { data in try data.withUnsafeBytes { try sink($0) } }
    } catch let failure as ZipReader.Failure {
      switch failure {
      case .tooLarge, .inflatesTooMuch:
        throw ImportError(
          file: name,
          message: "The zip member \(member.path) inflates to more than \(ImportLimits.describe(cap)) from "
            + "\(member.compressedByteCount) compressed bytes, more than a real export holds (a zip bomb or a damaged zip)."
        )
      case .malformed:
        throw ImportError(file: name, message: "The zip member \(member.path) is cut off: the archive ends inside it.")
      default:
        throw ImportError(file: name, message: "The zip member \(member.path) cannot be read: it is damaged.")
      }
    }
  }
}
