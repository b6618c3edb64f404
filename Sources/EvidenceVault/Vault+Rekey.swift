import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `Vault.rekey` did.
public struct RekeyOutcome: Equatable, Sendable {
  /// How many records were sealed anew, each with its exact bytes.
  public internal(set) var records: UInt64
  /// How many blob files (attachments) are now under the new key.
  public internal(set) var blobFiles: Int
  /// Blob files that did not decrypt under the old key to their end (damaged before the change); they were left
  /// exactly as they were.
  public internal(set) var unreadableBlobs: [String]
  /// The signing key's fingerprint before the change, and after it.
  public internal(set) var oldFingerprint: String
  public internal(set) var newFingerprint: String
  /// True when this finished a change of keys that was interrupted earlier, with the passphrase chosen then,
  /// instead of starting a new one.
  public internal(set) var finishedInterrupted: Bool
  /// The wrong passphrases given since the vault was last opened, taken in by the open the change began with.
  public internal(set) var newAccessAttempts: [AccessAttempt] = []
}

/// Changing the master key (docs/FORMAT.md, "Changing the keys"), crash-safe and resumable at every step.
///
/// The vault id and every record's bytes stay, so leaves, chain values, the head and anchor codes stay too; blob
/// files keep their names. Everything derived from the master key changes, the signing key included. Under the
/// vault's lock:
/// 1. `rekey.pending` is written: both headers, the head, and the new master key wrapped under the old passphrase
///    and the old one under the new, so that the next open can finish with either passphrase;
/// 2. every record is sealed anew under the new record key into `journal.rekey`, fsynced and read back: every
///    record must decrypt to the same bytes and the chain must end at the same head;
/// 3. every blob file is re-encrypted under the new blob key into a temporary file beside it, fsynced, renamed
///    over it; a blob whose first chunk already authenticates under the new key is skipped;
/// 4. `journal.rekey` is renamed over `journal.log`, `vault.json` replaced with the new header, `head.json` signed
///    with the new key, and `rekey.pending` removed.
/// Opening a vault that has `rekey.pending` carries out what is left of 2 to 4 first; each step can be done again.
enum Rekey {
  static let newJournal = "journal.rekey"

  /// The steps, for tests that stop a change of keys after one of them as a crash would.
  enum Step: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case wrotePending = 1
    case wroteJournal
    case resealedFirstBlob
    case resealedBlobs
    case replacedJournal
    case replacedHeader
    case signedHead
    static func < (a: Step, b: Step) -> Bool { a.rawValue < b.rawValue }
    var description: String { "\(rawValue)" }
  }

  /// The message of the error a test's stop throws.
  static let stopMessage = "The change of keys was stopped here for a test."

  static func stop(after step: Step, _ requested: Step?) throws(VaultError) {
    if step == requested { throw VaultError(.fileSystem, stopMessage) }
  }

  /// The notice an open gives after finishing an interrupted change of keys.
  static func finishedNotice(_ outcome: RekeyOutcome) -> String {
    "An interrupted change of keys was finished; the vault now opens only with the new passphrase, and its fingerprint is now \(outcome.newFingerprint) (it was \(outcome.oldFingerprint))."
  }

  /// Both master keys of a change of keys.
  struct MasterKeys: ~Copyable {
    let old: SecretBytes
    let new: SecretBytes
  }
}

extension Vault {
  // MARK: - Changing the keys

