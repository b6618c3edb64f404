import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Exhibits: files attached to incidents, encrypted into `blobs/` and named in attachment records.
extension Vault {
  /// Reports how far a long file operation has come: bytes done, bytes in all.
  public typealias Progress = (_ done: Int64, _ total: Int64) -> Void

  var blobStore: BlobStore { BlobStore(folder: folder.appendingPathComponent(Layout.blobs)) }

  /// Attaches files to incident `number` (or to none, for loose exhibits); returns their labels (`A3`).
  ///
  /// Every blob is durable before the records that name them are written, in one append. If any file fails,
  /// the blobs this call made are removed and nothing is recorded.
  /// - Throws: `unknownEntry`, `invalidInput` (a missing, unreadable or changing file, a folder), `diskFull`,
  ///   `fileSystem`, `vaultDamaged`.
  @discardableResult
  public func attach(_ files: [URL], toEntry number: Int?, progress: Progress = { _, _ in }) throws(VaultError)
    -> [String]
  {
    let entryId = try number.map { (number: Int) throws(VaultError) in try index.entry(number: number).original.stamp.id
    }
    let attachments = try storeBlobs(files, entryId: entryId, progress: progress)
    let firstNumber = index.exhibits.count + 1
    try appendRemovingNewBlobsOnFailure(attachments.map { .attachment($0.record) }, attachments)
    return attachments.indices.map { "A\(firstNumber + $0)" }
  }

  /// Saves a new incident with files attached to it; returns its number and the exhibits' labels.
  public func addEntry(_ entry: Entry, attaching files: [URL], progress: Progress = { _, _ in }) throws(VaultError)
    -> (number: Int, exhibits: [String])
  {
    guard !files.isEmpty else { return (try addEntry(entry), []) }
    let index = self.index
    try validate(entry, index: index)
    var stamped = entry
    stamped.stamp = stamp()
    stamped.supersedes = nil
    var attachments = try storeBlobs(files, entryId: stamped.stamp.id, progress: progress)
    stamped.attachments = attachments.map(\.record.stamp.id)
    // Written together, so stamped with one time (taken now that the files are stored).
    let now = WhenFormatter.rfc3339UTC(clock())
    stamped.stamp.recordedAt = now
    for item in attachments.indices { attachments[item].record.stamp.recordedAt = now }
    try appendRemovingNewBlobsOnFailure(
      attachments.map { .attachment($0.record) } + [.entry(stamped)], attachments)
    let firstNumber = index.exhibits.count + 1
    return (index.entries.count + 1, attachments.indices.map { "A\(firstNumber + $0)" })
  }

  /// Ties a loose exhibit (or moves one) to incident `number`; the exhibit keeps its label.
  /// - Throws: `unknownEntry`, `invalidInput` when it already belongs to that entry.
  public func tieExhibit(_ label: String, toEntry number: Int) throws(VaultError) {
    let index = self.index
    let exhibit = try index.exhibit(label)
    let entry = try index.entry(number: number)
    guard !index.exhibits(forEntry: number).contains(where: { $0.number == exhibit.number }) else {
      throw VaultError(.invalidInput, "Exhibit \(exhibit.label) already belongs to entry #\(number).")
    }
    var tied = exhibit.current
    tied.entry = entry.original.stamp.id
    tied.stamp = stamp()
    tied.supersedes = exhibit.current.stamp.id
    try append(.attachment(tied))
  }

