import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `wipe` did.
public struct WipeOutcome: Equatable, Sendable {
  /// Files overwritten with random bytes before they were removed: the ones that hold the wrapped master key.
  public let overwritten: [String]
  /// Files and folders removed, the vault folder last.
  public let removedCount: Int
}

extension Vault {
  /// The files that hold the master key, wrapped: once they are overwritten, nothing else in the folder (or any copy
  /// of the journal and blobs made without them) can be decrypted, whatever passphrase is known.
  static let keyFiles = [Layout.header, RekeyPending.fileName]

  /// Destroys the vault in `folder` on this computer, without the passphrase: first the files that hold the wrapped
  /// master key are overwritten with random bytes, fsynced and removed, then everything else in the folder, then the
  /// folder itself.
  ///
  /// The lock is not waited for: in an emergency, another command that is using the vault must not stop this.
  /// Overwriting cannot reach copies the disk keeps on its own (flash wear levelling, file-system journals,
  /// snapshots); SECURITY.md says so. Removing the master key first is what makes the rest unreadable.
  /// - Throws: `notAVault` when there is no vault there; `fileSystem` when a file cannot be overwritten or removed
  ///   (what was already destroyed stays destroyed).
  public static func wipe(at folder: URL) throws(VaultError) -> WipeOutcome {
    let header = folder.appendingPathComponent(Layout.header)
    guard FileManager.default.fileExists(atPath: header.path) else {
      throw VaultError(.notAVault, "There is no vault at \(folder.path).", hint: "Point --vault at the vault folder.")
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    // The header first, then the other key files and any temporary copy of one a crash left (`.vault.json.tmp-…`).
    let others = names.filter { name in
      name != Layout.header
        && (keyFiles.contains(name) || keyFiles.contains { name.hasPrefix(".\($0)\(DurableFiles.temporaryMarker)") })
    }
    let keyNames = [Layout.header] + others.sorted()
    var overwritten: [String] = []
    for name in keyNames {
      try overwriteAndRemove(folder.appendingPathComponent(name))
      overwritten.append(name)
    }
    try DurableFiles.syncFolder(folder)
    var removed = overwritten.count
    try removeTree(folder, count: &removed)
    try? DurableFiles.syncFolder(folder.deletingLastPathComponent())
    return WipeOutcome(overwritten: overwritten, removedCount: removed)
  }

  /// Overwrites the file with random bytes of its length, fsyncs it and removes it.
  private static func overwriteAndRemove(_ url: URL) throws(VaultError) {
    let descriptor = Glibc.open(url.path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
    guard descriptor >= 0 else { throw .fileSystem("overwrite", url.path, errno: errno) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw .fileSystem("overwrite", url.path, errno: errno) }
    var left = Int(info.st_size)
    while left > 0 {
      let piece = Sodium.randomBytes(min(left, 64 << 10))
      try DurableFiles.writeAll(descriptor, piece, path: url.path)
      left -= piece.count
    }
    try DurableFiles.sync(descriptor, path: url.path)
    guard unlink(url.path) == 0 else { throw .fileSystem("remove", url.path, errno: errno) }
  }

  /// Removes everything below `folder` and then `folder`, without following symbolic links.
  private static func removeTree(_ folder: URL, count: inout Int) throws(VaultError) {
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
      let url = folder.appendingPathComponent(name)
      var info = stat()
      guard lstat(url.path, &info) == 0 else { continue }
      if info.st_mode & S_IFMT == S_IFDIR {
        try removeTree(url, count: &count)
      } else {
        guard unlink(url.path) == 0 || errno == ENOENT else { throw .fileSystem("remove", url.path, errno: errno) }
        count += 1
      }
    }
    guard rmdir(folder.path) == 0 || errno == ENOENT else { throw .fileSystem("remove", folder.path, errno: errno) }
    count += 1
  }
}
