import Foundation

/// What a vault knows about its last backup, for the notice at the start of each unlocked command.
public struct BackupStatus: Equatable, Sendable {
  /// When the last backup was made, and to which folder (nil when that was before the keys last changed).
  public let madeAt: Date?
  public let target: String?
  /// Records written since the last backup, which are not in it.
  public let recordsNotInBackup: UInt64
}

/// What to say about backups when a vault is unlocked.
public enum BackupNotice: Equatable, Sendable {
  /// There is a backup: when, where, how much is not in it.
  case last(BackupStatus)
  /// There is none, and the person was not told so in the last week.
  case noneReminder
}

extension Vault {
  /// How long after a reminder that there is no backup the next one comes.
  public static let backupReminderInterval: TimeInterval = 7 * 24 * 3600

  /// Writes or updates the backup of this vault in `target`, reads it back and checks it, then records in the vault
  /// that it was made (`backup.json`, `backup.sealed`).
  ///
  /// The backup is the folder `<target>/<16 hex>`: the vault's own ciphertext, never plaintext, opened by the vault's
  /// passphrase. An update writes only new journal frames, blobs and inbox items. Until the new `manifest.json` is
  /// in place, the previous backup there is complete and untouched; a failure at any point leaves it so.
  /// - Throws: `invalidInput` for a target that is not a folder or lies inside the vault; `vaultDamaged` for a vault
  ///   that does not verify; `diskFull` (saying how much is needed), `fileSystem`, `backupDamaged` when what was
  ///   written does not read back.
  public func backup(to target: URL, progress: Progress = { _, _ in }) throws(VaultError) -> BackupOutcome {
    guard integrity.isIntact else {
      throw VaultError(
        .vaultDamaged, "The vault does not verify, so it was not backed up: a backup would copy the damage.",
        hint:
          "Run `evidence verify` to see what is wrong; to keep a copy as it is, copy the whole vault folder by hand.")
    }
    try Self.checkTarget(target, vault: folder)
    let headerBytes = try DurableFiles.read(
      folder.appendingPathComponent(Layout.header), limit: VaultHeader.maximumFileSize)
    let journal = folder.appendingPathComponent(Layout.journal)
    let source = BackupWriter.Source(
      folder: folder, headerBytes: headerBytes, journalByteCount: Int(BackupFiles.size(of: journal) ?? 0),
      blobs: blobStore.inventory().blobs,
      inbox: BackupFiles.files(in: folder.appendingPathComponent(Layout.inbox), where: InboxItem.isItemName))
    let writer = BackupWriter(
      source: source,
      backupFolder: target.appendingPathComponent(BackupWriter.folderName(vaultId: vaultIdBytes)),
      vaultId: vaultIdBytes,
      head: HeadCheckpoint.make(head: integrity.head, vaultId: vaultIdBytes, signer: keys.signing),
      journalVersion: journalVersion == 1 ? .v1 : .v2)
    let outcome = try writer.write(keys: keys, progress: progress)
    // The backup is complete; a failure to note that here only means the notice lags behind.
    let reach = BackupReach(recordCount: outcome.recordCount, journalByteCount: outcome.journalByteCount)
    var details = BackupDetails.read(in: folder, vaultId: vaultIdBytes, key: keys.backupStateKey)
    details.last = BackupDetails.LastBackup(
      madeAt: clock(), target: target.standardizedFileURL.path, recordCount: outcome.recordCount,
      journalByteCount: outcome.journalByteCount)
    do throws(VaultError) {
      try details.write(in: folder, vaultId: vaultIdBytes, key: keys.backupStateKey)
      try reach.write(in: folder)
    } catch {
      onWarning?("The backup is complete, but the vault could not note that it was made: \(error.message)")
    }
    return outcome
  }

  /// Checks the backup of this vault in `target` (or the backup folder itself) byte by byte, and against this
  /// vault's chain: the backup's last record must be this vault's record of that number. Nothing is written.
  ///
  /// The backup is checked with this vault's keys when it was made under the same master key; after a change of keys
  /// its own `vault.json` is unlocked with `passphrase`.
  /// - Throws: `notAVault` when there is no backup of this vault there; `wrongPassphrase` when a backup made under
  ///   other keys does not open with `passphrase`.
  public func checkBackup(
    in target: URL, passphrase: borrowing SecretBytes, progress: Progress = { _, _ in }
  ) throws(VaultError) -> BackupCheck {
    let named = target.appendingPathComponent(BackupWriter.folderName(vaultId: vaultIdBytes))
    let backupFolder =
      FileManager.default.fileExists(atPath: named.appendingPathComponent(BackupManifest.fileName).path)
      ? named : target
    let verifier = try BackupVerifier(folder: backupFolder)
    guard verifier.vaultId == vaultIdBytes else {
      throw VaultError(
        .notAVault, "The backup in \(backupFolder.path) is of another vault.",
        hint: "Give the folder you backed up this vault to.")
    }
    var check: BackupCheck
    var headerProblem: String?
    switch verifier.header() {
    case .success(let header) where Hex.decode(header.inboxPublicKey) != keys.inboxPublicKey:
      // Made before a change of keys: only the passphrase of that time opens it.
      let masterKey: SecretBytes
      do {
        masterKey = try Self.unwrapMasterKey(header, passphrase: passphrase)
      } catch {
        guard error.code == .wrongPassphrase else { throw error }
        throw VaultError(
          .wrongPassphrase,
          "The backup in \(backupFolder.path) was made before the keys were changed, and this passphrase does not open it.",
          hint:
            "Check it with the passphrase you had then (`evidence restore` into a new folder), or make a new backup with `evidence backup --to`."
        )
      }
      let backupKeys = VaultKeys(masterKey: masterKey)
      check = verifier.check(
        keys: backupKeys, journalVersion: header.version == 1 ? .v1 : .v2, progress: progress)
    case .success(let header):
      check = verifier.check(keys: keys, journalVersion: header.version == 1 ? .v1 : .v2, progress: progress)
    case .failure(let failure):
      headerProblem = failure.message
      check = verifier.check(keys: keys, journalVersion: journalVersion == 1 ? .v1 : .v2, progress: progress)
    }
    if let headerProblem { check.problems.insert(headerProblem, at: 0) }
    compare(&check)
    return check
  }

