import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One decrypted, verified record and its place in the chain.
///
/// Opening a vault decrypts and chains every record but does not decode their JSON: that is done once, on first
/// use, by `Vault.index` (and here on demand), so verifying a large journal costs little more than the crypto.
public struct StoredRecord: Sendable {
  /// Position in the journal, from 1.
  public let sequence: UInt64
  /// The record's JSON exactly as stored and hashed.
  public let bytes: [UInt8]
  /// `SHA-256(0x00 ‖ bytes)`.
  public let leaf: [UInt8]
  /// The chain value after this record.
  public let chain: [UInt8]
  /// The chain value before this record. After a damaged record of a version 2 journal this is the value the
  /// record's own frame carries, which lets the chain go on past the damage.
  public let chainBefore: [UInt8]

  /// The decoded record (decoded anew on each call; `JournalIndex` decodes each record once).
  /// A record that authenticates but cannot be decoded, which only a newer or faulty writer could produce,
  /// is `.unknown(type: "unreadable")`: kept, counted in the chain, never dropped.
  public var record: Record {
    (try? RecordCodec.decode(bytes)) ?? .unknown(type: "unreadable", id: "")
  }
}

/// An unlocked evidence vault: the only way to read or write one.
///
/// Opening takes the vault's lock, unlocks the master key, decrypts every record and recomputes the chain.
/// The lock is held until the `Vault` is released. A vault that does not verify opens read-only: what verifies
/// can still be read and exported, nothing can be written. See docs/FORMAT.md for the bytes on disk.
public final class Vault {
  /// File and folder names inside a vault folder.
  enum Layout {
    static let header = "vault.json"
    static let journal = "journal.log"
    static let blobs = "blobs"
    static let inbox = "inbox"
    static let quarantine = "quarantine"
  }

  /// How long a command waits for another to release the vault.
  public static let lockTimeout: Double = 3

  /// The vault folder.
  public let folder: URL
  /// Every record that verifies, in journal order.
  ///
  /// Records an import appended are not kept in memory while it runs (a large import would otherwise hold every
  /// message's bytes): they are read back from the journal, decrypted and chained again, when first asked for.
  public var records: [StoredRecord] {
    readBackRecordsIfNeeded()
    return loadedRecords
  }
  private var loadedRecords: [StoredRecord]
  /// Where the records appended without being kept in memory start: their journal offset and the head before them.
  private var notLoaded: (offset: Int, head: ChainHead)?
  /// What opening found.
  public private(set) var integrity: IntegrityReport
  /// The device clock, replaceable in tests.
  let clock: () -> Date

  private let vaultId: [UInt8]
  /// The journal's frame format: version 1 until the vault is upgraded, version 2 for every new vault.
  public let journalVersion: Int
  private let frameVersion: JournalFormat.Version
  let keys: VaultKeys
  private let lock: VaultLock
  /// The journal's length on disk.
  private var journalSize: Int
  /// Frames appended without `durably` that are not written yet: an import writes them 4 MiB at a time.
  private var unwrittenFrames: [UInt8] = []
  /// The import's blobs still being stored: frames are written only once they are durable.
  var blobWriter: BackgroundBlobWriter?
  /// The journal's length with the frames not written yet.
  private var journalEnd: Int { journalSize + unwrittenFrames.count }
  /// The journal, open for writing from the first append until the vault is released.
  private var journalDescriptor: Int32 = -1
  private lazy var journalPath = folder.appendingPathComponent(Layout.journal).path
  private var cachedIndex: JournalIndex?
  /// The last `recordedAt` written, by its second.
  private var lastRecordedAt: (second: Int, text: String)?

  /// The journal as numbered incidents and people, decoded once and kept until the next write.
  public var index: JournalIndex {
    if let cachedIndex { return cachedIndex }
    let index = JournalIndex(records: records)
    cachedIndex = index
    return index
  }

  var vaultIdBytes: [UInt8] { vaultId }