  /// Decrypts exhibit `label` into a new file at `destination`, checking its SHA-256 on the way out.
  ///
  /// Refuses to overwrite anything. If the blob turns out damaged, the partial output is removed.
  /// - Throws: `unknownEntry`, `alreadyExists`, `vaultDamaged` (naming how the blob is damaged), `fileSystem`.
  public func extract(_ label: String, to destination: URL, progress: Progress = { _, _ in }) throws(VaultError) {
    let exhibit = try index.exhibit(label)
    let record = exhibit.current
    let output = Glibc.open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard output >= 0 else {
      if errno == EEXIST {
        throw VaultError(
          .alreadyExists, "\(destination.path) already exists; nothing was overwritten.",
          hint: "Choose another name with --out.")
      }
      throw .fileSystem("create", destination.path, errno: errno)
    }
    var complete = false
    defer {
      close(output)
      if !complete { unlink(destination.path) }
    }
    var done: Int64 = 0
    try streamExhibit(label) { chunk throws(VaultError) in
      try DurableFiles.writeAll(output, UnsafeRawBufferPointerBytes(chunk), path: destination.path)
      done += Int64(chunk.count)
      progress(done, record.size)
    }
    try DurableFiles.sync(output, path: destination.path)
    complete = true
  }

  /// Decrypts exhibit `label` a chunk at a time into `body` (a sealed export streams it on into an age file),
  /// checking its SHA-256 at the end: nothing is written to disk here.
  ///
  /// The chunks handed out before a damaged end are not authenticated as a whole: a caller must discard what it
  /// made of them when this throws.
  /// - Throws: `unknownEntry`, `vaultDamaged` (naming how the blob is damaged), or what `body` throws.
  public func streamExhibit(
    _ label: String, into body: (UnsafeRawBufferPointer) throws(VaultError) -> Void
  ) throws(VaultError) {
    let exhibit = try index.exhibit(label)
    let record = exhibit.current
    let digest: [UInt8]
    do throws(BlobDecryptError) {
      digest = try blobStore.decrypt(record.blob, expectedSize: record.size, key: keys.blobKey, sink: body)
    } catch {
      switch error {
      case .blob(let fault): throw damage(fault, exhibit: exhibit)
      case .vault(let failure): throw failure
      }
    }
    guard Hex.encode(digest) == record.sha256 else {
      throw damage(.contentMismatch(sha256: Hex.encode(digest)), exhibit: exhibit)
    }
  }

  /// A sentence naming the exhibit and how its blob is damaged.
  func damage(_ fault: BlobFault, exhibit: ExhibitHistory) -> VaultError {
    VaultError(
      .vaultDamaged, describe(fault, exhibit: exhibit, index: index),
      hint: "Nothing was written. Keep a copy of the whole vault folder; the other exhibits are not affected.")
  }

  func describe(_ fault: BlobFault, exhibit: ExhibitHistory, index: JournalIndex) -> String {
    let name = "Exhibit \(exhibit.label) (\(exhibit.current.originalName))"
    switch fault {
    case .missing: return "\(name) is missing: its encrypted file is not in the vault."
    case .truncated: return "\(name) is truncated: its encrypted file was cut off before its end."
    case .altered: return "\(name) was altered: its encrypted file does not authenticate."
    case .contentMismatch(let sha256):
      if let other = index.exhibits.first(where: { $0.current.sha256 == sha256 && $0.number != exhibit.number }) {
        return
          "\(name) was swapped: its encrypted file holds exhibit \(other.label)'s content (\(other.current.originalName))."
      }
      return "\(name) was swapped or altered: its file decrypts to other bytes than were attached."
    case .unreadable(let reason):
      return
        "\(name) could not be checked: \(reason) The disk may be failing; copy the whole vault folder to another disk."
    }
  }

  // MARK: - Storing

  /// The record for a stored blob: media type from its first bytes, EXIF for JPEG photos.
  func attachmentRecord(for blob: StoredBlob, originalName: String, entryId: String?) -> Attachment {
    let mediaType = MediaType.detect(Array(blob.prefix.prefix(MediaType.sniffByteCount)))
    let capture = mediaType == "image/jpeg" ? ExifReader.read(jpegPrefix: blob.prefix) : nil
    return Attachment(
      blob: blob.name, sha256: Hex.encode(blob.sha256), size: blob.size, mediaType: mediaType,
      originalName: originalName, modifiedAt: WhenFormatter.rfc3339UTC(blob.modifiedAt),
      capture: capture?.isEmpty == false ? capture : nil, entry: entryId)
  }

