import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `Vault.upgrade` did.
public enum UpgradeOutcome: Equatable, Sendable {
  /// The journal was rewritten in version 2: `records` records, the chain head unchanged.
  case upgraded(records: UInt64, head: String)
  /// The vault was already in the newest version; nothing was changed.
  case alreadyCurrent
}

/// Rewriting a version 1 vault into version 2 (docs/FORMAT.md, "Upgrading"), crash-safe at every step.
///
/// The records keep their bytes, so their leaves, the chain, the signed head, anchors and earlier exports stay
/// valid. The order of the steps makes a crash at any point leave either the old vault or the new one:
/// 1. every record is sealed anew into `journal-v2.partial`, which is fsynced and read back: every record must
///    decrypt to the same bytes and the chain must end at the same head;
/// 2. `journal-v1.log` is made a second name of the old journal (a hard link), so the old bytes outlive step 3;
/// 3. `journal-v2.partial` is renamed over `journal.log` (from here on the journal is version 2, which its first
///    bytes say);
/// 4. `vault.json` is rewritten with version 2 (the master key re-wrapped, since the version is in the wrap's
///    additional data);
/// 5. `journal-v1.log` is removed.
/// Opening finishes an upgrade that stopped after step 3 and removes what an earlier stop left behind.
enum Upgrade {
  static let partialJournal = "journal-v2.partial"
  static let oldJournal = "journal-v1.log"

  /// The steps, for tests that stop an upgrade after one of them as a crash would.
  enum Step: Int, CaseIterable, Comparable, Sendable {
    case wrotePartial = 1
    case linkedOld
    case replacedJournal
    case rewroteHeader
    static func < (a: Step, b: Step) -> Bool { a.rawValue < b.rawValue }
  }

  /// The message of the error a test's stop throws.
  static let stopMessage = "The upgrade was stopped here for a test."

  static func stop(after step: Step, _ requested: Step?) throws(VaultError) {
    if step == requested { throw VaultError(.fileSystem, stopMessage) }
  }

  /// Removes the leftovers of an interrupted upgrade, which hold nothing the vault does not: a partial new journal
  /// (the old one is still in place) and, once the header says version 2, the old journal's second name; while the
  /// header still says version 1, that name is a hard link to the journal itself.
  static func removeLeftoverOldJournal(in folder: URL, headerVersion: Int) {
    var removed = false
    let partial = folder.appendingPathComponent(partialJournal).path
    if access(partial, F_OK) == 0, unlink(partial) == 0 { removed = true }
    let old = folder.appendingPathComponent(oldJournal).path
    if access(old, F_OK) == 0,
      isSameFile(old, folder.appendingPathComponent(Vault.Layout.journal).path)
        || headerVersion == 2
    {
      if unlink(old) == 0 { removed = true }
    }
    if removed { try? DurableFiles.syncFolder(folder) }
  }

  private static func isSameFile(_ first: String, _ second: String) -> Bool {
    var a = stat()
    var b = stat()
    guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino
  }
}

extension Vault {
  /// Rewrites the vault in `folder` into the newest format (version 2), in which damage to one record costs only
  /// that record. Records, leaves, chain values, the signed head and anchors stay exactly as they are.
  ///
  /// - Parameter progress: called with the records written so far and the total.
  /// - Throws: as `open`, `vaultDamaged` for a vault that does not verify (nothing is changed), `diskFull`,
  ///   `fileSystem`.
  public static func upgrade(
    at folder: URL, passphrase: borrowing SecretBytes, clock: @escaping () -> Date = Date.init,
    progress: (Int, Int) -> Void = { _, _ in }, attempt: UnlockAttempt = .unnamed
  ) throws(VaultError) -> UpgradeOutcome {
    try upgrade(
      at: folder, passphrase: passphrase, clock: clock, progress: progress, attempt: attempt, stoppingAfter: nil)
  }