  /// The record with this sequence number, if it verifies. (With damage in a version 2 journal, `records` skips the
  /// damaged numbers, so a record's place in `records` is not always its sequence number − 1.)
  public func record(sequence: UInt64) -> StoredRecord? {
    let records = self.records
    let guess = Int(clamping: sequence) - 1
    if records.indices.contains(guess), records[guess].sequence == sequence { return records[guess] }
    return records.first { $0.sequence == sequence }
  }

  /// Drops the decoded index (it is built again when next asked for): a large import need not hold it.
  func forgetIndex() { cachedIndex = nil }

  /// The vault's Ed25519 signing public key, which identifies it to a verifier.
  public var signingPublicKey: [UInt8] { keys.signing.publicKey }

  /// A short fingerprint of the signing key, as people read it aloud: SHA-256 of the key, first 16 bytes, in groups of four hex digits.
  public var fingerprint: String {
    ExportCrypto.fingerprint(publicKey: Hex.encode(keys.signing.publicKey)) ?? ""
  }

  private init(
    folder: URL, vaultId: [UInt8], frameVersion: JournalFormat.Version, keys: consuming VaultKeys, lock: VaultLock,
    records: [StoredRecord], integrity: IntegrityReport, journalSize: Int, clock: @escaping () -> Date
  ) {
    self.folder = folder
    self.vaultId = vaultId
    self.frameVersion = frameVersion
    self.journalVersion = frameVersion.rawValue
    self.keys = keys
    self.lock = lock
    self.loadedRecords = records
    self.integrity = integrity
    self.journalSize = journalSize
    self.clock = clock
  }

  // MARK: - Creating

  /// Makes a new, empty vault in `folder` (which must not exist or be empty) and opens it.
  ///
  /// - Throws: `alreadyExists`, `fileSystem`, `diskFull`, `outOfMemory`.
  public static func create(
    at folder: URL, passphrase: borrowing SecretBytes, strength: KDFStrength = .moderate,
    clock: @escaping () -> Date = Date.init
  ) throws(VaultError) -> Vault {
    try create(
      at: folder, passphrase: passphrase, opsLimit: strength.opsLimit, memLimitBytes: strength.memLimitBytes,
      clock: clock)
  }

  /// Makes a vault with explicit Argon2id costs (within the header caps); tests use the cheapest.
  static func create(
    at folder: URL, passphrase: borrowing SecretBytes, opsLimit: UInt64, memLimitBytes: UInt64,
    clock: @escaping () -> Date = Date.init, version: JournalFormat.Version = .v2
  ) throws(VaultError) -> Vault {
    precondition(VaultHeader.opsLimitRange.contains(opsLimit) && VaultHeader.memLimitRange.contains(memLimitBytes))
    if let contents = try? FileManager.default.contentsOfDirectory(atPath: folder.path), !contents.isEmpty {
      let ownFiles: Set<String> = [Layout.journal, Layout.blobs, Layout.inbox, HeadCheckpoint.fileName, "lock"]
      let hint =
        if contents.contains(Layout.header) {
          "There is already a vault there. Use it, or choose another folder with --vault."
        } else if contents.allSatisfy({ ownFiles.contains($0) || $0.contains(DurableFiles.temporaryMarker) }) {
          "An earlier `evidence init` there was interrupted before it finished. Delete that folder and run init again."
        } else {
          "Choose another folder with --vault."
        }
      throw VaultError(
        .alreadyExists, "\(folder.path) already holds files; a new vault needs an empty folder.", hint: hint)
    }
    try DurableFiles.makeFolder(folder)
    chmod(folder.path, DurableFiles.folderMode)  // an existing empty folder may have been made with wider rights
    let lock = try VaultLock(folder: folder, timeout: lockTimeout)

    let vaultId = Sodium.randomBytes(16)
    let salt = Sodium.randomBytes(PasswordHash.saltByteCount)
    let masterKey = SecretBytes(randomByteCount: SubkeyDerivation.masterKeyByteCount)
    let keys = VaultKeys(masterKey: masterKey)
    var header = VaultHeader(
      format: VaultHeader.formatName, version: version.rawValue, vaultId: Hex.encode(vaultId),
      createdAt: WhenFormatter.rfc3339UTC(clock()),
      kdf: .init(
        algorithm: "argon2id13", opsLimit: opsLimit, memLimitBytes: memLimitBytes, salt: Hex.encode(salt)),
      inboxPublicKey: Hex.encode(keys.inboxPublicKey), wrappedMasterKey: .init(nonce: "", ciphertext: ""))
    try wrap(masterKey, into: &header, passphrase: passphrase, salt: salt)

    for name in [Layout.blobs, Layout.inbox] {
      try DurableFiles.makeFolder(folder.appendingPathComponent(name))
    }
    let genesis = ChainHead(sequence: 0, hash: Chain.genesis(vaultId: vaultId))
    let emptyJournal = version == .v2 ? JournalFormat.magicV2 : []
    try DurableFiles.replace(folder.appendingPathComponent(Layout.journal), with: emptyJournal)
    try DurableFiles.replace(
      folder.appendingPathComponent(HeadCheckpoint.fileName),
      with: HeadCheckpoint.make(head: genesis, vaultId: vaultId, signer: keys.signing).encoded())
    // The header goes last: a folder without it is not a vault, so a crash before this line leaves no half-made vault.
    try DurableFiles.replace(folder.appendingPathComponent(Layout.header), with: header.encoded())

    return Vault(
      folder: folder, vaultId: vaultId, frameVersion: version, keys: keys, lock: lock, records: [],
      integrity: IntegrityReport(head: genesis), journalSize: emptyJournal.count, clock: clock)
  }