  struct PendingAttachment {
    var record: Attachment
    let blob: StoredBlob
  }

  /// Stores every file's blob and makes (stamped) records; on failure removes the blobs it made.
  func storeBlobs(_ files: [URL], entryId: String?, progress: Progress) throws(VaultError)
    -> [PendingAttachment]
  {
    try ensureWritable()
    var pending: [PendingAttachment] = []
    do throws(VaultError) {
      for file in files {
        let blob = reusingEarlierBlob(
          try blobStore.store(fileAt: file, key: keys.blobKey, nameKey: keys.blobNameKey, progress: progress))
        var record = attachmentRecord(for: blob, originalName: file.lastPathComponent, entryId: entryId)
        record.stamp = stamp()
        pending.append(PendingAttachment(record: record, blob: blob))
      }
    } catch {
      removeNewBlobs(pending)
      throw error
    }
    return pending
  }

  /// The blob of an exhibit the vault already has with the same SHA-256, intact, in place of `blob` just stored,
  /// which is removed; else `blob`.
  ///
  /// A blob keeps its name across a change of keys (`rekey`), so a file attached before one is named under the
  /// old blob-name key, and the same file attached after gets another name: this stores it once all the same.
  private func reusingEarlierBlob(_ blob: StoredBlob) -> StoredBlob {
    guard blob.isNew else { return blob }
    let sha256 = Hex.encode(blob.sha256)
    let exhibits = index.exhibits
    guard !exhibits.contains(where: { $0.versions.contains { $0.blob == blob.name } }),
      let earlier = exhibits.first(where: { $0.current.sha256 == sha256 && $0.current.blob != blob.name }),
      isIntact(earlier.current.blob, sha256: sha256, size: blob.size)
    else { return blob }
    let url = blobStore.url(of: blob.name)
    unlink(url.path)
    rmdir(url.deletingLastPathComponent().path)  // only if this left its folder empty
    try? DurableFiles.syncFolder(url.deletingLastPathComponent())
    try? DurableFiles.syncFolder(blobStore.folder)
    return StoredBlob(
      name: earlier.current.blob, sha256: blob.sha256, size: blob.size, prefix: blob.prefix,
      modifiedAt: blob.modifiedAt, isNew: false)
  }

  /// True when the blob checks whole; one that cannot be read counts as damaged.
  private func isIntact(_ name: String, sha256: String, size: Int64) -> Bool {
    blobStore.check(name, sha256: sha256, size: size, key: keys.blobKey) == nil
  }

  func appendRemovingNewBlobsOnFailure(_ records: [Record], _ pending: [PendingAttachment]) throws(VaultError) {
    do throws(VaultError) {
      try append(records)
    } catch {
      removeNewBlobs(pending)
      throw error
    }
  }

  /// Removes blobs made by this command that no record names (their originals are still where they were).
  private func removeNewBlobs(_ pending: [PendingAttachment]) {
    let named = Set(index.exhibits.map(\.current.blob))
    for item in pending where item.blob.isNew && !named.contains(item.blob.name) {
      let url = blobStore.url(of: item.blob.name)
      unlink(url.path)
      rmdir(url.deletingLastPathComponent().path)  // only if this left its folder empty
    }
  }
}

/// What checking every exhibit found.
public struct ExhibitCheck: Sendable {
  /// How many exhibits were checked.
  public internal(set) var exhibitCount = 0
  /// One sentence per damaged exhibit, naming it and how it is damaged.
  public internal(set) var problems: [String] = []
  /// Blob files no record names: an attach that a crash interrupted after the file was stored.
  public internal(set) var orphanBlobs: [String] = []
  /// Partial files of interrupted attaches, and anything else that is not a blob.
  public internal(set) var leftovers: [String] = []

