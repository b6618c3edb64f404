import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `restore` made.
public struct RestoreOutcome: Sendable {
  /// The new vault folder.
  public let folder: URL
  public let recordCount: UInt64
  public let blobCount: Int
  /// How many exhibits the restored vault holds, every one checked end to end.
  public let exhibitCount: Int
}

/// Makes a new vault folder from a backup: the backup is checked first (nothing of a backup that does not verify is
/// copied), then copied into a hidden folder beside the destination, which is renamed to it only when whole; the
/// restored vault is then opened and verified like any other.
struct BackupRestorer {
  let verifier: BackupVerifier
  let destination: URL

  /// The hidden folder the copy is made in: the destination's parent, so that the rename is one step.
  var workFolder: URL {
    destination.deletingLastPathComponent().appendingPathComponent(
      ".\(destination.lastPathComponent).restoring\(DurableFiles.temporaryMarker)\(getpid())")
  }

  /// Refuses a destination that holds anything.
  static func checkDestination(_ destination: URL) throws(VaultError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory) else { return }
    let contents = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
    guard isDirectory.boolValue, contents.isEmpty else {
      throw VaultError(
        .alreadyExists, "\(destination.path) already holds files, so nothing was restored there.",
        hint: "Restore into a new folder, or an empty one.")
    }
  }

  /// Copies the backup's current set into a new vault folder at `destination`.
  func copy(progress: (Int64, Int64) -> Void) throws(VaultError) {
    let manifest = verifier.manifest
    let set = verifier.setFolder
    let total =
      Int64(manifest.journalByteCount) + manifest.blobs.reduce(Int64(0)) { $0 + $1.byteCount }
      + manifest.inbox.reduce(Int64(0)) { $0 + $1.byteCount }
    if let free = BackupFiles.freeByteCount(destination.deletingLastPathComponent()), free < total + 64 * 1024 {
      throw VaultError(
        .diskFull,
        "Restoring needs \(ByteText.text(total)) on the disk of \(destination.deletingLastPathComponent().path), which has \(ByteText.text(free)) free; nothing was restored.",
        hint: "Free some space there, or restore to another disk.")
    }
    var done: Int64 = 0
    let report: (Int64) -> Void = { count in
      done += count
      progress(done, total)
    }
    let work = workFolder
    // What an earlier restore into this folder left when it was killed: a partial copy of this backup, nothing more.
    let parent = destination.deletingLastPathComponent()
    let leftoverPrefix = ".\(destination.lastPathComponent).restoring\(DurableFiles.temporaryMarker)"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
    where name.hasPrefix(leftoverPrefix) {
      try BackupFiles.removeTree(parent.appendingPathComponent(name))
    }
    try DurableFiles.makeFolder(destination.deletingLastPathComponent())
    do throws(VaultError) {
      try DurableFiles.makeFolder(work)
      try BackupFiles.copyWhole(
        set.appendingPathComponent(Vault.Layout.header), to: work.appendingPathComponent(Vault.Layout.header))
      _ = try BackupFiles.append(
        from: set.appendingPathComponent(Vault.Layout.journal), range: 0..<manifest.journalByteCount,
        to: work.appendingPathComponent(Vault.Layout.journal), at: 0, progress: report)
      try DurableFiles.replace(work.appendingPathComponent(HeadCheckpoint.fileName), with: manifest.head.encoded())
      let from = BlobStore(folder: set.appendingPathComponent(Vault.Layout.blobs))
      let to = BlobStore(folder: work.appendingPathComponent(Vault.Layout.blobs))
      try DurableFiles.makeFolder(to.folder)
      for blob in manifest.blobs {
        try BackupFiles.copyWhole(from.url(of: blob.name), to: to.url(of: blob.name), progress: report)
      }
      let inbox = work.appendingPathComponent(Vault.Layout.inbox)
      try DurableFiles.makeFolder(inbox)
      for item in manifest.inbox {
        try BackupFiles.copyWhole(
          set.appendingPathComponent(Vault.Layout.inbox).appendingPathComponent(item.name),
          to: inbox.appendingPathComponent(item.name), progress: report)
      }
      try DurableFiles.syncFolder(work)
      // An empty destination folder gives way to the whole copy, in one rename.
      if FileManager.default.fileExists(atPath: destination.path) {
        guard rmdir(destination.path) == 0 else { throw .fileSystem("replace", destination.path, errno: errno) }
      }
      guard rename(work.path, destination.path) == 0 else {
        throw .fileSystem("restore into", destination.path, errno: errno)
      }
      try DurableFiles.syncFolder(destination.deletingLastPathComponent())
    } catch {
      try? BackupFiles.removeTree(work)
      throw error
    }
  }
}