  /// Argon2id at the header's (already capped) cost.
  private static func deriveKeyEncryptionKey(
    passphrase: borrowing SecretBytes, salt: [UInt8], header: VaultHeader
  ) throws(VaultError) -> SecretBytes {
    do {
      return try PasswordHash.deriveKey(
        passphrase: passphrase, salt: salt, opsLimit: header.kdf.opsLimit, memLimitBytes: header.kdf.memLimitBytes)
    } catch {
      throw VaultError(
        .outOfMemory,
        "There is not enough free memory for the passphrase's key derivation (\(header.kdf.memLimitBytes >> 20) MiB).",
        hint: "Close other programs and try again.")
    }
  }

  /// Seals the master key under a key derived from `passphrase`, with the header's other fields as additional data.
  static func wrap(
    _ masterKey: borrowing SecretBytes, into header: inout VaultHeader, passphrase: borrowing SecretBytes,
    salt: [UInt8]
  ) throws(VaultError) {
    let kek = try deriveKeyEncryptionKey(passphrase: passphrase, salt: salt, header: header)
    let (nonce, ciphertext) = AEAD.sealSecret(masterKey, associatedData: header.wrapAssociatedData, key: kek)
    header.wrappedMasterKey = .init(nonce: Hex.encode(nonce), ciphertext: Hex.encode(ciphertext))
  }

  // MARK: - Opening

