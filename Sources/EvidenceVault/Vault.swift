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
  public internal(set) var integrity: IntegrityReport
  /// The quick notes taken in from `inbox/` when the vault was opened.
  public internal(set) var inboxIntake = InboxIntake()
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
  /// `ftruncate`, replaceable in tests to show what happens when cutting the journal back fails.
  var truncateFile: (Int32, off_t) -> Int32 = { ftruncate($0, $1) }
  /// True once cutting back a failed write failed too: bytes of it may still be at the journal's end.
  private var journalCutFailed = false
  /// Why nothing can be written though the vault verifies (its disk is read-only or full), or nil.
  public let readOnlyReason: String?
  /// Told what the person should know about a write that succeeded but left something to repair.
  public var onWarning: ((String) -> Void)?
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

  init(
    folder: URL, vaultId: [UInt8], frameVersion: JournalFormat.Version, keys: consuming VaultKeys, lock: VaultLock,
    records: [StoredRecord], integrity: IntegrityReport, journalSize: Int, readOnlyReason: String? = nil,
    clock: @escaping () -> Date
  ) {
    self.readOnlyReason = readOnlyReason
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
    try ensureWritable()
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
    // Records that belong together are marked first, so that a crash halfway through cannot keep some of them.
    let marked = durably && batch.count > 1
    if marked { try WriteMarker(journalSize: journalEnd, sequence: integrity.head.sequence).write(in: folder) }
    do throws(VaultError) {
      try appendFrames(frames, sync: durably)
    } catch {
      // The journal is cut back already; if that failed too, the marker stays and the next open cuts.
      if marked && !journalCutFailed { try? WriteMarker.remove(in: folder) }
      throw error
    }
    if keepingInMemory { loadedRecords += stored }
    cachedIndex = index
    integrity.head = head
    if durably {
      writeSignedHead()
      // Durable and acknowledged: the marker must go, or the next open would take these records for unfinished.
      if marked { try WriteMarker.remove(in: folder) }
    }
    return stored
  }

  /// Refuses writing to a vault that does not verify, or that is on a disk that cannot be written to.
  func ensureWritable() throws(VaultError) {
    guard integrity.isIntact else {
      throw VaultError(
        .vaultDamaged, "The vault does not verify, so nothing new can be written to it.",
        hint: "Run `evidence verify` to see what is wrong; your existing records can still be read.")
    }
    if let readOnlyReason {
      throw VaultError(
        .fileSystem, "The vault is open to read only: \(readOnlyReason)",
        hint: "Your records can still be read and exported. Move the vault to a disk with free space to write to it.")
    }
  }

  /// Replaces `head.json` with the current head. The records are durable already, so a failure here is not
  /// theirs: the old head, which the journal still extends, stays in place, the person is told, and the next open
  /// signs the head again.
  func writeSignedHead() {
    do throws(VaultError) {
      try DurableFiles.replace(
        folder.appendingPathComponent(HeadCheckpoint.fileName),
        with: HeadCheckpoint.make(head: integrity.head, vaultId: vaultId, signer: keys.signing).encoded())
    } catch {
      onWarning?(
        "What you saved is on disk, but the signed head (head.json) could not be updated: \(error.message) It is signed again the next time the vault is opened."
      )
    }
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
    guard truncateFile(descriptor, off_t(savepoint.journalSize)) == 0 else {
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
        cutJournal(descriptor, to: journalSize)
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
      cutJournal(descriptor, to: journalSize)
      throw error
    }
    journalSize += unwrittenFrames.count
    unwrittenFrames.removeAll(keepingCapacity: true)
  }

  /// Cuts the journal back to `size` after a failed write; when even that fails, `journalCutFailed` says so and
  /// any write marker is left for the next open, which cuts the bytes off then.
  private func cutJournal(_ descriptor: Int32, to size: Int) {
    if truncateFile(descriptor, off_t(size)) != 0 || fsync(descriptor) != 0 { journalCutFailed = true }
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
}
