import Foundation

/// `import.pending`: where the journal stood before an import began appending to it.
///
/// An import appends its records without signing a new head until it commits, so that it adds all its
/// messages or none. The marker is written (durably) before its first record and removed once it is committed or
/// rolled back. If the process dies in between, the next `open` finds the marker and the signed head still at or
/// before the marker's position: every record after that position belongs to the import that never finished, so
/// those bytes are moved to `quarantine/` (kept, never deleted) and the journal is cut back to where the import
/// began. The marker holds only two numbers: nothing about what was imported.
struct ImportMarker: Codable, Equatable {
  static let fileName = "import.pending"

  /// The journal's length in bytes when the import began: a frame boundary.
  var journalSize: Int
  /// The number of records when the import began.
  var sequence: UInt64

  /// Writes the marker into the vault folder, durably (temporary file, fsync, rename, fsync the folder).
  func write(in folder: URL) throws(VaultError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let bytes = try? encoder.encode(self) else { preconditionFailure("two numbers always encode") }
    try DurableFiles.replace(folder.appendingPathComponent(Self.fileName), with: Array(bytes) + [0x0A])
  }

  /// The marker in the vault folder, if there is a readable one.
  static func read(in folder: URL) -> ImportMarker? {
    guard let bytes = try? DurableFiles.read(folder.appendingPathComponent(fileName), limit: 1024) else { return nil }
    return try? JSONDecoder().decode(ImportMarker.self, from: Data(bytes))
  }

  /// Removes the marker, durably; a marker that is already gone is fine.
  static func remove(in folder: URL) {
    guard unlink(folder.appendingPathComponent(fileName).path) == 0 else { return }
    try? DurableFiles.syncFolder(folder)
  }
}
