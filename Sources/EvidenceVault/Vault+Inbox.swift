import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What taking in the inbox did at this open.
public struct InboxIntake: Sendable, Equatable {
  /// The numbers of the entries the quick notes became, in the order the notes were written.
  public internal(set) var entryNumbers: [Int] = []
  /// Labels of the exhibits that came in with them (and of files whose note was lost).
  public internal(set) var exhibits: [String] = []
  /// Items moved to `quarantine/` because they do not open, by their names there.
  public internal(set) var quarantined: [String] = []
  /// The wrong passphrases recorded in `inbox/` since the last unlock, now `access` records, oldest first.
  public internal(set) var accessAttempts: [AccessAttempt] = []
  /// Drafts of guided commands waiting to be continued, oldest first (each draft once, at its newest save).
  public internal(set) var drafts: [Draft] = []
}

/// Quick notes: items sealed to the inbox key without the passphrase (`QuickNoteWriter`) become journal records at
/// the next unlock, in the order they were written, and leave `inbox/` only once those records are durable.
///
/// Intake is idempotent: each record keeps the SHA-256 of the item it came from (`intake.item`), and an item whose
/// records are already in the journal (a crash between the append and the item's removal) is only removed.
extension Vault {
  var inboxFolder: URL { folder.appendingPathComponent(Layout.inbox) }

  /// The wrong passphrases given since the vault was last opened (taken in at this open), oldest first: the person
  /// is told of them before anything else.
  public var newAccessAttempts: [AccessAttempt] { inboxIntake.accessAttempts }

