import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Vault {
  // MARK: - Opening

  /// Opens the vault in `folder`, verifying every record and the chain.
  ///
  /// A vault that does not verify still opens; `integrity` says what is wrong and writing is refused.
  /// An unfinished append at the end of the journal (a crash during a save that was never acknowledged) is moved
  /// to `quarantine/` and cut off; `integrity.notices` says so. With `takingInInbox`, quick notes waiting in
  /// `inbox/` are then added to the journal (see `takeInInbox`), and `integrity.notices` says which.
  /// A change of keys that was interrupted (`rekey.pending`) is finished first, with the old or the new
  /// passphrase; `integrity.notices` says so.
  /// - Throws: `notAVault`, `unsupportedVersion`, `headerDamaged`, `unsafeHeaderParameters`, `wrongPassphrase`,
  ///   `busy`, `fileSystem`, `outOfMemory`.
  /// A wrong passphrase is recorded in `inbox/` (when, `attempt`'s command and how the passphrase came; nothing of
  /// the passphrase) before `wrongPassphrase` is thrown, and becomes an `access` record at the next unlock
  /// (`newAccessAttempts`). Nothing is written on a disk that cannot be written to, and a failure to write it is
  /// ignored: the error is the same either way.
  /// - Parameters:
  ///   - rekeyProgress: bytes done and in all of finishing an interrupted change of keys, if there is one.
  ///   - attempt: which command asks, and whether the passphrase was typed at the terminal.
  public static func open(
    at folder: URL, passphrase: borrowing SecretBytes, clock: @escaping () -> Date = Date.init,
    rekeyProgress: Progress = { _, _ in }, takingInInbox: Bool = true, attempt: UnlockAttempt = .unnamed
  ) throws(VaultError) -> Vault {
    let headerURL = folder.appendingPathComponent(Layout.header)
    guard FileManager.default.fileExists(atPath: headerURL.path) else {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory)
      throw VaultError(
        .notAVault,
        exists
          ? "\(folder.path) is not an evidence vault (it has no vault.json)." : "There is no vault at \(folder.path).",
        hint: "Make one with `evidence init`, or point --vault at the folder that holds your vault.")
    }
    let lock = try VaultLock(folder: folder, timeout: lockTimeout)
    // Repairs write to the disk; on a read-only or full disk they are done in memory only, and the vault opens
    // to read and export.
    var readOnlyReason = DiskState.readOnlyReason(folder)
    func repair(_ write: () throws(VaultError) -> Void) throws(VaultError) -> Bool {
      guard readOnlyReason == nil else { return false }
      do throws(VaultError) {
        try write()
        return true
      } catch {
        guard let reason = DiskState.readOnlyReason(folder, after: error) else { throw error }
        readOnlyReason = reason
        return false
      }
    }
    var header = try VaultHeader.decode(
      DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
    // A change of keys that was interrupted is finished first, with either passphrase.
    var finishedRekey: RekeyOutcome?
    let masterKey = try unlock(
      folder: folder, header: &header, passphrase: passphrase, progress: rekeyProgress, finished: &finishedRekey,
      attempt: attempt, now: clock)
    let keys = VaultKeys(masterKey: masterKey)
    guard let vaultId = Hex.decode(header.vaultId, byteCount: 16) else {
      preconditionFailure("header was checked")
    }
    guard Hex.decode(header.inboxPublicKey) == keys.inboxPublicKey else {
      throw VaultError(.headerDamaged, "The vault header's inbox key does not belong to this vault.")
    }

    let journalURL = folder.appendingPathComponent(Layout.journal)
    var frameVersion: JournalFormat.Version = header.version == 1 ? .v1 : .v2
    var reader = JournalReader(vaultId: vaultId, version: frameVersion)
    var journalSize = 0
    if FileManager.default.fileExists(atPath: journalURL.path) {
      var source = try JournalFileWindow(path: journalURL.path)
      defer { source.close() }
      journalSize = source.endOffset
      let magic = JournalFormat.magicV2
      var startsWithMagic = false
      if source.endOffset >= magic.count {
        startsWithMagic = try source.withBytes(in: 0..<magic.count) { Array($0) == magic }
      }
      if startsWithMagic && frameVersion == .v1 {
        // An upgrade wrote the new journal but stopped before the header said so: finish it.
        _ = try repair { () throws(VaultError) in
          try finishUpgrade(folder: folder, header: header, passphrase: passphrase)
        }
        frameVersion = .v2
        reader = JournalReader(vaultId: vaultId, version: .v2)
      }
      if frameVersion == .v2 && !startsWithMagic && journalSize > 0 {
        // Damage to the first bytes costs nothing else: the frames after them are read as usual.
        reader.report.problems.append(
          IntegrityProblem(
            kind: .journalVersionMismatch,
            message:
              "The first bytes of the journal file (journal.log), which say its format, are damaged; the records after them were read as usual."
          ))
      }
      reader.read(&source, from: min(journalSize, JournalFormat.firstFrameOffset(frameVersion)), key: keys.recordKey)
    } else {
      reader.report.problems.append(
        IntegrityProblem(
          kind: .journalMissing,
          message: "The journal file (journal.log) is missing from the vault folder: no record can be read."))
    }
    Upgrade.removeLeftoverOldJournal(in: folder, headerVersion: frameVersion.rawValue)

    let checkpoint = readCheckpoint(folder: folder, vaultId: vaultId, publicKey: keys.signing.publicKey)
    if let marker = WriteMarker.read(in: folder) {
      if isUnfinishedWrite(marker, journalSize: journalSize, reader: reader, checkpoint: checkpoint) {
        // A write of several records died before it was acknowledged: keep its bytes aside and cut the journal
        // back to where it began. Until that can be done on disk, its records are left out here.
        let tailCount = journalSize - marker.journalSize
        reader.cut(to: marker.sequence)
        let cut = try repair { () throws(VaultError) in
          let tail = try DurableFiles.read(journalURL, range: marker.journalSize..<journalSize)
          try quarantine(tail, in: folder, named: "unfinished-write")
          try truncateJournal(journalURL, to: marker.journalSize)
          journalSize = marker.journalSize
        }
        reader.report.notices.append(
          cut
            ? "A save of several records (an import, or an entry with its attachments) was interrupted before it finished, so none of them were kept (their \(tailCount) encrypted bytes were moved to quarantine/). Do it again."
            : "A save of several records (an import, or an entry with its attachments) was interrupted before it finished; none of them are shown. They are set aside when the vault is next opened on a disk that can be written to."
        )
      }
      _ = try repair { () throws(VaultError) in try WriteMarker.remove(in: folder) }
    }
    if let torn = reader.tornTail {
      let tailCount = journalSize - torn
      let verified = reader.report.head.sequence
      if let checkpoint, checkpoint.sequence <= verified {
        // The signed head proves this append was never acknowledged: keep its bytes aside and cut it off.
        let cut = try repair { () throws(VaultError) in
          let tail = try DurableFiles.read(journalURL, range: torn..<journalSize)
          try quarantine(tail, in: folder, named: "unfinished-save")
          try truncateJournal(journalURL, to: torn)
          journalSize = torn
        }
        reader.report.notices.append(
          cut
            ? "An unfinished save (\(tailCount) bytes, never reported as saved) was found at the end of the journal; it was moved to quarantine/ and the journal was repaired."
            : "An unfinished save (\(tailCount) bytes, never reported as saved) was found at the end of the journal; it is left out, and set aside when the vault is next opened on a disk that can be written to."
        )
      } else {
        // It may have been acknowledged: leave every byte where it is and report it.
        reader.report.problems.append(
          IntegrityProblem(
            kind: .recordIncomplete(sequence: verified + 1),
            message:
              "Record \(verified + 1) of the journal is incomplete: the file ends \(tailCount) bytes into it. It was cut off after it was saved, or the signed head is missing. \(IntegrityProblem.readableSummary(before: verified + 1))"
          ))
      }
    }
    var report = reader.report
    if let finishedRekey { report.notices.insert(Rekey.finishedNotice(finishedRekey), at: 0) }
    checkHead(&report, checkpoint: checkpoint, records: reader.records, vaultId: vaultId)
    if let checkpoint, report.isIntact, checkpoint.sequence < report.head.sequence {
      // A save whose head could not be signed (or a crash just before): sign the head the journal has.
      let head = report.head
      _ = try repair { () throws(VaultError) in
        try DurableFiles.replace(
          folder.appendingPathComponent(HeadCheckpoint.fileName),
          with: HeadCheckpoint.make(head: head, vaultId: vaultId, signer: keys.signing).encoded())
      }
    }
    report.notices += leftoverTemporaryFiles(in: folder)
    if let readOnlyReason { report.notices.append("The vault is open to read only: \(readOnlyReason)") }
    let vault = Vault(
      folder: folder, vaultId: vaultId, frameVersion: frameVersion, keys: keys, lock: lock, records: reader.records,
      integrity: report, journalSize: journalSize, readOnlyReason: readOnlyReason, clock: clock)
    // Quick notes written without the passphrase since the last open join the journal now (a vault that is
    // damaged or open to read only keeps them in inbox/ until it can be written to).
    if takingInInbox {
      let (intake, notices) = vault.takeInInbox()
      vault.inboxIntake = intake
      vault.integrity.notices += notices
    }
    return vault
  }

  /// True when `marker` is left by a write that never committed, and cutting the journal back to it loses
  /// nothing that was ever acknowledged: the signed head is authentic and not past the import's start, and the
  /// marker names a frame boundary of records that verify, with bytes after it.
  private static func isUnfinishedWrite(
    _ marker: WriteMarker, journalSize: Int, reader: JournalReader, checkpoint: HeadCheckpoint?
  ) -> Bool {
    guard let checkpoint, checkpoint.sequence <= marker.sequence, marker.journalSize < journalSize else {
      return false
    }
    if marker.sequence == 0 { return marker.journalSize == JournalFormat.firstFrameOffset(reader.version) }
    guard let index = reader.index(ofSequence: marker.sequence), Int(marker.sequence) == index + 1 else {
      return false
    }
    return reader.frameEnds[index] == marker.journalSize
  }

  static func unwrapMasterKey(
    _ header: VaultHeader, passphrase: borrowing SecretBytes
  ) throws(VaultError) -> SecretBytes {
    guard let salt = Hex.decode(header.kdf.salt), let nonce = Hex.decode(header.wrappedMasterKey.nonce),
      let ciphertext = Hex.decode(header.wrappedMasterKey.ciphertext)
    else { preconditionFailure("header was checked") }
    let kek = try deriveKeyEncryptionKey(passphrase: passphrase, salt: salt, header: header)
    do {
      return try AEAD.openSecret(ciphertext, nonce: nonce, associatedData: header.wrapAssociatedData, key: kek)
    } catch {
      throw VaultError(
        .wrongPassphrase, "The passphrase is wrong (or the vault header was altered).",
        hint: "Check Caps Lock and the keyboard layout (å, ä, ö), then try again.")
    }
  }

  /// The signed head, if it is present and signed by this vault.
  private static func readCheckpoint(folder: URL, vaultId: [UInt8], publicKey: [UInt8]) -> HeadCheckpoint? {
    let url = folder.appendingPathComponent(HeadCheckpoint.fileName)
    guard let bytes = try? DurableFiles.read(url, limit: 4096),
      let checkpoint = try? JSONDecoder().decode(HeadCheckpoint.self, from: Data(bytes)),
      checkpoint.isAuthentic(vaultId: vaultId, publicKey: publicKey)
    else { return nil }
    return checkpoint
  }

  private static func checkHead(
    _ report: inout IntegrityReport, checkpoint: HeadCheckpoint?, records: [StoredRecord], vaultId: [UInt8]
  ) {
    guard let checkpoint else {
      report.problems.append(
        IntegrityProblem(
          kind: .headNotAuthentic,
          message:
            "The signed journal head (head.json) is missing or altered, so removal of the last records cannot be ruled out."
        ))
      return
    }
    guard report.isIntact else { return }  // the damage already reported explains any difference
    if checkpoint.sequence > report.head.sequence {
      report.problems.append(
        IntegrityProblem(
          kind: .recordsMissingFromEnd(expected: checkpoint.sequence, found: report.head.sequence),
          message:
            "The journal has \(report.head.sequence) records, but it had \(checkpoint.sequence): \(checkpoint.sequence - report.head.sequence == 1 ? "the last record was" : "the last \(checkpoint.sequence - report.head.sequence) were") removed."
        ))
    } else if Hex.encode(
      checkpoint.sequence == 0 ? Chain.genesis(vaultId: vaultId) : records[Int(checkpoint.sequence) - 1].chain)
      != checkpoint.chain
    {
      report.problems.append(
        IntegrityProblem(
          kind: .headMismatch(sequence: checkpoint.sequence),
          message:
            "The journal up to record \(checkpoint.sequence) is not the one that was saved: records were replaced."))
    }
  }

  /// Temporary files left by a write that a crash interrupted: reported, never deleted (they may hold the only
  /// copy of something), except a leftover of the signed head, which holds nothing but a head, and of
  /// `rekey.pending`, whose change of keys never began: both are removed.
  private static func leftoverTemporaryFiles(in folder: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    var notices: [String] = []
    for name in names.sorted() where name.hasPrefix(".") && name.contains(DurableFiles.temporaryMarker) {
      if name.hasPrefix(".\(HeadCheckpoint.fileName)\(DurableFiles.temporaryMarker)")
        || name.hasPrefix(".\(RekeyPending.fileName)\(DurableFiles.temporaryMarker)")
      {
        unlink(folder.appendingPathComponent(name).path)
      } else {
        notices.append(
          "A temporary file from an interrupted write was found: \(name). It was left in place; nothing in the journal depends on it."
        )
      }
    }
    return notices
  }

  /// Keeps `bytes` in `quarantine/` under a name no other file has.
  private static func quarantine(_ bytes: [UInt8], in folder: URL, named name: String) throws(VaultError) {
    let quarantineFolder = folder.appendingPathComponent(Layout.quarantine)
    try DurableFiles.makeFolder(quarantineFolder)
    let stamp = WhenFormatter.rfc3339UTC(Date()).replacingOccurrences(of: ":", with: "")
    let unique = Hex.encode(Sodium.randomBytes(4))
    try DurableFiles.create(quarantineFolder.appendingPathComponent("\(name)-\(stamp)-\(unique).bin"), with: bytes)
  }

  /// Moves a file into `quarantine/` (keeping its name, made unique), durably; returns its name there.
  @discardableResult
  static func moveToQuarantine(_ url: URL, in folder: URL) throws(VaultError) -> String {
    let quarantineFolder = folder.appendingPathComponent(Layout.quarantine)
    try DurableFiles.makeFolder(quarantineFolder)
    let unique = Hex.encode(Sodium.randomBytes(4))
    let destination = quarantineFolder.appendingPathComponent("\(url.lastPathComponent)-\(unique)")
    guard rename(url.path, destination.path) == 0 else {
      throw .fileSystem("move to quarantine", url.path, errno: errno)
    }
    try DurableFiles.syncFolder(quarantineFolder)
    try DurableFiles.syncFolder(url.deletingLastPathComponent())
    return destination.lastPathComponent
  }

  private static func truncateJournal(_ url: URL, to size: Int) throws(VaultError) {
    let descriptor = Glibc.open(url.path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("repair", url.path, errno: errno) }
    defer { close(descriptor) }
    guard ftruncate(descriptor, off_t(size)) == 0 else { throw .fileSystem("repair", url.path, errno: errno) }
    try DurableFiles.sync(descriptor, path: url.path)
  }
}
