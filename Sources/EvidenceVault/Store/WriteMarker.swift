import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `write.pending`: where the journal stood before a write of several records began.
///
/// An import, or a save of several records that belong together (an entry and its exhibits, exhibits found by a
/// repair), must add all of them or none. The marker is written durably before the first of its frames and
/// removed once they are durable and the head is signed, or once they were cut off again. If the process dies in
/// between, the next `open` finds the marker and the signed head still at or before the marker's position: every
/// record after that position belongs to the write that never finished, so those bytes are moved to
/// `quarantine/` (kept, never deleted) and the journal is cut back to where the write began. The marker holds only
/// two numbers: nothing about what was written.
struct WriteMarker: Codable, Equatable {
  static let fileName = "write.pending"
  /// The name the marker had when only imports wrote one; still honoured when found.
  static let earlierFileName = "import.pending"

  /// The journal's length in bytes when the write began: a frame boundary.
  var journalSize: Int
  /// The number of records when the write began.
  var sequence: UInt64

  /// Writes the marker into the vault folder, durably (temporary file, fsync, rename, fsync the folder).
  func write(in folder: URL) throws(VaultError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let bytes = try? encoder.encode(self) else { preconditionFailure("two numbers always encode") }
    try DurableFiles.replace(folder.appendingPathComponent(Self.fileName), with: Array(bytes) + [0x0A])
  }

  /// The marker in the vault folder, if there is a readable one.
  static func read(in folder: URL) -> WriteMarker? {
    for name in [fileName, earlierFileName] {
      guard let bytes = try? DurableFiles.read(folder.appendingPathComponent(name), limit: 1024) else { continue }
      return try? JSONDecoder().decode(WriteMarker.self, from: Data(bytes))
    }
    return nil
  }

  /// Removes the marker, durably; a marker that is already gone is fine.
  /// - Throws: when the marker is still there afterwards: the next open would then cut off what it marks.
  static func remove(in folder: URL) throws(VaultError) {
    var removed = false
    for name in [fileName, earlierFileName] {
      let path = folder.appendingPathComponent(name).path
      if unlink(path) == 0 {
        removed = true
      } else if errno != ENOENT {
        throw .fileSystem("remove", path, errno: errno)
      }
    }
    if removed { try DurableFiles.syncFolder(folder) }
  }
}
