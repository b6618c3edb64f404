import Foundation
import ZIPFoundation

/// A file inside a zip export (a WhatsApp photo or video), read piece by piece only when it is stored, so that it is
/// never whole in memory and never inflates past its cap.
///
/// Nothing is allocated from the sizes the zip declares: a member may inflate to at most `ImportLimits`'s ratio
/// times its compressed size (and never past the absolute cap), counted as the bytes come out.
public struct ArchiveMember: Sendable, Equatable {
  /// The archive's file name, for errors.
  public let archiveName: String
  /// The member's path inside the archive.
  public let path: String
  /// The most bytes it may inflate to.
  public let byteCap: Int64
  private let archive: SharedArchive
  private let entry: UncheckedEntry

  init(archiveName: String, entry: Entry, archive: SharedArchive, limits: ImportLimits) {
    self.archiveName = archiveName
    self.path = entry.path
    self.byteCap = limits.inflatedByteCap(compressedByteCount: entry.compressedSize)
    self.archive = archive
    self.entry = UncheckedEntry(value: entry)
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.archive === rhs.archive && lhs.path == rhs.path && lhs.byteCap == rhs.byteCap
  }

  /// Hands the member's bytes to `sink` in pieces, in order.
  /// - Throws: `ImportError` when the member is damaged or inflates past `byteCap` (nothing it gave counts then);
  ///   whatever `sink` throws.
  public func read(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
    try archive.extract(entry.value, name: archiveName, cap: byteCap, sink)
  }

  /// The whole member, for small ones (and tests).
  public func bytes() throws -> [UInt8] {
    var bytes: [UInt8] = []
    try read { bytes.append(contentsOf: $0) }
    return bytes
  }
}

/// A ZIPFoundation entry, a value that is only read.
private struct UncheckedEntry: @unchecked Sendable {
  let value: Entry
}

/// One open archive shared by the members read from it, one extraction at a time.
final class SharedArchive: @unchecked Sendable {
  private let archive: Archive
  private let lock = NSLock()

  init(_ archive: Archive) {
    self.archive = archive
  }

  /// Why an extraction stopped on the importer's side rather than ZIPFoundation's.
  private enum Stop: Error {
    case overCap
    case truncated
    /// The sink's own error, handed back unchanged.
    case sink(any Error)
  }

  /// Extracts `entry` into `sink`, stopping once more than `cap` bytes came out; checks its CRC-32 at the end.
  func extract(_ entry: Entry, name: String, cap: Int64, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
    lock.lock()
    defer { lock.unlock() }
    var count: Int64 = 0
    var emptyPieces = 0
    let checksum: CRC32
    do {
      checksum = try archive.extract(entry, bufferSize: 64 * 1024) { data in
        // A stored member whose declared size runs past the end of the file yields empty pieces, forever.
        if data.isEmpty {
          emptyPieces += 1
          if emptyPieces > 1 { throw Stop.truncated }
          return
        }
        emptyPieces = 0
        count += Int64(data.count)
        if count > cap { throw Stop.overCap }
        do { try data.withUnsafeBytes { try sink($0) } } catch { throw Stop.sink(error) }
      }
    } catch Stop.overCap {
      throw ImportError(
        file: name,
        message: "The zip member \(entry.path) inflates to more than \(ImportLimits.describe(cap)) from "
          + "\(entry.compressedSize) compressed bytes, more than a real export holds (a zip bomb or a damaged zip).")
    } catch Stop.truncated {
      throw ImportError(file: name, message: "The zip member \(entry.path) is cut off: the archive ends inside it.")
    } catch Stop.sink(let error) {
      throw error
    } catch {
      throw ImportError(file: name, message: "The zip member \(entry.path) cannot be read: it is damaged.")
    }
    guard entry.type != .file || checksum == entry.checksum else {
      throw ImportError(
        file: name, message: "The zip member \(entry.path) is damaged: its checksum does not match its content.")
    }
  }
}
