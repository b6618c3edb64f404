import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `backup` did.
public struct BackupOutcome: Sendable {
  /// The backup folder: `<target>/<16 hex>`.
  public let folder: URL
  /// True when a new set was begun (the first backup, or the header or the journal changed in place).
  public let startedNewSet: Bool
  /// Records, journal bytes and blobs now in the backup.
  public let recordCount: UInt64
  public let journalByteCount: Int
  public let blobCount: Int
  public let inboxCount: Int
  /// What this run wrote: records, journal bytes, blobs, all bytes.
  public let newRecordCount: UInt64
  public let newJournalByteCount: Int
  public let newBlobCount: Int
  public let writtenByteCount: Int64
  /// The backup as it read back after writing.
  public let check: BackupCheck
}

/// Writes or updates the backup of an open vault in a target folder; see docs/FORMAT.md, "Backups".
///
/// An update appends only the journal's new frames (after cutting the set's journal to the manifest's length, which
/// drops what an interrupted update left) and copies only new blobs and inbox items, each whole through a temporary
/// file. What was written is read back and checked; only then is `manifest.json` replaced, which is the commit
/// point: until that rename the previous backup is complete and untouched, after it the new one is.
struct BackupWriter {
  /// What the vault's files are now.
  struct Source {
    let folder: URL
    let headerBytes: [UInt8]
    let journalByteCount: Int
    let blobs: [String]
    let inbox: [String]

    var journal: URL { folder.appendingPathComponent(Vault.Layout.journal) }
    var blobStore: BlobStore { BlobStore(folder: folder.appendingPathComponent(Vault.Layout.blobs)) }
    var inboxFolder: URL { folder.appendingPathComponent(Vault.Layout.inbox) }
  }

  let source: Source
  let backupFolder: URL
  let vaultId: [UInt8]
  let head: HeadCheckpoint
  let journalVersion: JournalFormat.Version

  /// The backup folder's name for a vault: 16 hex digits of `SHA-256("evidence-journal backup folder\0" ‖ id)`.
  static func folderName(vaultId: [UInt8]) -> String {
    String(Hex.encode(SHA256.hash(Array("evidence-journal backup folder\0".utf8) + vaultId)).prefix(16))
  }