  /// Says how the backup stands against this vault: how many records are not in it, or that it is not this journal.
  private func compare(_ check: inout BackupCheck) {
    let count = check.recordCount
    guard count <= integrity.head.sequence else {
      check.problems.append(
        "The backup holds \(count) records, more than the vault's \(integrity.head.sequence): it is not a backup of this journal as it is now."
      )
      return
    }
    let chain = count == 0 ? Chain.genesis(vaultId: vaultIdBytes) : record(sequence: count)?.chain
    guard chain.map(Hex.encode) == check.head.chain else {
      check.problems.append(
        "The backup's record \(count) is not the vault's record \(count): the backup is of another version of the journal."
      )
      return
    }
    check.recordsNotInBackup = integrity.head.sequence - count
  }

  /// Checks the backup in `source` with `passphrase` and, when it verifies, makes a new vault of it at
  /// `destination`, which is opened and verified before this returns.
  ///
  /// `source` is the backup folder (`<target>/<16 hex>`) or the folder that holds it (when it holds just one).
  /// Nothing is written into the backup, and a wrong passphrase is recorded nowhere.
  /// - Throws: `notAVault` when there is no backup there; `wrongPassphrase`; `backupDamaged` naming the first damaged
  ///   file (nothing is restored then); `alreadyExists` when `destination` holds files; `diskFull`, `fileSystem`.
  public static func restore(
    from source: URL, to destination: URL, passphrase: borrowing SecretBytes, clock: @escaping () -> Date = Date.init,
    progress: Progress = { _, _ in }
  ) throws(VaultError) -> RestoreOutcome {
    try BackupRestorer.checkDestination(destination)
    let backupFolder = try locateBackup(in: source)
    let verifier = try BackupVerifier(folder: backupFolder)
    let header: VaultHeader
    switch verifier.header() {
    case .success(let found): header = found
    case .failure(let failure):
      throw VaultError(.backupDamaged, "\(failure.message) Nothing was restored.", hint: hintForDamagedBackup)
    }
    let masterKey = try unwrapMasterKey(header, passphrase: passphrase)
    let keys = VaultKeys(masterKey: masterKey)
    guard Hex.decode(header.inboxPublicKey) == keys.inboxPublicKey else {
      throw VaultError(
        .backupDamaged, "The backup's vault.json does not belong to its keys. Nothing was restored.",
        hint: hintForDamagedBackup)
    }
    let check = verifier.check(keys: keys, journalVersion: header.version == 1 ? .v1 : .v2, progress: progress)
    guard check.isIntact else {
      let more = check.problems.count > 1 ? " (and \(check.problems.count - 1) more problems)" : ""
      throw VaultError(
        .backupDamaged, "The backup does not verify, so nothing was restored: \(check.problems[0])\(more)",
        hint: hintForDamagedBackup)
    }
    let restorer = BackupRestorer(verifier: verifier, destination: destination)
    try restorer.copy(progress: progress)
    // Inbox items stay where they are: the restored vault takes them in at its first unlock, like the original.
    let vault = try open(at: destination, passphrase: passphrase, clock: clock, takingInInbox: false)
    let exhibits = try vault.checkExhibits()
    guard vault.integrity.isIntact, exhibits.isIntact,
      vault.integrity.head.sequence == check.recordCount
    else {
      let problem = vault.integrity.problems.first?.message ?? exhibits.problems.first ?? "its records differ."
      throw VaultError(
        .vaultDamaged, "The restored vault in \(destination.path) does not verify: \(problem)",
        hint: "Keep the backup as it is, and run `evidence verify --vault \(destination.path)` for the details.")
    }
    vault.noteRestored(from: backupFolder, check: check)
    return RestoreOutcome(
      folder: destination, recordCount: check.recordCount, blobCount: check.blobCount,
      exhibitCount: exhibits.exhibitCount)
  }