  /// `upgrade`, stopping after `step` as a crash there would (for tests).
  static func upgrade(
    at folder: URL, passphrase: borrowing SecretBytes, clock: @escaping () -> Date = Date.init,
    progress: (Int, Int) -> Void = { _, _ in }, attempt: UnlockAttempt = .unnamed, stoppingAfter step: Upgrade.Step?
  ) throws(VaultError) -> UpgradeOutcome {
    // Quick notes wait: an upgrade rewrites exactly the records there are; the next open takes them in.
    let vault = try open(at: folder, passphrase: passphrase, clock: clock, takingInInbox: false, attempt: attempt)
    guard vault.journalVersion == 1 else { return .alreadyCurrent }
    guard vault.integrity.isIntact else {
      throw VaultError(
        .vaultDamaged, "The vault does not verify, so it was not upgraded; nothing was changed.",
        hint:
          "Run `evidence verify` to see what is wrong, and keep a copy of the whole vault folder. An upgrade rewrites only a journal that verifies."
      )
    }
    try vault.ensureWritable()
    let records = vault.records
    let head = vault.integrity.head

    // 1. The new journal, beside the old one.
    let partial = folder.appendingPathComponent(Upgrade.partialJournal)
    unlink(partial.path)
    let descriptor = Glibc.open(partial.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DurableFiles.fileMode)
    guard descriptor >= 0 else { throw .fileSystem("create", partial.path, errno: errno) }
    do throws(VaultError) {
      defer { close(descriptor) }
      var batch = JournalFormat.magicV2
      var previous = Chain.genesis(vaultId: vault.vaultIdBytes)
      for (offset, record) in records.enumerated() {
        batch += JournalFormat.seal(
          recordBytes: record.bytes, version: .v2, vaultId: vault.vaultIdBytes, sequence: record.sequence,
          previousChain: previous, key: vault.keys.recordKey)
        previous = record.chain
        if batch.count >= writeBatchByteCount {
          try DurableFiles.writeAll(descriptor, batch, path: partial.path)
          batch.removeAll(keepingCapacity: true)
          progress(offset + 1, records.count)
        }
      }
      try DurableFiles.writeAll(descriptor, batch, path: partial.path)
      try DurableFiles.sync(descriptor, path: partial.path)
      progress(records.count, records.count)
    } catch {
      unlink(partial.path)
      throw error
    }
    // Read it back: the same records, the same chain, nothing else.
    var reader = JournalReader(vaultId: vault.vaultIdBytes, version: .v2)
    do throws(VaultError) {
      var source = try JournalFileWindow(path: partial.path)
      defer { source.close() }
      reader.read(&source, from: JournalFormat.magicV2.count, key: vault.keys.recordKey)
    } catch {
      unlink(partial.path)
      throw error
    }
    guard reader.report.problems.isEmpty, reader.tornTail == nil, reader.report.head == head,
      reader.records.count == records.count,
      zip(reader.records, records).allSatisfy({ $0.bytes == $1.bytes && $0.chain == $1.chain })
    else {
      unlink(partial.path)
      throw VaultError(
        .fileSystem, "The rewritten journal did not read back the same as the old one, so the vault was not upgraded.",
        hint: "Nothing was changed. Check the disk (it may be failing) and keep a copy of the whole vault folder.")
    }
    try DurableFiles.syncFolder(folder)
    try Upgrade.stop(after: .wrotePartial, step)

    // 2. and 3. The old journal keeps a second name while the new one takes its place.
    let journal = folder.appendingPathComponent(Layout.journal)
    let old = folder.appendingPathComponent(Upgrade.oldJournal)
    unlink(old.path)
    guard link(journal.path, old.path) == 0 else { throw .fileSystem("keep a copy of", journal.path, errno: errno) }
    try DurableFiles.syncFolder(folder)
    try Upgrade.stop(after: .linkedOld, step)
    guard rename(partial.path, journal.path) == 0 else { throw .fileSystem("replace", journal.path, errno: errno) }
    try DurableFiles.syncFolder(folder)
    try Upgrade.stop(after: .replacedJournal, step)

    // 4. and 5. The header says version 2; the old journal goes.
    let headerURL = folder.appendingPathComponent(Layout.header)
    let header = try VaultHeader.decode(
      DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
    try finishUpgrade(folder: folder, header: header, passphrase: passphrase)
    try Upgrade.stop(after: .rewroteHeader, step)
    Upgrade.removeLeftoverOldJournal(in: folder, headerVersion: 2)
    return .upgraded(records: head.sequence, head: head.hashHex)
  }

  /// Rewrites the header of a vault whose journal is already version 2 to say so: the master key is re-wrapped,
  /// because the version is part of the wrap's additional data.
  static func finishUpgrade(
    folder: URL, header: VaultHeader, passphrase: borrowing SecretBytes
  ) throws(VaultError) {
    guard header.version == 1, let salt = Hex.decode(header.kdf.salt) else { return }
    let masterKey = try unwrapMasterKey(header, passphrase: passphrase)
    var upgraded = header
    upgraded.version = JournalFormat.Version.v2.rawValue
    try wrap(masterKey, into: &upgraded, passphrase: passphrase, salt: salt)
    try DurableFiles.replace(folder.appendingPathComponent(Layout.header), with: upgraded.encoded())
  }
}