  /// Takes every waiting item into the journal; returns what it did and the sentences to tell the person.
  /// Never throws: an item that cannot be taken in now stays in `inbox/` (or, if it does not open, goes to
  /// `quarantine/`), and a notice says so.
  func takeInInbox() -> (InboxIntake, [String]) {
    var intake = InboxIntake()
    var notices: [String] = []
    let reader = InboxReader(folder: inboxFolder)
    guard FileManager.default.fileExists(atPath: inboxFolder.path), ensureWritableAllows() else { return (intake, []) }

    // With the inbox held exclusively while it is listed, no note is being written: files listed without their
    // note are what a crash left of one, not a note still being written.
    let lock = Glibc.open(inboxFolder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    let quiet = lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0
    let names = reader.itemNames()
    if lock >= 0 { close(lock) }
    guard !names.isEmpty else { return (intake, []) }

    var attempts: [(name: String, item: FailedUnlockLog.Item, digest: [UInt8])] = []
    var notes: [(name: String, note: InboxItem.Note, digest: [UInt8])] = []
    var files: [(name: String, header: InboxItem.File)] = []
    var drafts: [(name: String, draft: Draft.Sealed)] = []
    func setAside(_ name: String, _ fault: InboxItemFault) {
      switch fault {
      case .unreadable(let failure):
        notices.append(
          "A quick note in inbox/ (\(name)) could not be read now (\(failure.message)); it was left there.")
      case .malformed, .doesNotOpen, .badContent:
        do throws(VaultError) {
          let moved = try Self.moveToQuarantine(inboxFolder.appendingPathComponent(name), in: folder)
          intake.quarantined.append(moved)
          notices.append(
            "An item in inbox/ does not open as a quick note of this vault (\(Self.describe(fault))); it was moved to quarantine/\(moved) and nothing was added from it."
          )
        } catch {
          notices.append(
            "An item in inbox/ (\(name)) does not open, and could not be moved to quarantine/: \(error.message)")
        }
      }
    }
    for name in names {
      do throws(InboxItemFault) {
        switch try reader.kind(of: name) {
        case .quickNote:
          let (note, digest) = try reader.openNote(name, keys: keys.inbox)
          notes.append((name, note, digest))
        case .file: files.append((name, try reader.openFileHeader(name, keys: keys.inbox)))
        case .failedUnlock:
          let (item, digest) = try reader.openFailedUnlock(name, keys: keys.inbox)
          attempts.append((name, item, digest))
        case .draft: drafts.append((name, try reader.openDraft(name, keys: keys.inbox)))
        }
      } catch {
        setAside(name, error)
      }
    }
    intake.drafts = Self.newestDrafts(drafts)

    let known = takenInItems()
    // Failed unlocks first: the person hears of them before anything else.
    if !attempts.isEmpty {
      do throws(VaultError) {
        intake.accessAttempts = try takeIn(attempts, known: known)
        try removeItems(attempts.map(\.name))
      } catch {
        notices.append(
          "Records of wrong passphrases waiting in inbox/ could not be added now: \(error.message) They stay there and are added the next time the vault is opened."
        )
      }
    }
    var usedFiles = Set<String>()
    do throws(VaultError) {
      for (name, note, digest) in notes {
        let own = files.filter { $0.header.note == note.id }.sorted { $0.header.position < $1.header.position }
        usedFiles.formUnion(own.map(\.name))
        if known.contains(Hex.encode(digest)) {
          // Taken in before; a crash kept the items. Their records are durable: only the items go.
          try removeItems([name] + own.map(\.name))
          continue
        }
        let result = try takeIn(note, itemDigest: digest, files: own, reader: reader, known: known, setAside: setAside)
        intake.entryNumbers.append(result.number)
        intake.exhibits += result.exhibits
        if result.exhibits.count < note.files {
          notices.append(
            "Quick note #\(result.number) was added with \(result.exhibits.count) of its \(note.files) files; the others were missing from inbox/ or did not open."
          )
        }
        try removeItems([name] + own.map(\.name))
      }
      // Files whose note never came (a crash while `note` wrote them): kept as loose exhibits, never dropped.
      let orphans = files.filter { !usedFiles.contains($0.name) }
      if quiet && !orphans.isEmpty {
        let labels = try takeInFiles(orphans, entryId: nil, reader: reader, known: known, setAside: setAside)
        try removeItems(orphans.map(\.name))
        if !labels.isEmpty {
          intake.exhibits += labels
          notices.append(
            "Files of a quick note that was not finished were kept as loose exhibits: \(labels.joined(separator: ", ")). Tie them to an entry with `evidence attach N --exhibit A…`."
          )
        }
      }
    } catch {
      notices.append(
        "Quick notes waiting in inbox/ could not all be added now: \(error.message) They stay there and are added the next time the vault is opened."
      )
    }
    if !intake.entryNumbers.isEmpty {
      let numbers = intake.entryNumbers.map { "#\($0)" }.joined(separator: ", ")
      notices.insert(
        intake.entryNumbers.count == 1
          ? "1 quick note was added: \(numbers)" : "\(intake.entryNumbers.count) quick notes were added: \(numbers)",
        at: 0)
    }
    return (intake, notices)
  }

  /// True when records may be appended now (intake is skipped, silently, on a vault that opens read-only).
  private func ensureWritableAllows() -> Bool {
    do throws(VaultError) {
      try ensureWritable()
      return true
    } catch {
      return false
    }
  }

  /// The `intake.item` of every record in the journal.
  private func takenInItems() -> Set<String> {
    var items = Set<String>()
    for (attempt, _) in index.accessAttempts { if let intake = attempt.intake { items.insert(intake.item) } }
    for entry in index.entries {
      for version in entry.versions { if let intake = version.intake { items.insert(intake.item) } }
    }
    for exhibit in index.exhibits {
      for version in exhibit.versions { if let intake = version.intake { items.insert(intake.item) } }
    }
    return items
  }

  /// Records of wrong passphrases: one `access` record each, appended as one batch, in the order the items were
  /// written. An item already taken in (a crash before its removal) adds nothing.
  private func takeIn(
    _ attempts: [(name: String, item: FailedUnlockLog.Item, digest: [UInt8])], known: Set<String>
  ) throws(VaultError) -> [AccessAttempt] {
    var records: [AccessAttempt] = []
    for (_, item, digest) in attempts where !known.contains(Hex.encode(digest)) {
      var record = AccessAttempt(failedAt: item.failedAt, command: item.command, entry: item.entry)
      record.stamp = stamp()
      record.intake = Intake(via: Intake.failedUnlock, notedAt: item.failedAt, item: Hex.encode(digest))
      records.append(record)
    }
    guard !records.isEmpty else { return [] }
    try append(records.map { .access($0) })
    return records
  }

  /// One note: its files become blobs, then the entry and its attachments are appended as one batch.
  private func takeIn(
    _ note: InboxItem.Note, itemDigest: [UInt8], files: [(name: String, header: InboxItem.File)],
    reader: InboxReader, known: Set<String>, setAside: (String, InboxItemFault) -> Void
  ) throws(VaultError) -> (number: Int, exhibits: [String]) {
    let notedAt = WhenFormatter.parseRFC3339UTC(note.notedAt) ?? clock()
    var entry = Entry(
      occurred: Occurrence(
        start: notedAt, precision: .minute, approximate: true,
        timeZone: TimeZone(identifier: note.timeZone) ?? TimeZone(identifier: "UTC") ?? .current),
      title: Self.title(of: note.text, files: files.map(\.header.name)), narrative: note.text)
    entry.stamp = stamp()
    entry.intake = Intake(via: Intake.quickNote, notedAt: note.notedAt, item: Hex.encode(itemDigest))
    var pending = try storeInboxFiles(files, entryId: entry.stamp.id, reader: reader, setAside: setAside)
    entry.attachments = pending.map(\.record.stamp.id)
    let now = entry.stamp.recordedAt
    for item in pending.indices { pending[item].record.stamp.recordedAt = now }
    let firstExhibit = index.exhibits.count + 1
    let number = index.entries.count + 1
    try appendRemovingNewBlobsOnFailure(pending.map { .attachment($0.record) } + [.entry(entry)], pending)
    return (number, pending.indices.map { "A\(firstExhibit + $0)" })
  }

  /// Files without a note: loose exhibits, appended as one batch.
  private func takeInFiles(
    _ files: [(name: String, header: InboxItem.File)], entryId: String?, reader: InboxReader, known: Set<String>,
    setAside: (String, InboxItemFault) -> Void
  ) throws(VaultError) -> [String] {
    let pending = try storeInboxFiles(files, entryId: entryId, reader: reader, setAside: setAside).filter {
      !known.contains($0.record.intake?.item ?? "")
    }
    guard !pending.isEmpty else { return [] }
    let firstExhibit = index.exhibits.count + 1
    try appendRemovingNewBlobsOnFailure(pending.map { .attachment($0.record) }, pending)
    return pending.indices.map { "A\(firstExhibit + $0)" }
  }

  /// Decrypts each file item straight into a new blob (no plaintext file on the way) and makes its record. A file
  /// item that turns out not to open is set aside; the others go on.
  private func storeInboxFiles(
    _ files: [(name: String, header: InboxItem.File)], entryId: String?, reader: InboxReader,
    setAside: (String, InboxItemFault) -> Void
  ) throws(VaultError) -> [PendingAttachment] {
    var pending: [PendingAttachment] = []
    for (name, header) in files {
      var fault: InboxItemFault?
      var digest: [UInt8] = []
      let modifiedAt = WhenFormatter.parseRFC3339UTC(header.modifiedAt) ?? clock()
      let blob: StoredBlob
      do throws(VaultError) {
        blob = try blobStore.store(modifiedAt: modifiedAt, key: keys.blobKey, nameKey: keys.blobNameKey) {
          (write: (UnsafeRawBufferPointer) throws(VaultError) -> Void) throws(VaultError) in
          do throws(InboxItemFault) {
            digest = try reader.streamFile(name, keys: keys.inbox, sink: write)
          } catch {
            if case .unreadable(let failure) = error { throw failure }
            fault = error
            // Makes the blob store drop what it wrote: nothing of a file that does not open is kept as a blob.
            throw VaultError(.invalidInput, "The file does not open.")
          }
        }
      } catch {
        guard let fault else { throw error }
        setAside(name, fault)
        continue
      }
      var record = attachmentRecord(for: blob, originalName: header.name, entryId: entryId)
      record.stamp = stamp()
      record.intake = Intake(via: Intake.quickNote, notedAt: header.notedAt, item: Hex.encode(digest))
      pending.append(PendingAttachment(record: record, blob: blob))
    }
    return pending
  }

  /// Removes items whose records are durable, and makes the removal durable.
  private func removeItems(_ names: [String]) throws(VaultError) {
    for name in names { unlink(inboxFolder.appendingPathComponent(name).path) }
    try DurableFiles.syncFolder(inboxFolder)
  }

  /// Each draft once, from its newest item (a crash between a save and the removal of the one before leaves two),
  /// oldest draft first.
  private static func newestDrafts(_ items: [(name: String, draft: Draft.Sealed)]) -> [Draft] {
    var byId: [String: [(name: String, draft: Draft.Sealed)]] = [:]
    for item in items { byId[item.draft.id, default: []].append(item) }
    let drafts = byId.values.compactMap { copies -> Draft? in
      let ordered = copies.sorted { ($0.draft.savedAt, $0.name) < ($1.draft.savedAt, $1.name) }
      guard let newest = ordered.last?.draft, let startedAt = WhenFormatter.parseRFC3339UTC(newest.startedAt),
        let savedAt = WhenFormatter.parseRFC3339UTC(newest.savedAt)
      else { return nil }
      return Draft(
        id: newest.id, command: newest.command, startedAt: startedAt, savedAt: savedAt, timeZone: newest.timeZone,
        answers: newest.answers, itemNames: ordered.map(\.name))
    }
    return drafts.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
  }

  /// The first line of the text, shortened to about 60 characters at a word.
  /// The first line of a note's text, or the names of its files when it has no text (a photo alone; "Quick note"
  /// when even those were lost).
  static func title(of text: String, files: [String]) -> String {
    let named = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? files.joined(separator: ", ") : text
    let title = title(of: named)
    return title.isEmpty ? "Quick note" : title
  }

  static func title(of text: String) -> String {
    let line =
      text.split(whereSeparator: \.isNewline).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
        $0.trimmingCharacters(in: .whitespaces)
      } ?? ""
    guard line.count > 60 else { return line }
    let cut = line.prefix(60)
    let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
    return atWord.trimmingCharacters(in: .whitespaces) + "…"
  }

  private static func describe(_ fault: InboxItemFault) -> String {
    switch fault {
    case .malformed(let reason), .badContent(let reason): reason
    case .doesNotOpen: "it is not sealed to this vault, or it was altered"
    case .unreadable(let failure): failure.message
    }
  }
}
