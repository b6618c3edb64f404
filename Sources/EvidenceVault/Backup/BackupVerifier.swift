import Foundation

/// What checking a backup found.
public struct BackupCheck: Sendable {
  /// The backup folder that was checked (`<target>/<16 hex>`).
  public let folder: URL
  /// The current set's number.
  public let set: Int
  /// The records the backup holds (its head's sequence number).
  public let recordCount: UInt64
  /// The journal bytes the backup holds.
  public let journalByteCount: Int
  /// The attachment files (blobs) and inbox items it holds.
  public let blobCount: Int
  public let inboxCount: Int
  /// The bytes of every file of the backup.
  public let totalByteCount: Int64
  /// Every way the backup fails, one sentence each, naming the file.
  public internal(set) var problems: [String]
  /// Facts that are not damage: bytes of an interrupted update, how it compares with the vault.
  public internal(set) var notices: [String] = []
  /// Records of the vault that are not in the backup (when it was checked against an open vault).
  public internal(set) var recordsNotInBackup: UInt64?

  let head: HeadCheckpoint

  /// True when every byte the manifest names verifies.
  public var isIntact: Bool { problems.isEmpty }
}

/// Checks a backup without opening it as a vault and without writing a byte into it: the manifest's signature, the
/// journal's frames up to the manifest's length (decrypted and chained as opening a vault does), the signed head,
/// every blob end to end against the records that name it, and every inbox item against the manifest.
struct BackupVerifier {
  let folder: URL
  let manifest: BackupManifest
  let vaultId: [UInt8]

  var setFolder: URL { folder.appendingPathComponent(String(manifest.set)) }

  /// A verifier of a manifest about to be written (the read-back after writing).
  init(folder: URL, manifest: BackupManifest, vaultId: [UInt8]) {
    self.folder = folder
    self.manifest = manifest
    self.vaultId = vaultId
  }

  /// Reads the manifest of the backup in `folder`.
  /// - Throws: `notAVault` when there is no backup there, `backupDamaged` for a manifest that cannot be read.
  init(folder: URL) throws(VaultError) {
    guard let manifest = try BackupManifest.read(in: folder) else {
      throw VaultError(
        .notAVault, "There is no complete backup in \(folder.path).",
        hint: "Give the folder you backed up to (`evidence backup --to`), or its backup folder inside it.")
    }
    guard let vaultId = Hex.decode(manifest.vaultId, byteCount: 16) else { preconditionFailure("manifest was checked") }
    self.folder = folder
    self.manifest = manifest
    self.vaultId = vaultId
  }

  /// The set's header, if it is there, parses and is the one the manifest names; else a sentence saying why not.
  func header() -> Result<VaultHeader, VaultError> {
    let url = setFolder.appendingPathComponent(Vault.Layout.header)
    guard FileManager.default.fileExists(atPath: url.path) else {
      return .failure(VaultError(.backupDamaged, "The backup's \(relative(url)) is missing."))
    }
    do throws(VaultError) {
      let bytes = try DurableFiles.read(url, limit: VaultHeader.maximumFileSize)
      guard Hex.encode(SHA256.hash(bytes)) == manifest.headerSHA256 else {
        return .failure(VaultError(.backupDamaged, "The backup's \(relative(url)) was altered."))
      }
      let header = try VaultHeader.decode(bytes, path: url.path)
      guard header.vaultId == manifest.vaultId else {
        return .failure(VaultError(.backupDamaged, "The backup's \(relative(url)) belongs to another vault."))
      }
      return .success(header)
    } catch {
      return .failure(VaultError(.backupDamaged, "The backup's \(relative(url)) cannot be read: \(error.message)"))
    }
  }