  /// True when every exhibit is intact (orphans and leftovers are reported, not damage).
  public var isIntact: Bool { problems.isEmpty }
}

/// What `repair` did.
public struct RepairSummary: Sendable {
  /// Labels of the loose exhibits made from intact orphan blobs.
  public internal(set) var recovered: [String] = []
  /// Files moved to `quarantine/`, by their old paths inside the vault.
  public internal(set) var quarantined: [String] = []
}

extension Vault {
  /// Checks every exhibit's blob end to end (present, authentic to its final chunk, SHA-256 as recorded),
  /// and lists blobs no record names and leftovers of interrupted attaches.
  public func checkExhibits(progress: Progress = { _, _ in }) throws(VaultError) -> ExhibitCheck {
    let index = self.index
    var check = ExhibitCheck()
    let total = index.exhibits.reduce(Int64(0)) { $0 + $1.current.size }
    var done: Int64 = 0
    var faults: [String: BlobFault?] = [:]  // one check per blob, whatever the number of exhibits naming it
    for exhibit in index.exhibits {
      let record = exhibit.current
      let fault: BlobFault?
      if let known = faults[record.blob + record.sha256] {
        fault = known
      } else {
        fault = blobStore.check(record.blob, sha256: record.sha256, size: record.size, key: keys.blobKey)
        faults[record.blob + record.sha256] = fault
        done += record.size
        progress(done, total)
      }
      check.exhibitCount += 1
      if let fault { check.problems.append(describe(fault, exhibit: exhibit, index: index)) }
    }
    let named = Set(index.exhibits.flatMap { $0.versions.map(\.blob) })
    let inventory = blobStore.inventory()
    check.orphanBlobs = inventory.blobs.filter { !named.contains($0) }
    check.leftovers = inventory.leftovers.map { $0.path }
    return check
  }

  /// Turns every intact orphan blob into a loose exhibit and moves unreadable orphans and leftovers of interrupted
  /// attaches to `quarantine/`. Nothing is deleted.
  /// - Throws: `vaultDamaged` when the journal does not verify, and file-system errors.
  public func repair() throws(VaultError) -> RepairSummary {
    let check = try checkExhibits()
    var summary = RepairSummary()
    var recovered: [Record] = []
    var unreadable: [URL] = check.leftovers.map { URL(fileURLWithPath: $0) }
    for name in check.orphanBlobs {
      var prefix: [UInt8] = []
      var size: Int64 = 0
      do throws(BlobDecryptError) {
        let digest = try blobStore.decrypt(name, expectedSize: nil, key: keys.blobKey) { chunk throws(VaultError) in
          if prefix.count < ExifReader.prefixByteCount {
            prefix += chunk.prefix(ExifReader.prefixByteCount - prefix.count)
          }
          size += Int64(chunk.count)
        }
        let mediaType = MediaType.detect(Array(prefix.prefix(MediaType.sniffByteCount)))
        let capture = mediaType == "image/jpeg" ? ExifReader.read(jpegPrefix: prefix) : nil
        var record = Attachment(
          blob: name, sha256: Hex.encode(digest), size: size, mediaType: mediaType,
          originalName: "recovered-\(name.prefix(12))", capture: capture?.isEmpty == false ? capture : nil)
        record.stamp = stamp()
        recovered.append(.attachment(record))
      } catch {
        if case .vault(let failure) = error { throw failure }
        unreadable.append(blobStore.url(of: name))
      }
    }
    if !recovered.isEmpty {
      let first = index.exhibits.count + 1
      try append(recovered)
      summary.recovered = recovered.indices.map { "A\(first + $0)" }
    }
    for url in unreadable {
      try Self.moveToQuarantine(url, in: folder)
      summary.quarantined.append(String(url.path.dropFirst(folder.path.count + 1)))
    }
    return summary
  }
}