  /// A restored journal is in the backup it came from, whole: it says so from its first unlock ("Last backup: …,
  /// every record is in it"), and `wipe` knows it, instead of telling the person there is no backup. The backup's
  /// time is its manifest's, which every backup replaces last. A failure here only means the notice is missing.
  private func noteRestored(from backupFolder: URL, check: BackupCheck) {
    let manifest = backupFolder.appendingPathComponent(BackupManifest.fileName)
    let madeAt = (try? FileManager.default.attributesOfItem(atPath: manifest.path)[.modificationDate]) as? Date
    var details = BackupDetails.read(in: folder, vaultId: vaultIdBytes, key: keys.backupStateKey)
    details.last = BackupDetails.LastBackup(
      madeAt: madeAt ?? clock(), target: backupFolder.deletingLastPathComponent().standardizedFileURL.path,
      recordCount: check.recordCount, journalByteCount: check.journalByteCount)
    do throws(VaultError) {
      try details.write(in: folder, vaultId: vaultIdBytes, key: keys.backupStateKey)
      try BackupReach(recordCount: check.recordCount, journalByteCount: check.journalByteCount).write(in: folder)
    } catch {
      onWarning?("The journal was restored, but it could not note which backup it came from: \(error.message)")
    }
  }

  private static let hintForDamagedBackup =
    "Keep this backup as it is and restore from another one if you have it; `evidence backup --check` lists every damaged file."

  /// The backup folder that `path` is, or holds (just one).
  static func locateBackup(in path: URL) throws(VaultError) -> URL {
    if FileManager.default.fileExists(atPath: path.appendingPathComponent(BackupManifest.fileName).path) {
      return path
    }
    let found = ((try? FileManager.default.contentsOfDirectory(atPath: path.path)) ?? []).sorted().filter { name in
      FileManager.default.fileExists(
        atPath: path.appendingPathComponent(name).appendingPathComponent(BackupManifest.fileName).path)
    }
    guard !found.isEmpty else {
      throw VaultError(
        .notAVault, "There is no backup in \(path.path).",
        hint: "Give the folder you backed up to with `evidence backup --to`.")
    }
    guard found.count == 1 else {
      throw VaultError(
        .invalidInput, "\(path.path) holds the backups of \(found.count) vaults, so it is not clear which to restore.",
        hint: "Give one of them: \(found.map { path.appendingPathComponent($0).path }.joined(separator: ", ")).")
    }
    return path.appendingPathComponent(found[0])
  }

  /// Refuses a target that is not a folder, or lies inside the vault (a backup there is lost with the vault).
  static func checkTarget(_ target: URL, vault: URL) throws(VaultError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw VaultError(
        .invalidInput, "There is no folder \(target.path) to back up to.",
        hint: "Plug in the disk, or make the folder first.")
    }
    let targetPath = target.resolvingSymlinksInPath().standardizedFileURL.path
    let vaultPath = vault.resolvingSymlinksInPath().standardizedFileURL.path
    guard targetPath != vaultPath, !targetPath.hasPrefix(vaultPath.hasSuffix("/") ? vaultPath : vaultPath + "/") else {
      throw VaultError(
        .invalidInput, "\(target.path) is inside the vault folder: a backup there would be lost with the vault.",
        hint: "Back up to another disk (a USB stick) or a synced folder outside the vault.")
    }
  }

  /// What to say about backups now: the last one, or (once a week, in a vault with records) that there is none.
  /// A reminder is noted in `backup.sealed`, so the next comes a week later.
  public func backupNotice() -> BackupNotice? {
    let details = BackupDetails.read(in: folder, vaultId: vaultIdBytes, key: keys.backupStateKey)
    let head = integrity.head.sequence
    if let last = details.last {
      return .last(
        BackupStatus(
          madeAt: last.madeAt, target: last.target, recordsNotInBackup: head - min(head, last.recordCount)))
    }
    if let reach = BackupReach.read(in: folder) {
      return .last(BackupStatus(madeAt: nil, target: nil, recordsNotInBackup: head - min(head, reach.recordCount)))
    }
    let now = clock()
    guard head > 0, readOnlyReason == nil, integrity.isIntact else { return nil }
    if let remindedAt = details.remindedAt, now.timeIntervalSince(remindedAt) < Self.backupReminderInterval,
      remindedAt <= now
    {
      return nil
    }
    var noted = details
    noted.remindedAt = now
    try? noted.write(in: folder, vaultId: vaultIdBytes, key: keys.backupStateKey)
    return .noneReminder
  }

  /// True when a backup was made of everything in the journal of the vault in `folder`: read without the
  /// passphrase from `backup.json` and the journal's length (for `wipe`).
  public static func hasBackupOfEveryRecord(at folder: URL) -> Bool {
    guard let reach = BackupReach.read(in: folder),
      let size = BackupFiles.size(of: folder.appendingPathComponent(Layout.journal))
    else { return false }
    return Int64(reach.journalByteCount) >= size
  }
}