  /// Checks every byte the manifest names with `keys`; with `onlyBlobs`, blobs not in it are checked by their
  /// length only (the read-back after writing checks the blobs it wrote).
  func check(
    keys: borrowing VaultKeys, journalVersion: JournalFormat.Version, onlyBlobs: Set<String>? = nil,
    progress: (Int64, Int64) -> Void = { _, _ in }
  ) -> BackupCheck {
    var problems: [String] = []
    var notices: [String] = []
    if !manifest.isAuthentic(vaultId: vaultId, publicKey: keys.signing.publicKey) {
      problems.append(
        "The backup's \(BackupManifest.fileName) is not signed by this vault: it was altered, or it is another vault's."
      )
    }
    if !manifest.head.isAuthentic(vaultId: vaultId, publicKey: keys.signing.publicKey) {
      problems.append("The signed head in the backup's \(BackupManifest.fileName) is not this vault's.")
    }
    let records = checkJournal(
      keys: keys, version: journalVersion, problems: &problems, notices: &notices)

    var named: [String: (sha256: String, size: Int64)] = [:]
    for record in records {
      if case .attachment(let attachment) = record.record {
        named[attachment.blob] = (attachment.sha256, attachment.size)
      }
    }
    let listed = Set(manifest.blobs.map(\.name))
    for name in named.keys.sorted() where !listed.contains(name) {
      problems.append("The backup has no file for the attachment blobs/\(name.prefix(2))/\(name): it is missing.")
    }
    let store = BlobStore(folder: setFolder.appendingPathComponent(Vault.Layout.blobs))
    let total = manifest.blobs.reduce(Int64(0)) { $0 + $1.byteCount }
    var done: Int64 = 0
    for blob in manifest.blobs {
      let url = store.url(of: blob.name)
      defer {
        done += blob.byteCount
        progress(done, total)
      }
      guard let size = BackupFiles.size(of: url) else {
        problems.append("The backup's \(relative(url)) is missing.")
        continue
      }
      if size != blob.byteCount {
        problems.append(
          "The backup's \(relative(url)) is \(size < blob.byteCount ? "cut off" : "too long"): \(size) bytes instead of \(blob.byteCount)."
        )
        continue
      }
      if let onlyBlobs, !onlyBlobs.contains(blob.name) { continue }
      let fault: BlobFault?
      if let record = named[blob.name] {
        fault = store.check(blob.name, sha256: record.sha256, size: record.size, key: keys.blobKey)
      } else {
        do throws(BlobDecryptError) {
          _ = try store.decrypt(blob.name, expectedSize: nil, key: keys.blobKey) { _ in }
          fault = nil
        } catch {
          switch error {
          case .blob(let blobFault): fault = blobFault
          case .vault(let failure): fault = .unreadable(reason: failure.message)
          }
        }
      }
      if let fault { problems.append(describe(fault, url)) }
    }
    let inbox = setFolder.appendingPathComponent(Vault.Layout.inbox)
    for item in manifest.inbox {
      let url = inbox.appendingPathComponent(item.name)
      guard let size = BackupFiles.size(of: url) else {
        problems.append("The backup's \(relative(url)) is missing.")
        continue
      }
      let digest = try? BackupFiles.sha256(of: url)
      if size != item.byteCount || digest.map(Hex.encode) != item.sha256 {
        problems.append("The backup's \(relative(url)) was altered or cut off.")
      }
    }
    let totalBytes = total + manifest.inbox.reduce(Int64(0)) { $0 + $1.byteCount } + Int64(manifest.journalByteCount)
    return BackupCheck(
      folder: folder, set: manifest.set, recordCount: manifest.recordCount,
      journalByteCount: manifest.journalByteCount, blobCount: manifest.blobs.count, inboxCount: manifest.inbox.count,
      totalByteCount: totalBytes, problems: problems, notices: notices, head: manifest.head)
  }

  /// Decrypts and chains the journal up to the manifest's length; returns the records that verify.
  private func checkJournal(
    keys: borrowing VaultKeys, version: JournalFormat.Version, problems: inout [String], notices: inout [String]
  ) -> [StoredRecord] {
    let url = setFolder.appendingPathComponent(Vault.Layout.journal)
    guard let size = BackupFiles.size(of: url) else {
      problems.append("The backup's \(relative(url)) is missing.")
      return []
    }
    guard size >= manifest.journalByteCount else {
      problems.append(
        "The backup's \(relative(url)) is cut off: \(size) bytes instead of \(manifest.journalByteCount).")
      return []
    }
    if size > manifest.journalByteCount {
      notices.append(
        "The backup's \(relative(url)) holds \(size - Int64(manifest.journalByteCount)) bytes of an update that was interrupted; they are not part of the backup and are cut off by the next one."
      )
    }
    if let digest = try? BackupFiles.sha256(of: url, range: 0..<manifest.journalByteCount),
      Hex.encode(digest) != manifest.journalSHA256
    {
      problems.append("The backup's \(relative(url)) was altered.")
    }
    var reader = JournalReader(vaultId: vaultId, version: version)
    do throws(VaultError) {
      var source = try JournalFileWindow(path: url.path, limit: manifest.journalByteCount)
      defer { source.close() }
      if version == .v2 {
        let magic = JournalFormat.magicV2
        let starts =
          source.endOffset >= magic.count ? try source.withBytes(in: 0..<magic.count) { Array($0) == magic } : false
        if !starts { problems.append("The first bytes of the backup's \(relative(url)) are damaged.") }
      }
      reader.read(&source, from: min(source.endOffset, JournalFormat.firstFrameOffset(version)), key: keys.recordKey)
    } catch {
      problems.append("The backup's \(relative(url)) cannot be read: \(error.message)")
      return []
    }
    for problem in reader.report.problems {
      problems.append("In the backup's \(relative(url)): \(problem.message)")
    }
    if reader.tornTail != nil {
      problems.append("The backup's \(relative(url)) ends inside a record: it is cut off.")
    }
    if reader.report.head.sequence != manifest.head.sequence
      || Hex.encode(reader.report.head.hash) != manifest.head.chain
    {
      if reader.report.problems.isEmpty && reader.tornTail == nil {
        problems.append(
          "The backup's \(relative(url)) holds \(reader.report.head.sequence) records that verify, but the backup was made with \(manifest.head.sequence)."
        )
      }
    }
    return reader.records
  }

  private func describe(_ fault: BlobFault, _ url: URL) -> String {
    switch fault {
    case .missing: "The backup's \(relative(url)) is missing."
    case .truncated: "The backup's \(relative(url)) is cut off."
    case .altered: "The backup's \(relative(url)) was altered: it does not decrypt."
    case .contentMismatch: "The backup's \(relative(url)) holds another file than its record says."
    case .unreadable(let reason): "The backup's \(relative(url)) cannot be read: \(reason)"
    }
  }

  /// A path inside the backup folder as people read it: `2/blobs/ab/abcd…`.
  func relative(_ url: URL) -> String {
    let base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
    return url.path.hasPrefix(base) ? String(url.path.dropFirst(base.count)) : url.path
  }
}