  /// Writes the backup; the vault is open (and locked) throughout.
  func write(keys: borrowing VaultKeys, progress: (Int64, Int64) -> Void) throws(VaultError) -> BackupOutcome {
    try DurableFiles.makeFolder(backupFolder)
    let old = try? BackupManifest.read(in: backupFolder)
    let previous = try reusableSet(old)
    let setNumber = previous?.set ?? (max(old?.set ?? 0, highestSetFolder()) + 1)
    let setFolder = backupFolder.appendingPathComponent(String(setNumber))
    // Set folders the manifest does not name are what an interrupted new set left: they are not the backup.
    for number in setFolders() where number != old?.set && number != previous?.set {
      try BackupFiles.removeTree(backupFolder.appendingPathComponent(String(number)))
    }
    if previous == nil { try BackupFiles.removeTree(setFolder) }

    let keptBlobs = Dictionary(
      (previous?.blobs ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let keptInbox = Dictionary(
      (previous?.inbox ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let store = source.blobStore
    let newBlobs = source.blobs.filter { name in
      keptBlobs[name].map { $0.byteCount != BackupFiles.size(of: store.url(of: name)) } ?? true
    }
    let newInbox = source.inbox.filter { name in
      keptInbox[name].map { $0.byteCount != BackupFiles.size(of: source.inboxFolder.appendingPathComponent(name)) }
        ?? true
    }
    let journalStart = previous?.journalByteCount ?? 0
    let needed = try neededByteCount(
      journalStart: journalStart, newBlobs: newBlobs, newInbox: newInbox, newSet: previous == nil)
    if let free = BackupFiles.freeByteCount(backupFolder), free < needed {
      throw Self.full(backupFolder, needed: needed, free: free)
    }

    var written: Int64 = 0
    let report: (Int64) -> Void = { count in
      written += count
      progress(written, needed)
    }
    do throws(VaultError) {
      try DurableFiles.makeFolder(setFolder)
      if previous == nil {
        try DurableFiles.replace(setFolder.appendingPathComponent(Vault.Layout.header), with: source.headerBytes)
      }
      let setJournal = setFolder.appendingPathComponent(Vault.Layout.journal)
      _ = try BackupFiles.append(
        from: source.journal, range: journalStart..<source.journalByteCount, to: setJournal, at: journalStart,
        progress: report)
      try DurableFiles.syncFolder(setFolder)
      var blobs = keptBlobs
      let setBlobs = BlobStore(folder: setFolder.appendingPathComponent(Vault.Layout.blobs))
      for name in newBlobs {
        let copied = try BackupFiles.copyWhole(store.url(of: name), to: setBlobs.url(of: name), progress: report)
        blobs[name] = BackupManifest.CopiedFile(
          name: name, byteCount: copied.byteCount, sha256: Hex.encode(copied.sha256))
      }
      var inbox = keptInbox.filter { source.inbox.contains($0.key) }
      let setInbox = setFolder.appendingPathComponent(Vault.Layout.inbox)
      try DurableFiles.makeFolder(setInbox)
      for name in newInbox {
        let copied = try BackupFiles.copyWhole(
          source.inboxFolder.appendingPathComponent(name), to: setInbox.appendingPathComponent(name),
          progress: report)
        inbox[name] = BackupManifest.CopiedFile(
          name: name, byteCount: copied.byteCount, sha256: Hex.encode(copied.sha256))
      }
      let journalDigest = try BackupFiles.sha256(of: source.journal, range: 0..<source.journalByteCount)
      var manifest = BackupManifest(
        vaultId: Hex.encode(vaultId), set: setNumber, headerSHA256: Hex.encode(SHA256.hash(source.headerBytes)),
        journalByteCount: source.journalByteCount, journalSHA256: Hex.encode(journalDigest), head: head,
        blobs: source.blobs.compactMap { blobs[$0] }, inbox: source.inbox.compactMap { inbox[$0] })
      manifest.sign(vaultId: vaultId, signer: keys.signing)

      // Read back what was written before the manifest names it.
      let verifier = BackupVerifier(folder: backupFolder, manifest: manifest, vaultId: vaultId)
      let check = verifier.check(keys: keys, journalVersion: journalVersion, onlyBlobs: Set(newBlobs))
      guard check.isIntact else {
        throw VaultError(
          .backupDamaged,
          "The backup did not read back as it was written: \(check.problems[0]) The previous backup is left as it was.",
          hint: "The disk of the backup may be failing: try another one.")
      }
      try DurableFiles.replace(backupFolder.appendingPathComponent(BackupManifest.fileName), with: manifest.encoded())
      try removeLeftovers(after: manifest, previousSet: old?.set, setInbox: setInbox)
      return BackupOutcome(
        folder: backupFolder, startedNewSet: previous == nil, recordCount: head.sequence,
        journalByteCount: source.journalByteCount, blobCount: manifest.blobs.count, inboxCount: manifest.inbox.count,
        newRecordCount: head.sequence - (previous?.recordCount ?? 0),
        newJournalByteCount: source.journalByteCount - journalStart, newBlobCount: newBlobs.count,
        writtenByteCount: written, check: check)
    } catch {
      // Nothing of this run stays behind: the previous backup is exactly as it was, and its space is free again.
      if previous == nil {
        try? BackupFiles.removeTree(setFolder)
      } else {
        BackupFiles.cut(setFolder.appendingPathComponent(Vault.Layout.journal), to: journalStart)
        let setBlobs = BlobStore(folder: setFolder.appendingPathComponent(Vault.Layout.blobs))
        for name in newBlobs where keptBlobs[name] == nil { unlink(setBlobs.url(of: name).path) }
      }
      guard error.code == .diskFull else { throw error }
      throw Self.full(backupFolder, needed: needed, free: BackupFiles.freeByteCount(backupFolder) ?? 0)
    }
  }

  /// The manifest whose set an update can append to: same header, and a journal of which the set holds the start.
  private func reusableSet(_ old: BackupManifest?) throws(VaultError) -> BackupManifest? {
    guard let old, old.vaultId == Hex.encode(vaultId),
      old.headerSHA256 == Hex.encode(SHA256.hash(source.headerBytes)),
      old.journalByteCount <= source.journalByteCount
    else { return nil }
    let setJournal = backupFolder.appendingPathComponent(String(old.set)).appendingPathComponent(Vault.Layout.journal)
    guard let size = BackupFiles.size(of: setJournal), size >= old.journalByteCount else { return nil }
    let prefix = try BackupFiles.sha256(of: source.journal, range: 0..<old.journalByteCount)
    return Hex.encode(prefix) == old.journalSHA256 ? old : nil
  }

  /// The bytes this backup will write, with room for the manifest and the file-system's blocks.
  private func neededByteCount(
    journalStart: Int, newBlobs: [String], newInbox: [String], newSet: Bool
  ) throws(VaultError) -> Int64 {
    var needed = Int64(source.journalByteCount - journalStart)
    needed += newBlobs.reduce(Int64(0)) { $0 + (BackupFiles.size(of: source.blobStore.url(of: $1)) ?? 0) + 4096 }
    needed += newInbox.reduce(Int64(0)) {
      $0 + (BackupFiles.size(of: source.inboxFolder.appendingPathComponent($1)) ?? 0) + 4096
    }
    if newSet { needed += Int64(source.headerBytes.count) + 4 * 4096 }
    // The manifest, twice while it is replaced.
    needed += Int64(256 * (source.blobs.count + source.inbox.count)) + 2 * 4096
    return needed
  }

  /// The numbers of the set folders in the backup folder.
  private func setFolders() -> [Int] {
    ((try? FileManager.default.contentsOfDirectory(atPath: backupFolder.path)) ?? []).compactMap { name in
      Int(name).flatMap { $0 >= 1 && String($0) == name ? $0 : nil }
    }
  }

  private func highestSetFolder() -> Int { setFolders().max() ?? 0 }

  /// After the commit: the previous set (when a new one was begun) and inbox items taken into the journal since.
  private func removeLeftovers(after manifest: BackupManifest, previousSet: Int?, setInbox: URL) throws(VaultError) {
    if let previousSet, previousSet != manifest.set {
      try BackupFiles.removeTree(backupFolder.appendingPathComponent(String(previousSet)))
    }
    let kept = Set(manifest.inbox.map(\.name))
    for name in BackupFiles.files(in: setInbox, where: { !kept.contains($0) }) {
      unlink(setInbox.appendingPathComponent(name).path)
    }
    try DurableFiles.syncFolder(backupFolder)
  }

  /// The disk of the backup is full: how much it needs, and that the previous backup is intact.
  static func full(_ folder: URL, needed: Int64, free: Int64) -> VaultError {
    VaultError(
      .diskFull,
      "The backup needs \(ByteText.text(needed)) on the disk of \(folder.deletingLastPathComponent().path), which has \(ByteText.text(max(0, free))) free; nothing was changed and the previous backup there is still complete.",
      hint: "Free \(ByteText.text(max(0, needed - free))) there, or back up to a larger disk.")
  }
}

/// Byte counts as people read them: `12.4 MB` (the errors here and the CLI's backup report both use it).
public enum ByteText {
  public static func text(_ count: Int64) -> String {
    if count < 1000 { return count == 1 ? "1 byte" : "\(count) bytes" }
    let units = ["kB", "MB", "GB", "TB"]
    var value = Double(count) / 1000
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return String(format: "%.1f", value) + " " + units[unit]
  }
}
