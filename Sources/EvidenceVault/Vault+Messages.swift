import Foundation

/// A file that comes with a message: one on disk (a screenshot) or bytes from an export (an MMS picture).
public enum AttachmentSource: Sendable {
  case file(URL)
  case bytes([UInt8], name: String, modifiedAt: Date?)
  /// Bytes handed over in pieces while they are stored (a file inflating out of a zip export), so that a large one
  /// is never whole in memory: `write` calls the function it is given with each piece, in order, and may throw to
  /// stop (nothing is stored then).
  case stream(
    name: String, modifiedAt: Date?,
    write: @Sendable (_ piece: (UnsafeRawBufferPointer) throws(VaultError) -> Void) throws(VaultError) -> Void)
}

/// What an import added.
public struct ImportSummary: Sendable, Equatable {
  /// Messages new to the vault.
  public internal(set) var added = 0
  /// Messages the vault already had (the same file, or an older backup, imported before).
  public internal(set) var alreadyInVault = 0
  /// Files stored with the messages.
  public internal(set) var attachments = 0
  /// The exhibit that keeps the export file itself, when anything was added.
  public internal(set) var sourceExhibit: String?
}

/// Saved messages: typed in by hand, or imported from a phone's export, all at once or not at all.
extension Vault {
  /// Saves one message (typed or pasted by hand) with its screenshots, in one append: both or neither. Returns its
  /// number (`M3` is 3).
  @discardableResult
  public func addMessage(_ message: Message, attaching files: [URL], progress: Progress = { _, _ in })
    throws(VaultError) -> Int
  {
    guard !message.text.isEmpty || !files.isEmpty else {
      throw VaultError(.invalidInput, "The message is empty: give its text (--text-file) or a screenshot.")
    }
    var stamped = message
    if let entry = message.entry, index.entryNumber(id: entry) == nil {
      throw VaultError(.unknownEntry, "The message names an entry that is not in the journal.")
    }
    var attachments = try storeBlobs(files, entryId: message.entry, progress: progress)
    stamped.attachments = attachments.map(\.record.stamp.id)
    stamped.stamp = stamp()
    // The screenshots and the message are written together, in one append, so stamped with one time.
    for item in attachments.indices { attachments[item].record.stamp.recordedAt = stamped.stamp.recordedAt }
    try appendRemovingNewBlobsOnFailure(
      attachments.map { .attachment($0.record) } + [.message(stamped)], attachments)
    return index.messages.count
  }

  /// Imports the messages `produce` hands to the `MessageImport` it is given, all or none.
  ///
  /// Records are appended as they come and made durable with one fsync at the end; if `produce` throws (a
  /// malformed export, a full disk), the journal is cut back and the files stored for it are removed, so the
  /// vault is as it was. A crash in the middle leaves `import.pending`, and the next open cuts the unfinished
  /// import off whole (its bytes kept in `quarantine/`): all or nothing, even then. The export file itself is kept
  /// as an exhibit.
  public func importMessages(
    from exportFile: URL, progress: Progress = { _, _ in }, _ produce: (MessageImport) throws -> Void
  ) throws -> ImportSummary {
    try ensureWritable()
    let savepoint = self.savepoint()
    // Until the import commits, a crash leaves this marker, and the next open cuts the import off whole.
    try WriteMarker(journalSize: savepoint.journalSize, sequence: savepoint.head.sequence).write(in: folder)
    let session = MessageImport(vault: self, exportFile: exportFile)
    blobWriter = session.blobWriter
    defer { blobWriter = nil }
    do {
      try produce(session)
      try commit()  // waits for the blobs first
    } catch {
      try? session.blobWriter.waitUntilDone()
      do throws(VaultError) {
        try rollback(to: savepoint)
      } catch {
        // The journal could not be cut back: the marker stays, so the next open cuts the import off whole.
        throw VaultError(
          error.code, "The import stopped and could not be undone yet: \(error.message)",
          hint:
            "Nothing of it counts as saved. Open the vault again (any command) once the disk works; it is undone then.")
      }
      try WriteMarker.remove(in: folder)
      session.removeNewBlobs()
      throw error
    }
    try WriteMarker.remove(in: folder)
    return session.summary
  }
}

/// One import in progress: hands messages to the vault, skipping those it already has.
public final class MessageImport {
  private unowned let vault: Vault
  private let exportFile: URL
  private var sourceId: String?
  private var sourceSHA256: String?
  private var newBlobs: [String] = []
  /// Stores the attachments that come as bytes (MMS pictures) while the import goes on.
  let blobWriter: BackgroundBlobWriter
  /// Fingerprints of every message in the vault and of those added so far (as bytes: a large import keeps one
  /// for each message).
  private var fingerprints: Set<FingerprintDigest>
  /// Exhibits there were before the import, by SHA-256: (record id, label).
  private let exhibitsBySHA256: [String: (id: String, label: String)]
  private var exhibitCount: Int
  /// The people in the journal, with those this import adds.
  public private(set) var people: [Person]
  public private(set) var summary = ImportSummary()

