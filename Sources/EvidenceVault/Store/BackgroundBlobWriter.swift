import Foundation

/// Stores an import's in-memory attachments (MMS pictures) as blobs on a thread of its own, while the import goes
/// on with the next messages: encrypting, writing, fsyncing and renaming a blob no longer holds up the journal.
///
/// What a record needs of a blob (its name, hash, size and first bytes) is computed from the bytes before they are
/// handed over, so the record can be made at once. The journal frames that name these blobs stay in memory until
/// `waitUntilDone()` has returned: the vault calls it before it writes frames and before a commit, so no record
/// reaches the journal file before its blob is durable, as when blobs were stored one by one. Storing a small
/// blob is mostly waiting for the disk (creating the file, two fsyncs), so up to `concurrentCount` are stored at
/// once; at most `maximumQueuedByteCount` bytes wait at a time. Two identical pictures stored at the same moment
/// end as one blob: the rename is atomic and either copy is the same file.
final class BackgroundBlobWriter: @unchecked Sendable {
  /// Bytes that may wait to be stored before `store` waits for the thread to catch up.
  static let maximumQueuedByteCount = 16 << 20
  /// Blobs stored at the same time (one serial queue each, taken in turn).
  static let concurrentCount = 4

  private let vault: Unretained
  private let queues = (0..<concurrentCount).map { DispatchQueue(label: "evidence.blob-writer-\($0)") }
  private var handedOver = 0  // used by the importing thread only
  private let condition = NSCondition()
  // Guarded by `condition`:
  private var unfinished = 0
  private var queuedByteCount = 0
  private var failure: VaultError?
  private var created: [String] = []

  /// The vault whose keys and folder the thread uses; it outlives the writer (the import waits for it).
  private struct Unretained: @unchecked Sendable {
    unowned let vault: Vault
  }

  init(vault: Vault) {
    self.vault = Unretained(vault: vault)
  }

  /// What a record needs of the blob `bytes` will be stored as; `isNew` is not known yet and is false.
  static func describe(_ bytes: [UInt8], modifiedAt: Date, nameKey: borrowing SecretBytes) -> StoredBlob {
    let hasher = FastSHA256()
    bytes.withUnsafeBytes { hasher.update($0) }
    let sha256 = hasher.finish()
    return StoredBlob(
      name: Hex.encode(KeyedBLAKE2b.hash(sha256, key: nameKey)), sha256: sha256, size: Int64(bytes.count),
      prefix: Array(bytes.prefix(ExifReader.prefixByteCount)), modifiedAt: modifiedAt, isNew: false)
  }

  /// Hands `bytes` over to be stored as the blob `describe` named; throws the failure of an earlier blob, if any.
  func store(_ bytes: [UInt8], as blob: StoredBlob) throws(VaultError) {
    condition.lock()
    while unfinished > 0 && queuedByteCount + bytes.count > Self.maximumQueuedByteCount && failure == nil {
      condition.wait()
    }
    if let failure {
      condition.unlock()
      throw failure
    }
    unfinished += 1
    queuedByteCount += bytes.count
    condition.unlock()

    let vault = self.vault
    handedOver += 1
    queues[handedOver % queues.count].async { [self] in
      var outcome: Result<StoredBlob, VaultError>?
      if !hasFailed {
        let store = vault.vault.blobStore
        do throws(VaultError) {
          outcome = .success(
            try store.store(
              bytes: bytes, key: vault.vault.keys.blobKey, nameKey: vault.vault.keys.blobNameKey,
              modifiedAt: blob.modifiedAt))
        } catch {
          outcome = .failure(error)
        }
      }
      condition.lock()
      defer {
        condition.broadcast()
        condition.unlock()
      }
      unfinished -= 1
      queuedByteCount -= bytes.count
      switch outcome {
      case .success(let stored):
        precondition(stored.name == blob.name, "a blob's name comes from its bytes")
        if stored.isNew { created.append(stored.name) }
      case .failure(let error):
        if failure == nil { failure = error }
      case nil:
        break
      }
    }
  }

  private var hasFailed: Bool {
    condition.lock()
    defer { condition.unlock() }
    return failure != nil
  }

  /// Throws the failure of a blob stored so far, if any, without waiting.
  func throwIfFailed() throws(VaultError) {
    condition.lock()
    defer { condition.unlock() }
    if let failure { throw failure }
  }

  /// Waits until every blob handed over is stored and durable; throws the first failure.
  func waitUntilDone() throws(VaultError) {
    condition.lock()
    defer { condition.unlock() }
    while unfinished > 0 { condition.wait() }
    if let failure { throw failure }
  }

  /// The blobs this writer created (not those that were already there), once `waitUntilDone` has returned.
  var createdBlobs: [String] {
    condition.lock()
    defer { condition.unlock() }
    return created
  }
}