  /// Makes a new master key and re-encrypts every record and attachment under it, with a new passphrase.
  ///
  /// Someone who kept a copy of `vault.json` and knows the old passphrase can read nothing written after this. The
  /// records keep their bytes (leaves, chain, anchors unchanged) and blob files their names; the signing key
  /// changes, so the fingerprint does. A crash at any point leaves the old vault, or a change that the next open
  /// finishes with either passphrase. A change interrupted earlier is finished instead (`finishedInterrupted`).
  /// - Parameter progress: bytes done and bytes in all (journal and blob files).
  /// - Throws: as `open`; `unsupportedVersion` for a version 1 vault, `vaultDamaged` for one that does not verify
  ///   (nothing is changed), `diskFull`, `fileSystem`.
  public static func rekey(
    at folder: URL, from oldPassphrase: borrowing SecretBytes, to newPassphrase: borrowing SecretBytes,
    strength: KDFStrength? = nil, clock: @escaping () -> Date = Date.init, progress: Progress = { _, _ in },
    attempt: UnlockAttempt = .unnamed
  ) throws(VaultError) -> RekeyOutcome {
    try rekey(
      at: folder, from: oldPassphrase, to: newPassphrase, strength: strength, clock: clock, progress: progress,
      attempt: attempt, stoppingAfter: nil)
  }