  /// Opens the vault in `folder`, verifying every record and the chain.
  ///
  /// A vault that does not verify still opens; `integrity` says what is wrong and writing is refused.
  /// An unfinished append at the end of the journal (a crash during a save that was never acknowledged) is moved
  /// to `quarantine/` and cut off; `integrity.notices` says so.
  /// - Throws: `notAVault`, `unsupportedVersion`, `headerDamaged`, `unsafeHeaderParameters`, `wrongPassphrase`,
  ///   `busy`, `fileSystem`, `outOfMemory`.
  public static func open(
    at folder: URL, passphrase: borrowing SecretBytes, clock: @escaping () -> Date = Date.init
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
    let header = try VaultHeader.decode(
      DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
    let masterKey = try unwrapMasterKey(header, passphrase: passphrase)
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
        try finishUpgrade(folder: folder, header: header, passphrase: passphrase)
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
    if let marker = ImportMarker.read(in: folder) {
      if isUnfinishedImport(marker, journalSize: journalSize, reader: reader, checkpoint: checkpoint) {
        // An import died before it committed: keep its bytes aside and cut the journal back to where it began.
        let tail = try DurableFiles.read(journalURL, range: marker.journalSize..<journalSize)
        try quarantine(tail, in: folder, named: "unfinished-import")
        try truncateJournal(journalURL, to: marker.journalSize)
        journalSize = marker.journalSize
        reader.cut(to: marker.sequence)
        reader.report.notices.append(
          "An import was interrupted before it finished, so none of its messages were kept (its \(tail.count) encrypted bytes were moved to quarantine/). Import the file again."
        )
      }
      ImportMarker.remove(in: folder)
    }
    if let torn = reader.tornTail {
      let tail = try DurableFiles.read(journalURL, range: torn..<journalSize)
      let verified = reader.report.head.sequence
      if let checkpoint, checkpoint.sequence <= verified {
        // The signed head proves this append was never acknowledged: keep its bytes aside and cut it off.
        try quarantine(tail, in: folder, named: "unfinished-save")
        try truncateJournal(journalURL, to: torn)
        journalSize = torn
        reader.report.notices.append(
          "An unfinished save (\(tail.count) bytes, never reported as saved) was found at the end of the journal; it was moved to quarantine/ and the journal was repaired."
        )
      } else {
        // It may have been acknowledged: leave every byte where it is and report it.
        reader.report.problems.append(
          IntegrityProblem(
            kind: .recordIncomplete(sequence: verified + 1),
            message:
              "Record \(verified + 1) of the journal is incomplete: the file ends \(tail.count) bytes into it. It was cut off after it was saved, or the signed head is missing. \(IntegrityProblem.readableSummary(before: verified + 1))"
          ))
      }
    }
    var report = reader.report
    checkHead(&report, checkpoint: checkpoint, records: reader.records, vaultId: vaultId)
    report.notices += leftoverTemporaryFiles(in: folder)
    return Vault(
      folder: folder, vaultId: vaultId, frameVersion: frameVersion, keys: keys, lock: lock, records: reader.records,
      integrity: report, journalSize: journalSize, clock: clock)
  }

  /// True when `marker` is left by an import that never committed, and cutting the journal back to it loses
  /// nothing that was ever acknowledged: the signed head is authentic and not past the import's start, and the
  /// marker names a frame boundary of records that verify, with bytes after it.
  private static func isUnfinishedImport(
    _ marker: ImportMarker, journalSize: Int, reader: JournalReader, checkpoint: HeadCheckpoint?
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
  /// copy of something), except a leftover of the signed head, which holds nothing but a head and is removed.
  private static func leftoverTemporaryFiles(in folder: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    var notices: [String] = []
    for name in names.sorted() where name.hasPrefix(".") && name.contains(DurableFiles.temporaryMarker) {
      if name.hasPrefix(".\(HeadCheckpoint.fileName)\(DurableFiles.temporaryMarker)") {
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

  /// Moves a file into `quarantine/` (keeping its name, made unique), durably.
  static func moveToQuarantine(_ url: URL, in folder: URL) throws(VaultError) {
    let quarantineFolder = folder.appendingPathComponent(Layout.quarantine)
    try DurableFiles.makeFolder(quarantineFolder)
    let unique = Hex.encode(Sodium.randomBytes(4))
    let destination = quarantineFolder.appendingPathComponent("\(url.lastPathComponent)-\(unique)")
    guard rename(url.path, destination.path) == 0 else {
      throw .fileSystem("move to quarantine", url.path, errno: errno)
    }
    try DurableFiles.syncFolder(quarantineFolder)
    try DurableFiles.syncFolder(url.deletingLastPathComponent())
  }

  private static func truncateJournal(_ url: URL, to size: Int) throws(VaultError) {
    let descriptor = Glibc.open(url.path, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("repair", url.path, errno: errno) }
    defer { close(descriptor) }
    guard ftruncate(descriptor, off_t(size)) == 0 else { throw .fileSystem("repair", url.path, errno: errno) }
    try DurableFiles.sync(descriptor, path: url.path)
  }

  // MARK: - Writing

  /// Appends `record`, stamped with a new id, salt and the device time, and returns it once it is on disk.
  ///
  /// When this returns, the record is durable (written and fsync'd); only then may a caller say "saved".
  /// - Throws: `vaultDamaged` when the vault does not verify, `diskFull`, `fileSystem`, `invalidInput`.
  @discardableResult
  func append(_ record: Record) throws(VaultError) -> StoredRecord {
    try append([record])[0]
  }

  /// Appends several records with one write and one fsync; all of them are durable when this returns. A crash
  /// before that may leave the first few (whole, verifying, never acknowledged) and an unfinished frame after them,
  /// which the next open moves to `quarantine/` and cuts off.
  ///
  /// With `durably` false (an import), the frames may stay in memory until 4 MiB of them have gathered, and a
  /// `commit` or `rollback` must follow. With `keepingInMemory` false, the records are not added to `records`
  /// until it is next read.
  @discardableResult
  func append(_ batch: [Record], durably: Bool = true, keepingInMemory: Bool = true) throws(VaultError)
    -> [StoredRecord]
  {
    guard integrity.isIntact else {
      throw VaultError(
        .vaultDamaged, "The vault does not verify, so nothing new can be written to it.",
        hint: "Run `evidence verify` to see what is wrong; your existing records can still be read.")
    }
    if keepingInMemory {
      readBackRecordsIfNeeded()
    } else if notLoaded == nil {
      notLoaded = (journalEnd, integrity.head)
    }
    var frames: [UInt8] = []
    var stored: [StoredRecord] = []
    var head = integrity.head
    // Taken out (not copied) so that adding to it does not copy every array it holds: appends stay O(1).
    var index = cachedIndex.take()
    for record in batch {
      let bytes = RecordCodec.encode(record)
      guard bytes.count <= RecordCodec.maximumRecordSize else {
        throw VaultError(
          .invalidInput, "This record is too long (\(bytes.count) bytes; at most \(RecordCodec.maximumRecordSize)).",
          hint: "Split it into several entries.")
      }
      let sequence = head.sequence + 1
      frames += JournalFormat.seal(
        recordBytes: bytes, version: frameVersion, vaultId: vaultId, sequence: sequence, previousChain: head.hash,
        key: keys.recordKey)
      let leaf = Chain.leaf(bytes)
      let chain = Chain.next(previous: head.hash, leaf: leaf)
      stored.append(StoredRecord(sequence: sequence, bytes: bytes, leaf: leaf, chain: chain, chainBefore: head.hash))
      index?.add(record, sequence: sequence)
      head = ChainHead(sequence: sequence, hash: chain)
    }
    try appendFrames(frames, sync: durably)
    if keepingInMemory { loadedRecords += stored }
    cachedIndex = index
    integrity.head = head
    if durably { writeSignedHead() }
    return stored
  }

  /// Replaces `head.json` with the current head. The records are durable already: a crash before the new head
  /// is written leaves the old head, which the journal still extends, so nothing is reported wrongly, and a
  /// failure here is not the records' failure.
  private func writeSignedHead() {
    try? DurableFiles.replace(
      folder.appendingPathComponent(HeadCheckpoint.fileName),
      with: HeadCheckpoint.make(head: integrity.head, vaultId: vaultId, signer: keys.signing).encoded())
  }

  /// Where a transaction started, to go back to if it fails.
  struct Savepoint {
    let journalSize: Int
    fileprivate let recordCount: Int
    let head: ChainHead
  }

  /// The state to return to if what follows fails.
  func savepoint() -> Savepoint {
    precondition(unwrittenFrames.isEmpty, "a savepoint is taken after a commit or rollback")
    return Savepoint(journalSize: journalSize, recordCount: Int(integrity.head.sequence), head: integrity.head)
  }

  /// Makes everything appended since `savepoint` durable (one fsync) and signs the new head.
  func commit() throws(VaultError) {
    try writeUnwrittenFrames()
    try DurableFiles.sync(try openJournal(), path: journalPath)
    writeSignedHead()
  }

  /// Cuts the journal back to `savepoint` and forgets what was appended since; nothing of it stays on disk.
  func rollback(to savepoint: Savepoint) throws(VaultError) {
    unwrittenFrames.removeAll()
    let descriptor = try openJournal()
    guard ftruncate(descriptor, off_t(savepoint.journalSize)) == 0 else {
      throw .fileSystem("restore", journalPath, errno: errno)
    }
    try DurableFiles.sync(descriptor, path: journalPath)
    journalSize = savepoint.journalSize
    if let pending = notLoaded, pending.offset >= savepoint.journalSize { notLoaded = nil }
    if loadedRecords.count > savepoint.recordCount { loadedRecords.removeSubrange(savepoint.recordCount...) }
    integrity.head = savepoint.head
    cachedIndex = nil  // built again from the records when next asked for
  }

  /// Appends frames to the journal: with `sync`, writes them (after any not written yet) and fsyncs; without,
  /// keeps them in memory until 4 MiB have gathered. On a failure the journal is cut back to its length before the
  /// write, and the frames not written are dropped (the caller rolls back).
  private func appendFrames(_ frames: [UInt8], sync: Bool) throws(VaultError) {
    unwrittenFrames += frames
    if sync {
      try writeUnwrittenFrames()
      let descriptor = try openJournal()
      do throws(VaultError) {
        try DurableFiles.sync(descriptor, path: journalPath)
      } catch {
        // Leave the journal exactly as it was: nothing partial stays behind to be mistaken for a record.
        journalSize -= frames.count
        _ = ftruncate(descriptor, off_t(journalSize))
        _ = fsync(descriptor)
        throw error
      }
    } else if unwrittenFrames.count >= Self.writeBatchByteCount {
      try writeUnwrittenFrames()
    }
  }

  /// How many bytes of frames an import gathers before it writes them.
  static let writeBatchByteCount = 4 << 20

  /// Writes the frames not written yet at the end of the journal, with one call.
  private func writeUnwrittenFrames() throws(VaultError) {
    try blobWriter?.waitUntilDone()  // the blobs these frames name are durable first
    guard !unwrittenFrames.isEmpty else { return }
    let descriptor = try openJournal()
    do throws(VaultError) {
      guard lseek(descriptor, off_t(journalSize), SEEK_SET) >= 0 else {
        throw VaultError.fileSystem("write", journalPath, errno: errno)
      }
      try DurableFiles.writeAll(descriptor, unwrittenFrames, path: journalPath)
    } catch {
      unwrittenFrames.removeAll()
      _ = ftruncate(descriptor, off_t(journalSize))
      _ = fsync(descriptor)
      throw error
    }
    journalSize += unwrittenFrames.count
    unwrittenFrames.removeAll(keepingCapacity: true)
  }

  /// Reads the records appended without being kept in memory back from the journal, checking each as opening
  /// does; a record that no longer verifies (the disk changed it since) is reported in `integrity`.
  private func readBackRecordsIfNeeded() {
    guard let pending = notLoaded else { return }
    notLoaded = nil
    var reader = JournalReader(vaultId: vaultId, version: frameVersion)
    reader.report.head = pending.head
    do throws(VaultError) {
      // What is on disk, then what is still in memory.
      var bytes =
        pending.offset < journalSize
        ? try DurableFiles.read(URL(fileURLWithPath: journalPath), range: pending.offset..<journalSize) : []
      bytes += unwrittenFrames[max(0, pending.offset - journalSize)...]
      var source = JournalBuffer(bytes: bytes, startOffset: pending.offset)
      reader.read(&source, from: pending.offset, key: keys.recordKey)
    } catch {
      reader.report.problems.append(
        IntegrityProblem(
          kind: .recordUnreadable(sequence: pending.head.sequence + 1),
          message: "The records saved from record \(pending.head.sequence + 1) on cannot be read back: \(error)"))
    }
    loadedRecords += reader.records
    if reader.tornTail != nil || reader.report.head != integrity.head, reader.report.problems.isEmpty {
      reader.report.problems.append(
        IntegrityProblem(
          kind: .recordIncomplete(sequence: reader.report.head.sequence + 1),
          message:
            "Record \(reader.report.head.sequence + 1) of the journal, just saved, cannot be read back whole. \(IntegrityProblem.readableSummary(before: reader.report.head.sequence + 1))"
        ))
    }
    integrity.problems += reader.report.problems
  }

  /// The journal's descriptor for writing, opened on first use.
  private func openJournal() throws(VaultError) -> Int32 {
    if journalDescriptor >= 0 { return journalDescriptor }
    let descriptor = Glibc.open(journalPath, O_WRONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .fileSystem("open", journalPath, errno: errno) }
    journalDescriptor = descriptor
    return descriptor
  }

  deinit {
    if journalDescriptor >= 0 { close(journalDescriptor) }
  }

  /// Stamps a record with a fresh id (a random UUID, lowercase) and salt and the device time.
  func stamp() -> RecordStamp {
    let random = Sodium.randomBytes(32)  // one call for both: an import stamps a record per message
    return RecordStamp(
      id: Self.uuidText(randomBytes: random[..<16]), salt: Hex.encode(random[16...]), recordedAt: recordedAtNow())
  }

  /// A version 4 (random) UUID made of 16 random bytes, as `UUID().uuidString.lowercased()` writes one.
  static func uuidText(randomBytes: ArraySlice<UInt8>) -> String {
    precondition(randomBytes.count == 16)
    var bytes = Array(randomBytes)
    bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
    bytes[8] = bytes[8] & 0x3F | 0x80  // the RFC 4122 variant
    let hex = Hex.encode(bytes)
    let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
      hex.utf8.dropFirst(range.lowerBound).prefix(range.count)
    }
    return groups.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "-")
  }

  /// `recordedAt` for now; the text is made again only when the second changes.
  private func recordedAtNow() -> String {
    let second = Int(clock().timeIntervalSince1970.rounded(.down))
    if let cached = lastRecordedAt, cached.second == second { return cached.text }
    let text = WhenFormatter.rfc3339UTC(Date(timeIntervalSince1970: Double(second)))
    lastRecordedAt = (second, text)
    return text
  }

  // MARK: - Passphrase

  /// Re-wraps the master key under `newPassphrase`; only `vault.json` is rewritten.
  ///
  /// - Throws: as `open` for the old passphrase, and `fileSystem`/`diskFull` for the write.
  public static func changePassphrase(
    at folder: URL, from oldPassphrase: borrowing SecretBytes, to newPassphrase: borrowing SecretBytes,
    strength: KDFStrength? = nil
  ) throws(VaultError) {
    let headerURL = folder.appendingPathComponent(Layout.header)
    guard FileManager.default.fileExists(atPath: headerURL.path) else {
      throw VaultError(
        .notAVault, "There is no vault at \(folder.path).", hint: "Point --vault at the folder that holds your vault.")
    }
    let lock = try VaultLock(folder: folder, timeout: lockTimeout)
    defer { withExtendedLifetime(lock) {} }
    var header = try VaultHeader.decode(
      DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
    let masterKey = try unwrapMasterKey(header, passphrase: oldPassphrase)
    let salt = Sodium.randomBytes(PasswordHash.saltByteCount)
    header.kdf.salt = Hex.encode(salt)
    if let strength {
      header.kdf.opsLimit = strength.opsLimit
      header.kdf.memLimitBytes = strength.memLimitBytes
    }
    try wrap(masterKey, into: &header, passphrase: newPassphrase, salt: salt)
    try DurableFiles.replace(headerURL, with: header.encoded())
  }
}