  /// Takes what the import needs from the journal's index and lets the index go, so that a large import does
  /// not also hold every message decoded in memory; the index is built again when next asked for.
  init(vault: Vault, exportFile: URL) {
    self.vault = vault
    self.exportFile = exportFile
    blobWriter = BackgroundBlobWriter(vault: vault)
    let index = vault.index
    fingerprints = Set(index.messageFingerprints.compactMap { Hex.decode($0).map(FingerprintDigest.init) })
    var bySHA256: [String: (id: String, label: String)] = [:]
    for exhibit in index.exhibits where bySHA256[exhibit.current.sha256] == nil {
      bySHA256[exhibit.current.sha256] = (exhibit.versions[0].stamp.id, exhibit.label)
    }
    exhibitsBySHA256 = bySHA256
    exhibitCount = index.exhibits.count
    people = index.people
    vault.forgetIndex()
  }

  /// Adds a message with its files, unless the vault already has it; returns whether it was added.
  @discardableResult
  public func add(_ message: Message, attachments: [AttachmentSource]) throws(VaultError) -> Bool {
    let fingerprint = FingerprintDigest(message.fingerprintDigest)
    guard !fingerprints.contains(fingerprint) else {
      summary.alreadyInVault += 1
      return false
    }
    try blobWriter.throwIfFailed()
    fingerprints.insert(fingerprint)
    try recordSource()
    var stamped = message
    var records: [Record] = []
    for source in attachments {
      let blob: StoredBlob
      let name: String
      switch source {
      case .file(let url):
        blob = try vault.blobStore.store(
          fileAt: url, key: vault.keys.blobKey, nameKey: vault.keys.blobNameKey, progress: { _, _ in })
        name = url.lastPathComponent
        if blob.isNew { newBlobs.append(blob.name) }
      case .bytes(let bytes, let fileName, let modifiedAt):
        // Described now, stored on the writer's thread; its record reaches the journal file only after.
        blob = BackgroundBlobWriter.describe(
          bytes, modifiedAt: modifiedAt ?? Date(timeIntervalSince1970: 0), nameKey: vault.keys.blobNameKey)
        try blobWriter.store(bytes, as: blob)
        name = fileName
      case .stream(let fileName, let modifiedAt, let write):
        // Stored here, at once and durably, as a file on disk is: its bytes are never all in memory.
        blob = try vault.blobStore.store(
          modifiedAt: modifiedAt ?? Date(timeIntervalSince1970: 0), key: vault.keys.blobKey,
          nameKey: vault.keys.blobNameKey, writing: write)
        name = fileName
        if blob.isNew { newBlobs.append(blob.name) }
      }
      var record = vault.attachmentRecord(for: blob, originalName: name, entryId: message.entry)
      if case .bytes(_, _, nil) = source { record.modifiedAt = nil }
      if case .stream(_, nil, _) = source { record.modifiedAt = nil }
      record.stamp = vault.stamp()
      stamped.attachments.append(record.stamp.id)
      records.append(.attachment(record))
      exhibitCount += 1
      summary.attachments += 1
    }
    stamped.provenance.source = sourceId
    stamped.provenance.sourceSHA256 = sourceSHA256
    stamped.stamp = vault.stamp()
    records.append(.message(stamped))
    try vault.append(records, durably: false, keepingInMemory: false)
    summary.added += 1
    return true
  }

  /// Adds a person (an unknown sender the person asked to create); returns the stamped record.
  public func addPerson(_ person: Person) throws(VaultError) -> Person {
    var stamped = person
    stamped.stamp = vault.stamp()
    try vault.append([.person(stamped)], durably: false, keepingInMemory: false)
    people.append(stamped)
    return stamped
  }

  /// Keeps the export file as an exhibit, once, before the first message that cites it.
  private func recordSource() throws(VaultError) {
    guard sourceId == nil else { return }
    let blob = try vault.blobStore.store(
      fileAt: exportFile, key: vault.keys.blobKey, nameKey: vault.keys.blobNameKey, progress: { _, _ in })
    if blob.isNew { newBlobs.append(blob.name) }
    let sha256 = Hex.encode(blob.sha256)
    if let existing = exhibitsBySHA256[sha256] {
      sourceId = existing.id
      summary.sourceExhibit = existing.label
    } else {
      var record = vault.attachmentRecord(for: blob, originalName: exportFile.lastPathComponent, entryId: nil)
      record.stamp = vault.stamp()
      try vault.append([.attachment(record)], durably: false, keepingInMemory: false)
      exhibitCount += 1
      sourceId = record.stamp.id
      summary.sourceExhibit = "A\(exhibitCount)"
    }
    sourceSHA256 = sha256
  }

  /// Removes the blobs this import made, after a rollback (and after the blob writer is done).
  func removeNewBlobs() {
    let named = Set(vault.index.exhibits.flatMap { $0.versions.map(\.blob) })
    for name in newBlobs + blobWriter.createdBlobs where !named.contains(name) {
      let url = vault.blobStore.url(of: name)
      unlink(url.path)
      rmdir(url.deletingLastPathComponent().path)
    }
  }
}

/// A message fingerprint's 32 bytes, held without a heap allocation of their own.
private struct FingerprintDigest: Hashable {
  private let words: (UInt64, UInt64, UInt64, UInt64)

  init(_ digest: [UInt8]) {
    precondition(digest.count == 32)
    func word(_ start: Int) -> UInt64 {
      digest[start..<(start + 8)].reduce(0) { $0 << 8 | UInt64($1) }
    }
    words = (word(0), word(8), word(16), word(24))
  }

  static func == (lhs: Self, rhs: Self) -> Bool { lhs.words == rhs.words }

  func hash(into hasher: inout Hasher) {
    hasher.combine(words.0)
    hasher.combine(words.1)
    hasher.combine(words.2)
    hasher.combine(words.3)
  }
}