  /// `rekey`, stopping after `step` as a crash there would (for tests).
  static func rekey(
    at folder: URL, from oldPassphrase: borrowing SecretBytes, to newPassphrase: borrowing SecretBytes,
    strength: KDFStrength? = nil, clock: @escaping () -> Date = Date.init, progress: Progress = { _, _ in },
    attempt: UnlockAttempt = .unnamed, stoppingAfter step: Rekey.Step?
  ) throws(VaultError) -> RekeyOutcome {
    let headerURL = folder.appendingPathComponent(Layout.header)
    if RekeyPending.exists(in: folder), FileManager.default.fileExists(atPath: headerURL.path) {
      let lock = try VaultLock(folder: folder, timeout: lockTimeout)
      defer { withExtendedLifetime(lock) {} }
      var header = try VaultHeader.decode(
        DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
      var finished: RekeyOutcome?
      _ = try unlock(
        folder: folder, header: &header, passphrase: oldPassphrase, progress: progress, finished: &finished,
        attempt: attempt, now: clock)
      guard let finished else { preconditionFailure("a pending change of keys was finished") }
      return finished
    }

    let vault = try open(at: folder, passphrase: oldPassphrase, clock: clock, attempt: attempt)
    guard vault.journalVersion == 2 else {
      throw VaultError(
        .unsupportedVersion, "This vault is in format version 1, whose keys cannot be changed; nothing was changed.",
        hint: "Run `evidence upgrade` first, then change the keys.")
    }
    guard vault.integrity.isIntact else {
      throw VaultError(
        .vaultDamaged, "The vault does not verify, so its keys were not changed; nothing was changed.",
        hint:
          "Run `evidence verify` to see what is wrong, and keep a copy of the whole vault folder. Only a vault that verifies is re-encrypted."
      )
    }
    let records = vault.records
    let head = vault.integrity.head
    try checkFreeSpace(folder: folder)

    // 1. Both keys, both headers and the cross wraps, durably, before anything else changes.
    let oldHeader = try VaultHeader.decode(
      DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
    guard let oldSalt = Hex.decode(oldHeader.kdf.salt) else { preconditionFailure("header was checked") }
    let oldKEK = try deriveKeyEncryptionKey(passphrase: oldPassphrase, salt: oldSalt, header: oldHeader)
    let oldMasterKey = try openWrap(
      oldHeader.wrappedMasterKey, associatedData: oldHeader.wrapAssociatedData, kek: oldKEK)
    let newMasterKey = SecretBytes(randomByteCount: SubkeyDerivation.masterKeyByteCount)
    let newKeys = VaultKeys(masterKey: newMasterKey)
    var newHeader = oldHeader
    let newSalt = Sodium.randomBytes(PasswordHash.saltByteCount)
    newHeader.kdf.salt = Hex.encode(newSalt)
    if let strength {
      newHeader.kdf.opsLimit = strength.opsLimit
      newHeader.kdf.memLimitBytes = strength.memLimitBytes
    }
    newHeader.inboxPublicKey = Hex.encode(newKeys.inboxPublicKey)
    let newKEK = try deriveKeyEncryptionKey(passphrase: newPassphrase, salt: newSalt, header: newHeader)
    newHeader.wrappedMasterKey = seal(newMasterKey, associatedData: newHeader.wrapAssociatedData, kek: newKEK)
    var pending = RekeyPending(
      format: RekeyPending.formatName, version: 1, oldHeader: oldHeader, newHeader: newHeader,
      head: .init(sequence: head.sequence, chain: head.hashHex),
      newKeyUnderOldPassphrase: .init(nonce: "", ciphertext: ""),
      oldKeyUnderNewPassphrase: .init(nonce: "", ciphertext: ""))
    pending.newKeyUnderOldPassphrase = seal(
      newMasterKey, associatedData: pending.associatedData(.newKeyUnderOldPassphrase), kek: oldKEK)
    pending.oldKeyUnderNewPassphrase = seal(
      oldMasterKey, associatedData: pending.associatedData(.oldKeyUnderNewPassphrase), kek: newKEK)
    try DurableFiles.replace(RekeyPending.url(in: folder), with: pending.encoded())
    try Rekey.stop(after: .wrotePending, step)

    // 2. to 4.
    do throws(VaultError) {
      var outcome = try carryOutRekey(
        folder: folder, pending: pending, vaultId: vault.vaultIdBytes, oldKeys: vault.keys, newKeys: newKeys,
        records: records, progress: progress, stoppingAfter: step)
      outcome.newAccessAttempts = vault.newAccessAttempts
      return outcome
    } catch let error where error.message != Rekey.stopMessage && RekeyPending.exists(in: folder) {
      throw VaultError(
        error.code, error.message.replacingOccurrences(of: " Nothing was changed.", with: ""),
        hint:
          "The change of keys was interrupted half-way; nothing is lost. It is finished the next time the vault is opened, with the old or the new passphrase."
      )
    }
  }

  /// True when a change of keys was interrupted in `folder`: the next open finishes it, which takes a while.
  public static func hasUnfinishedRekey(at folder: URL) -> Bool { RekeyPending.exists(in: folder) }

  /// The master key for `header`; when `rekey.pending` is there, the change of keys it records is finished first
  /// (with either passphrase), `header` becomes the new header, the new master key is returned and `finished`
  /// says what was done.
  ///
  /// A wrong passphrase is recorded in `inbox/` as a kind 3 item (`attempt`, at `now()`) before `wrongPassphrase` is
  /// thrown; writing it never changes that error.
  static func unlock(
    folder: URL, header: inout VaultHeader, passphrase: borrowing SecretBytes, progress: Progress = { _, _ in },
    finished: inout RekeyOutcome?, attempt: UnlockAttempt, now: () -> Date
  ) throws(VaultError) -> SecretBytes {
    do throws(VaultError) {
      return try unlockOrFinishRekey(
        folder: folder, header: &header, passphrase: passphrase, progress: progress, finished: &finished)
    } catch let error where error.code == .wrongPassphrase {
      // After a change of keys is finished the new inbox key opens the inbox: seal to it when one is pending.
      let publicKey = (try? RekeyPending.read(in: folder))?.newHeader.inboxPublicKey ?? header.inboxPublicKey
      FailedUnlockLog.record(attempt, at: now(), inboxPublicKey: publicKey, folder: folder)
      throw error
    }
  }

  private static func unlockOrFinishRekey(
    folder: URL, header: inout VaultHeader, passphrase: borrowing SecretBytes, progress: Progress,
    finished: inout RekeyOutcome?
  ) throws(VaultError) -> SecretBytes {
    guard RekeyPending.exists(in: folder) else { return try unwrapMasterKey(header, passphrase: passphrase) }
    let pending = try RekeyPending.read(in: folder)
    guard header == pending.oldHeader || header == pending.newHeader else {
      throw VaultError(
        .headerDamaged,
        "The record of an interrupted change of keys (\(RekeyPending.fileName)) does not belong to this vault's header, so it cannot be finished.",
        hint: "Keep a copy of the whole vault folder, and restore it from a backup if you have one.")
    }
    // The passphrase of the header in place now is the likelier one: try it first.
    let keys = try unwrapBoth(pending, passphrase: passphrase, newFirst: header == pending.newHeader)
    guard let vaultId = Hex.decode(pending.newHeader.vaultId, byteCount: 16) else {
      preconditionFailure("header was checked")
    }
    let oldKeys = VaultKeys(masterKey: keys.old)
    let newKeys = VaultKeys(masterKey: keys.new)
    guard Hex.decode(pending.oldHeader.inboxPublicKey) == oldKeys.inboxPublicKey,
      Hex.decode(pending.newHeader.inboxPublicKey) == newKeys.inboxPublicKey
    else {
      throw VaultError(.headerDamaged, "The vault header's inbox key does not belong to this vault.")
    }
    var outcome = try carryOutRekey(
      folder: folder, pending: pending, vaultId: vaultId, oldKeys: oldKeys, newKeys: newKeys, records: nil,
      progress: progress, stoppingAfter: nil)
    outcome.finishedInterrupted = true
    finished = outcome
    header = pending.newHeader
    return keys.new.duplicate()
  }

  /// Both master keys of a pending change, from either passphrase: its own header's wrap, then the cross wrap.
  private static func unwrapBoth(
    _ pending: RekeyPending, passphrase: borrowing SecretBytes, newFirst: Bool
  ) throws(VaultError) -> Rekey.MasterKeys {
    func withOld() throws(VaultError) -> Rekey.MasterKeys {
      let kek = try keyEncryptionKey(pending.oldHeader, passphrase: passphrase)
      let old = try openWrap(
        pending.oldHeader.wrappedMasterKey, associatedData: pending.oldHeader.wrapAssociatedData, kek: kek)
      let new = try openCrossWrap(
        pending.newKeyUnderOldPassphrase, associatedData: pending.associatedData(.newKeyUnderOldPassphrase), kek: kek)
      return Rekey.MasterKeys(old: old, new: new)
    }
    func withNew() throws(VaultError) -> Rekey.MasterKeys {
      let kek = try keyEncryptionKey(pending.newHeader, passphrase: passphrase)
      let new = try openWrap(
        pending.newHeader.wrappedMasterKey, associatedData: pending.newHeader.wrapAssociatedData, kek: kek)
      let old = try openCrossWrap(
        pending.oldKeyUnderNewPassphrase, associatedData: pending.associatedData(.oldKeyUnderNewPassphrase), kek: kek)
      return Rekey.MasterKeys(old: old, new: new)
    }
    do throws(VaultError) {
      return newFirst ? try withNew() : try withOld()
    } catch let error where error.code == .wrongPassphrase {
      return newFirst ? try withOld() : try withNew()
    }
  }

  private static func keyEncryptionKey(
    _ header: VaultHeader, passphrase: borrowing SecretBytes
  ) throws(VaultError) -> SecretBytes {
    guard let salt = Hex.decode(header.kdf.salt) else { preconditionFailure("header was checked") }
    return try deriveKeyEncryptionKey(passphrase: passphrase, salt: salt, header: header)
  }

  /// Opens a master-key wrap; a failure is a wrong passphrase (or an altered header: the two look the same).
  static func openWrap(
    _ wrap: VaultHeader.WrappedKey, associatedData: [UInt8], kek: borrowing SecretBytes
  ) throws(VaultError) -> SecretBytes {
    guard let nonce = Hex.decode(wrap.nonce), let ciphertext = Hex.decode(wrap.ciphertext) else {
      preconditionFailure("header was checked")
    }
    do {
      return try AEAD.openSecret(ciphertext, nonce: nonce, associatedData: associatedData, key: kek)
    } catch {
      throw VaultError(
        .wrongPassphrase, "The passphrase is wrong (or the vault header was altered).",
        hint: "Check Caps Lock and the keyboard layout (å, ä, ö), then try again.")
    }
  }

  /// Opens a cross wrap of `rekey.pending` once its header's own wrap opened: a failure is damage, not a wrong
  /// passphrase.
  private static func openCrossWrap(
    _ wrap: VaultHeader.WrappedKey, associatedData: [UInt8], kek: borrowing SecretBytes
  ) throws(VaultError) -> SecretBytes {
    do {
      return try openWrap(wrap, associatedData: associatedData, kek: kek)
    } catch {
      throw VaultError(
        .headerDamaged,
        "The record of an interrupted change of keys (\(RekeyPending.fileName)) was altered, so it cannot be finished.",
        hint: "Keep a copy of the whole vault folder, and restore it from a backup if you have one.")
    }
  }

  private static func seal(
    _ masterKey: borrowing SecretBytes, associatedData: [UInt8], kek: borrowing SecretBytes
  ) -> VaultHeader.WrappedKey {
    let (nonce, ciphertext) = AEAD.sealSecret(masterKey, associatedData: associatedData, key: kek)
    return .init(nonce: Hex.encode(nonce), ciphertext: Hex.encode(ciphertext))
  }

  /// Refuses to start when the disk cannot hold a second journal and a second copy of the largest blob.
  private static func checkFreeSpace(folder: URL) throws(VaultError) {
    var needed = Int64(fileSize(folder.appendingPathComponent(Layout.journal).path)) + (1 << 20)
    let store = BlobStore(folder: folder.appendingPathComponent(Layout.blobs))
    needed += store.inventory().blobs.map { Int64(fileSize(store.url(of: $0).path)) }.max() ?? 0
    var info = statvfs()
    guard statvfs(folder.path, &info) == 0 else { return }  // nothing known: the writes will say
    let free = Int64(info.f_bavail) * Int64(info.f_frsize)
    guard free >= needed else {
      throw VaultError(
        .diskFull,
        "There is not enough free space to change the keys: it needs about \(needed >> 20 + 1) MiB free (a copy of the journal and of the largest attachment), and \(free >> 20) MiB are. Nothing was changed.",
        hint: "Free some space and try again.")
    }
  }

  private static func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
  }

  /// Steps 2 to 4 of a change of keys, each skipped when it is done already: what a fresh change does after
  /// `rekey.pending` is written, and what an open does when it finds one. `records` are the old journal's, when
  /// they are in memory; otherwise they are read from `journal.log` if it is still under the old key.
  private static func carryOutRekey(
    folder: URL, pending: RekeyPending, vaultId: [UInt8], oldKeys: borrowing VaultKeys,
    newKeys: borrowing VaultKeys, records known: [StoredRecord]?, progress: Progress, stoppingAfter step: Rekey.Step?
  ) throws(VaultError) -> RekeyOutcome {
    let journalURL = folder.appendingPathComponent(Layout.journal)
    let rekeyedURL = folder.appendingPathComponent(Rekey.newJournal)
    let head = pending.headValue
    let store = BlobStore(folder: folder.appendingPathComponent(Layout.blobs))
    store.removeResealLeftovers()
    let blobs = store.inventory().blobs.map { (name: $0, size: Int64(fileSize(store.url(of: $0).path))) }

    // journal.rekey exists only until it is renamed over journal.log: while it is there, journal.log is the old one.
    var journalIsOld = known != nil || FileManager.default.fileExists(atPath: rekeyedURL.path)
    if !journalIsOld { journalIsOld = try !firstFrameOpens(journalURL, vaultId: vaultId, key: newKeys.recordKey) }
    let total = (journalIsOld ? Int64(fileSize(journalURL.path)) : 0) + blobs.reduce(0) { $0 + $1.size }
    var done: Int64 = 0
    progress(0, total)

    // 2. The new journal, beside the old one, read back.
    if journalIsOld {
      do throws(VaultError) {
        let records: [StoredRecord]
        if let known {
          records = known
        } else {
          records = try readIntactJournal(journalURL, vaultId: vaultId, key: oldKeys.recordKey, head: head)
        }
        try writeJournal(records, to: rekeyedURL, vaultId: vaultId, key: newKeys.recordKey, head: head) { written in
          done += written
          progress(min(done, total), total)
        }
      } catch {
        // Nothing of the old vault was touched yet: a change that has only just begun is given up whole.
        if known != nil {
          unlink(RekeyPending.url(in: folder).path)
          try? DurableFiles.syncFolder(folder)
        }
        throw error
      }
      try Rekey.stop(after: .wroteJournal, step)
    }

    // 3. Every blob file, in place.
    var outcome = RekeyOutcome(
      records: head.sequence, blobFiles: 0, unreadableBlobs: [],
      oldFingerprint: ExportCrypto.fingerprint(publicKey: Hex.encode(oldKeys.signing.publicKey)) ?? "",
      newFingerprint: ExportCrypto.fingerprint(publicKey: Hex.encode(newKeys.signing.publicKey)) ?? "",
      finishedInterrupted: false)
    var resealed = 0
    for blob in blobs {
      let before = done
      if !store.opens(blob.name, key: newKeys.blobKey) {
        do throws(BlobDecryptError) {
          try store.reseal(blob.name, from: oldKeys.blobKey, to: newKeys.blobKey) { count in
            done += count
            progress(min(done, total), total)
          }
          resealed += 1
        } catch {
          switch error {
          case .blob: outcome.unreadableBlobs.append(blob.name)  // damaged before: left exactly as it was
          case .vault(let failure): throw failure
          }
        }
      }
      done = before + blob.size
      progress(min(done, total), total)
      if resealed == 1 { try Rekey.stop(after: .resealedFirstBlob, step) }
    }
    outcome.blobFiles = blobs.count - outcome.unreadableBlobs.count
    try Rekey.stop(after: .resealedBlobs, step)

    // 4. The switch: journal, header, signed head; then the record of the change goes.
    if FileManager.default.fileExists(atPath: rekeyedURL.path) {
      guard rename(rekeyedURL.path, journalURL.path) == 0 else {
        throw .fileSystem("replace", journalURL.path, errno: errno)
      }
      try DurableFiles.syncFolder(folder)
    }
    try Rekey.stop(after: .replacedJournal, step)
    try DurableFiles.replace(folder.appendingPathComponent(Layout.header), with: pending.newHeader.encoded())
    try Rekey.stop(after: .replacedHeader, step)
    try DurableFiles.replace(
      folder.appendingPathComponent(HeadCheckpoint.fileName),
      with: HeadCheckpoint.make(head: head, vaultId: vaultId, signer: newKeys.signing).encoded())
    try Rekey.stop(after: .signedHead, step)
    guard unlink(RekeyPending.url(in: folder).path) == 0 || errno == ENOENT else {
      throw .fileSystem("remove", RekeyPending.url(in: folder).path, errno: errno)
    }
    try DurableFiles.syncFolder(folder)
    progress(total, total)
    return outcome
  }

  /// True when the journal's first frame authenticates under `key` (a journal without frames reads the same
  /// under any key).
  private static func firstFrameOpens(_ url: URL, vaultId: [UInt8], key: borrowing SecretBytes) throws(VaultError)
    -> Bool
  {
    let start = JournalFormat.firstFrameOffset(.v2)
    let lengthBytes = try DurableFiles.read(url, range: start..<(start + JournalFormat.lengthByteCount))
    guard lengthBytes.count == JournalFormat.lengthByteCount else { return true }
    let length = lengthBytes.withUnsafeBytes { Int(JournalFormat.bigEndian($0, count: JournalFormat.lengthByteCount)) }
    guard JournalFormat.isPossibleLength(length, .v2) else { return false }
    let bodyStart = start + JournalFormat.lengthByteCount
    let body = try DurableFiles.read(url, range: bodyStart..<(bodyStart + length))
    guard body.count == length else { return false }
    return body.withUnsafeBytes { frame in
      let sequence = JournalFormat.bigEndian(frame, count: JournalFormat.sequenceByteCount)
      let nonceEnd = JournalFormat.sequenceByteCount + AEAD.nonceByteCount
      return
        (try? AEAD.open(
          UnsafeRawBufferPointer(rebasing: frame[nonceEnd...]),
          nonce: UnsafeRawBufferPointer(rebasing: frame[JournalFormat.sequenceByteCount..<nonceEnd]),
          associatedData: JournalFormat.associatedDataV2(vaultId: vaultId, sequence: sequence), key: key)) != nil
    }
  }

  /// Every record of a version 2 journal that must verify whole and end at `head`.
  private static func readIntactJournal(
    _ url: URL, vaultId: [UInt8], key: borrowing SecretBytes, head: ChainHead
  ) throws(VaultError) -> [StoredRecord] {
    var reader = JournalReader(vaultId: vaultId, version: .v2)
    var source = try JournalFileWindow(path: url.path)
    defer { source.close() }
    reader.read(&source, from: min(source.endOffset, JournalFormat.firstFrameOffset(.v2)), key: key)
    guard reader.report.problems.isEmpty, reader.tornTail == nil, reader.report.head == head else {
      throw VaultError(
        .vaultDamaged,
        "An interrupted change of keys cannot be finished: the journal no longer reads back as it was when the change began.",
        hint:
          "Keep a copy of the whole vault folder (with \(RekeyPending.fileName)); nothing was changed. The disk may be failing."
      )
    }
    return reader.records
  }

  /// Seals every record anew into `url` (version 2, same sequence numbers and chain values), fsyncs it and reads
  /// it back: the same records, the same chain, nothing else. On any failure the file is removed.
  private static func writeJournal(
    _ records: [StoredRecord], to url: URL, vaultId: [UInt8], key: borrowing SecretBytes, head: ChainHead,
    progress: (Int64) -> Void
  ) throws(VaultError) {
    unlink(url.path)
    let descriptor = Glibc.open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DurableFiles.fileMode)
    guard descriptor >= 0 else { throw .fileSystem("create", url.path, errno: errno) }
    do throws(VaultError) {
      defer { close(descriptor) }
      fchmod(descriptor, DurableFiles.fileMode)
      var batch = JournalFormat.magicV2
      for record in records {
        batch += JournalFormat.seal(
          recordBytes: record.bytes, version: .v2, vaultId: vaultId, sequence: record.sequence,
          previousChain: record.chainBefore, key: key)
        if batch.count >= writeBatchByteCount {
          try DurableFiles.writeAll(descriptor, batch, path: url.path)
          progress(Int64(batch.count))
          batch.removeAll(keepingCapacity: true)
        }
      }
      try DurableFiles.writeAll(descriptor, batch, path: url.path)
      progress(Int64(batch.count))
      try DurableFiles.sync(descriptor, path: url.path)

      var reader = JournalReader(vaultId: vaultId, version: .v2)
      var source = try JournalFileWindow(path: url.path)
      defer { source.close() }
      reader.read(&source, from: JournalFormat.firstFrameOffset(.v2), key: key)
      guard reader.report.problems.isEmpty, reader.tornTail == nil, reader.report.head == head,
        reader.records.count == records.count,
        zip(reader.records, records).allSatisfy({ $0.bytes == $1.bytes && $0.chain == $1.chain })
      else {
        throw VaultError(
          .fileSystem,
          "The re-encrypted journal did not read back the same as the old one, so the keys were not changed.",
          hint: "Check the disk (it may be failing) and keep a copy of the whole vault folder.")
      }
      try DurableFiles.syncFolder(url.deletingLastPathComponent())
    } catch {
      unlink(url.path)
      throw error
    }
  }
}
